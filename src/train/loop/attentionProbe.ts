// Attention maps for progress events (the personalization loop, "attention maps every N steps"; docs/ecosystem.md §9 item 2): the
// DisenDiff processed maps M_i and C_i (docs/disendiff.md §2.6) of one fixed probe view at a fixed timestep, computed with
// the CURRENT trainables by running the training graph built with exposeMaps and fetching only "maps".
// Cost: a second session of the training graph (its frozen weights held twice): opt-in. Never imports onnxruntime.
import { encodeModel, modelOf } from '../../onnx/index';
import type { HostTensor, Runner, Session } from '../../runtime/index';
import { buildTrainGraph } from '../graphs/buildTrainGraph';
import type { TrainGraph, TrainGraphOptions } from '../graphs/buildTrainGraph';
import type { BatchFeeds } from '../engine/types';
import type { Stepper } from './types';

/** One set of maps: rows 0..n−1 modifier maps M_i, rows n..2n−1 class maps C_i, each [h·w] in [0, 1]. */
export type AttentionSnapshot = { step: number; size: [number, number]; labels: string[]; maps: Float32Array };

export type AttentionProbe = {
  probe(stepper: Stepper, step: number): Promise<AttentionSnapshot>;
  dispose(): Promise<void>;
};

/**
 * @param options the training graph options of the run, with batch 1 (exposeMaps is forced on)
 * @param makeFeeds feeds of one micro-batch of batch 1 for the probe graph (a target view that mentions every
 *        concept), made once and reused at every probe
 * @param labels 2n labels: the modifier tokens then the class words
 */
export async function createAttentionProbe(runner: Runner, options: TrainGraphOptions, makeFeeds: (tg: TrainGraph) => Promise<BatchFeeds>, labels: string[]): Promise<AttentionProbe> {
  const tg = buildTrainGraph({ ...options, batch: 1, exposeMaps: true });
  const session: Session = await runner.createSession('attention_probe', encodeModel(modelOf(tg.backward.graph)));
  const dataFeeds = await makeFeeds(tg);
  return {
    async probe(stepper, step) {
      const params = await stepper.readParams();
      const out = await session.run({ ...dataFeeds, ...params }, { fetch: ['maps'] });
      return { step, size: tg.mapSize, labels, maps: (out.maps as HostTensor).data as Float32Array };
    },
    dispose: () => session.dispose(),
  };
}
