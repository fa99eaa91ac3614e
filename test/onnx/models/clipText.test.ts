// Tiny causal CLIP text encoder built by the toolkit, run in onnxruntime-node, against the TS reference;
// extra token-embedding rows fed as an input; causality (later tokens never change earlier outputs).
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/lib/errors';
import { Rng } from '../../../src/lib/random';
import { buildClipText } from '../../../src/onnx/models/clipText';
import { TINY_CLIP_TEXT } from '../../../src/onnx/models/configs';
import { RandomWeights } from '../../../src/onnx/models/weights';
import { refClipText } from '../../helpers/refModels';
import { closeness, f32, runBuilder } from '../../helpers/ort';

const S = 12;
const D = TINY_CLIP_TEXT.hidden_size;
const ids = [
  [0, 5, 9, 33, 100, 7, 101, 2, 99, 99, 99, 99],
  [0, 50, 60, 70, 80, 90, 99, 99, 99, 99, 99, 99],
];
const idsFeed = (rows: number[][]) => ({ dtype: 'int32' as const, dims: [rows.length, S], data: Int32Array.from(rows.flat()) });
const extra = new Rng(5).normalArray(2 * D, 0.5);

describe('when building the tiny CLIP text encoder with two extra token rows', () => {
  const weights = new RandomWeights(9);
  const built = buildClipText(TINY_CLIP_TEXT, { weights, batch: 2, seqLen: S, extraTokenRows: 2 });
  const run = (rows: number[][]) => runBuilder(built.builder, { input_ids: idsFeed(rows), extra_token_embeds: f32([2, D], extra) });

  it('declares input_ids, extra_token_embeds and last_hidden_state', () => {
    expect(built.builder.graph.inputs.map((i) => `${i.name}:${i.dtype}:${i.shape?.join('x')}`)).toEqual(['input_ids:int32:2x12', 'extra_token_embeds:float32:2x32']);
    expect(built.builder.get('last_hidden_state').shape).toEqual([2, S, D]);
  });

  it('matches the TS reference, extra rows included', async () => {
    const out = await run(ids);
    const y = out.last_hidden_state!.data as Float32Array;
    expect(y.every(Number.isFinite)).toBe(true);
    expect(closeness(y, refClipText(TINY_CLIP_TEXT, weights, ids, extra).data, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
  });

  it('is causal: changing token 6 leaves positions 0..5 unchanged and changes 6', async () => {
    const changed = ids.map((r) => [...r]);
    changed[0]![6] = 3;
    const [a, b] = [(await run(ids)).last_hidden_state!.data as Float32Array, (await run(changed)).last_hidden_state!.data as Float32Array];
    expect(closeness(b.subarray(0, 6 * D), a.subarray(0, 6 * D), 1e-6, 1e-6)).toBeLessThanOrEqual(1);
    expect(closeness(b.subarray(6 * D, 7 * D), a.subarray(6 * D, 7 * D), 1e-3, 0)).toBeGreaterThan(1);
  });

  it('rejects a sequence longer than max_position_embeddings', () => {
    expect(() => buildClipText(TINY_CLIP_TEXT, { batch: 1, seqLen: 78 })).toThrow(GraphError);
  });
});
