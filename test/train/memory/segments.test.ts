// Recomputation re-timing on a hand-built two-block graph named like the engine's (unet/<block>/…, backward
// grad/unet/<block>/…), against hand-computed peaks, and the segment keys of real node names.
import { describe, expect, it } from 'vitest';
import { GraphBuilder, op } from '../../../src/onnx/index';
import type { Var } from '../../../src/onnx/index';
import { recomputedBuffers, schedule, sweep, unetBlockSegment, unetLayerSegment } from '../../../src/train/index';

/**
 * Steps: 0 a = Sigmoid(x) [block 0, saved for its backward]; 1 b = Exp(a) [block 0 output]; 2 c = Sigmoid(b)
 * [block 1]; 3 y = Exp(c); 4 g1 = Mul(y, c) [block 1 backward]; 5 g0 = Mul(g1, a) [block 0 backward]; 6 out.
 * Every value is 1 KiB. Full liveness peaks at step 4 with a, c, y, g1 live (4 KiB); recomputing block 0 in
 * its backward frees a between steps 1 and 5, so the peak is 3 KiB.
 */
function twoBlocks(): GraphBuilder {
  const b = new GraphBuilder('two_blocks');
  const x = b.input('x', 'float32', [1, 256]);
  const inBlock = <T>(path: string[], fn: () => T): T => path.reduceRight<() => T>((inner, s) => () => b.scope(s, inner), fn)();
  const [a, out0] = inBlock(['unet', 'down_blocks.0'], () => {
    const a = op.Sigmoid(x);
    return [a, op.Exp(a)] as [Var, Var];
  });
  const [c, y] = inBlock(['unet', 'down_blocks.1'], () => {
    const c = op.Sigmoid(out0);
    return [c, op.Exp(c)] as [Var, Var];
  });
  const g1 = inBlock(['grad', 'unet', 'down_blocks.1'], () => op.Mul(y, c));
  const g0 = inBlock(['grad', 'unet', 'down_blocks.0'], () => op.Mul(g1, a));
  b.output(g0, 'out');
  return b;
}

describe('recomputation at UNet block boundaries', () => {
  // one value per buffer (no reuse of freed buffers): the re-timing model splits each buffer's interval
  const s = schedule(twoBlocks().graph, { inplaceOps: new Set(), reuseFreed: false });
  it('keeps every saved activation without recomputation: 4 KiB at step 4', () => {
    const r = sweep(s);
    expect([r.peakBytes, r.peakStep]).toEqual([4096, 4]);
  });
  it('frees block 0 activations until its backward and keeps the block boundary: 3 KiB', () => {
    const { buffers, scratch } = recomputedBuffers(s, unetBlockSegment);
    const a = buffers[s.bufferOf.get('unet/down_blocks.0/Sigmoid:0') as number];
    const boundary = buffers[s.bufferOf.get('unet/down_blocks.0/Exp:0') as number];
    expect(a?.intervals).toEqual([[0, 1], [5, 5]]);
    expect(boundary?.intervals).toEqual([[1, 2]]);
    expect(sweep(s, buffers, scratch).peakBytes).toBe(3072);
  });
});

describe('segment keys', () => {
  const node = (name: string) => ({ name, opType: 'Add', domain: '', inputs: [], outputs: [], attributes: {} });
  it('maps forward and backward nodes of a UNet block to the same block and layer keys', () => {
    const fwd = node('unet/up_blocks.1.attentions.2.transformer_blocks.0.attn1/Softmax');
    const bwd = node('grad/unet/up_blocks.1.attentions.2.transformer_blocks.0.attn1/Softmax/Mul');
    expect([unetBlockSegment(fwd), unetBlockSegment(bwd)]).toEqual(['up_blocks.1', 'up_blocks.1']);
    expect([unetLayerSegment(fwd), unetLayerSegment(bwd)]).toEqual(['up_blocks.1.attentions.2', 'up_blocks.1.attentions.2']);
    expect(unetLayerSegment(node('unet/mid_block.resnets.1.conv1/Conv'))).toBe('mid_block.resnets.1');
  });
  it('leaves the text encoder, losses and the optimizer out of every segment', () => {
    for (const n of ['text_model.encoder.layers.0/Add', 'disendiff/Sub', 'update/Mul', 'unet/conv_in/Conv']) expect(unetBlockSegment(node(n))).toBeUndefined();
  });
});
