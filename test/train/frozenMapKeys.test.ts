// The opt-in "frozen map keys" diagnostic (DisenDiffConfig.frozenMapKeys, docs/calibration.md): the three layers
// that feed the maps keep their to_k as frozen initializers, every other attn2 K/V stays trainable, and with the
// same weights the loss and the remaining gradients equal the released graph's.
import { describe, expect, it } from 'vitest';
import { encodeModel, modelOf } from '../../src/onnx/index';
import type { HostTensor } from '../../src/runtime/types';
import { DISENDIFF_DEFAULTS } from '../../src/train/index';
import type { TrainGraph } from '../../src/train/index';
import { nodeOrt } from '../helpers/ort';
import { tinyTrainFeeds, tinyTrainGraph } from './tiny';

const feedsFor = (tg: TrainGraph) => tinyTrainFeeds(tg, [{ prompt: 'photo of a <cat1> cat and <dog1> dog', timestep: 400 }]);


describe('frozen map keys', () => {
  const config = { ...DISENDIFF_DEFAULTS, attentionLossWeight: 1 };
  const released = tinyTrainGraph(config);
  const frozen = tinyTrainGraph({ ...config, frozenMapKeys: true });

  it('drops exactly the map layers\' to_k from the trainables', () => {
    const mapKeys = frozen.attentionLayers.map((l) => `${l.layer}.to_k.weight`);
    expect(mapKeys).toHaveLength(3);
    expect(frozen.trainable).toEqual(released.trainable.filter((n) => !mapKeys.includes(n)));
    expect(frozen.trainable).toHaveLength(1 + 8 - 3);
    expect(frozen.dataInputs).toEqual(released.dataInputs);
  });

  it('gives the released graph\'s loss and gradients on the weights both train', async () => {
    const run = async (tg: TrainGraph): Promise<Record<string, Float32Array>> => {
      const s = await nodeOrt().createSession('frozen_keys', encodeModel(modelOf(tg.backward.graph, { producerName: 'test' })));
      const feeds = feedsFor(tg);
      const out = await s.run(feeds);
      await s.dispose();
      return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, (v as HostTensor).data as Float32Array]));
    };
    const [a, b] = [await run(released), await run(frozen)];
    expect(b.loss?.[0]).toBeCloseTo(a.loss?.[0] as number, 5);
    for (const name of frozen.trainable) {
      const ga = a[`grad/${name}`] as Float32Array;
      const gb = b[`grad/${name}`] as Float32Array;
      expect(gb, name).toBeDefined();
      let num = 0;
      let den = 0;
      for (let i = 0; i < ga.length; i++) { num += ((gb[i] as number) - (ga[i] as number)) ** 2; den += (ga[i] as number) ** 2; }
      expect(Math.sqrt(num / Math.max(den, 1e-30)), name).toBeLessThan(1e-4);
    }
    // and the frozen keys got no gradient output at all
    expect(Object.keys(b).filter((k) => /attn2\.to_k\.weight$/.test(k) && frozen.attentionLayers.some((l) => k.includes(l.layer)))).toEqual([]);
  });
});
