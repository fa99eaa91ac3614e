// The DisenDiff training graph at SD 1.5 size, built with 'shapes-only' weights (every parameter an input,
// nothing allocated): 16 attn2 layers → 32 K/V trainables plus the modifier rows, maps from the five 16×16
// layers (docs/disendiff.md §2.1, §2.5), and every op on the K/V → loss path has a gradient rule.
import { describe, expect, it } from 'vitest';
import { SD15_CLIP_TEXT, SD15_UNET } from '../../src/onnx/index';
import { buildTrainGraph, DISENDIFF_DEFAULTS } from '../../src/train/index';

describe('the SD 1.5 training graph (shapes only)', () => {
  const tg = buildTrainGraph({ unet: SD15_UNET, text: SD15_CLIP_TEXT, concepts: 2, batch: 2, height: 64, width: 64, unetWeights: 'shapes-only', textWeights: 'shapes-only', config: DISENDIFF_DEFAULTS });
  it('trains the 2 modifier rows and to_k/to_v of all 16 cross-attention layers (19,169,280 K/V weights)', () => {
    expect(tg.trainable.length).toBe(33);
    const shapes = tg.trainable.slice(1).map((n) => tg.backward.graph.inputs.find((v) => v.name === n)?.shape as number[]);
    expect(shapes.reduce((a, s) => a + (s[0] as number) * (s[1] as number), 0)).toBe(19169280);
    expect(tg.backward.graph.inputs.find((v) => v.name === 'extra_token_embeds')?.shape).toEqual([2, 768]);
  });
  it('reads the maps of the five 16×16 layers (8 heads each) and outputs every term with a gradient per trainable', () => {
    expect(tg.attentionLayers.length).toBe(5);
    expect(tg.mapSize).toEqual([16, 16]);
    const outputs = tg.backward.graph.outputs.map((o) => o.name);
    expect(outputs.slice(0, 1)).toEqual(['loss']);
    for (const t of [...tg.terms, ...tg.trainable.map((n) => `grad/${n}`)]) expect(outputs).toContain(t);
  });
});
