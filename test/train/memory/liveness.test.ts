// The liveness simulation on small hand-built graphs, against hand-computed peaks: buffers appear when their
// node runs and go after their last reader, graph inputs are not counted, outputs live to the end, Reshape
// aliases, and an element-wise op takes over an input buffer that dies there.
import { describe, expect, it } from 'vitest';
import { GraphBuilder, op } from '../../../src/onnx/index';
import { kernelScratch, schedule, sweep } from '../../../src/train/index';

/** x[1,256] → a = Relu(x) [1 KiB] → b = MatMul(a, W[256,512]) [2 KiB] → c = Softmax(b) [2 KiB] → d = Mul(c, b) → out */
function chain(): GraphBuilder {
  const b = new GraphBuilder('chain');
  const x = b.input('x', 'float32', [1, 256]);
  const w = b.input('w', 'float32', [256, 512]);
  const a = op.Relu(x);
  const m = op.MatMul(a, w);
  const c = op.Softmax(m, -1);
  b.output(op.Mul(c, m), 'out');
  return b;
}

describe('liveness of a hand-built chain', () => {
  it('peaks at 2 KiB (MatMul result) + 2 KiB (Softmax) + 2 KiB (out) without in-place reuse', () => {
    const s = schedule(chain().graph, { inplaceOps: new Set() });
    // steps: Relu (a 1K) → MatMul (a 1K + m 2K) → Softmax (m 2K + c 2K) → Mul (m + c + d) → Identity(out aliases d)
    expect(sweep(s).peakBytes).toBe(2048 * 3);
  });
  it('lets Mul reuse a dying input buffer of the same size when in-place is allowed', () => {
    const s = schedule(chain().graph);
    expect(sweep(s).peakBytes).toBe(2048 * 2);
  });
  it('never counts graph inputs (they are resident before the run)', () => {
    const s = schedule(chain().graph);
    expect(s.persistent).toEqual(new Set(['x', 'w']));
    expect(s.bytes.get('w')).toBe(256 * 512 * 4);
  });
});

describe('liveness with aliases and a branch', () => {
  it('shares a Reshape output with its input and keeps the buffer alive until the alias dies', () => {
    const b = new GraphBuilder('alias');
    const x = b.input('x', 'float32', [4, 64]);
    const y = op.Sigmoid(x); // 1 KiB, lives through the reshape
    const r = op.Reshape(y, b.ints([256]));
    const z = op.Exp(x); // 1 KiB while r is still live
    b.output(op.Add(r, op.Reshape(z, b.ints([256]))), 'out');
    const s = schedule(b.graph, { inplaceOps: new Set() });
    expect(s.bufferOf.get(r.name)).toBe(s.bufferOf.get(y.name));
    expect(sweep(s).peakBytes).toBe(3 * 1024);
  });
});

describe('constant folding of ops on frozen weights', () => {
  /** y = x[1,256] · Transpose(W[128,256]) (0.5 KiB); the transposed weight is 128 KiB unless ORT folds it. */
  function linear(): GraphBuilder {
    const b = new GraphBuilder('linear');
    const x = b.input('x', 'float32', [1, 256]);
    const w = b.input('w', 'float32', [128, 256]);
    b.output(op.MatMul(x, op.Transpose(w, [1, 0])), 'y');
    return b;
  }
  it('counts the runtime transpose of a weight that is not foldable (a trainable input)', () => {
    expect(sweep(schedule(linear().graph)).peakBytes).toBe(128 * 256 * 4 + 512);
  });
  it('drops it when the weight is frozen: ORT folds Transpose(W) into a new initializer at session creation', () => {
    expect(sweep(schedule(linear().graph, { foldable: (n) => n === 'w' })).peakBytes).toBe(512);
  });
});

describe('kernel workspace of onnxruntime CPU Where', () => {
  it('adds two temporaries of the output size while a Where runs (the recompute gates are Where nodes)', () => {
    const b = new GraphBuilder('gate');
    const x = b.input('x', 'float32', [1, 256]);
    const s = op.Relu(x);
    b.output(op.Relu(op.Where(op.Less(s, s), s, s)), 'out');
    const sch = schedule(b.graph, { inplaceOps: new Set() });
    const scratch = kernelScratch(sch);
    const at = sch.order.findIndex((n) => n.opType === 'Where');
    expect([...scratch].filter((v) => v > 0)).toEqual([2048]);
    expect(scratch[at]).toBe(2048);
    // at the Where: s (1 KiB) + cond (256 B) + its output (1 KiB) + 2 KiB of temporaries
    expect(sweep(sch, sch.buffers, scratch).peakBytes).toBe(1024 + 256 + 1024 + 2048);
    expect(sweep(sch).peakBytes).toBeLessThan(1024 + 256 + 1024 + 2048);
  });
});

describe('reuse of freed buffers (onnxruntime allocation_planner FindReusableTensor)', () => {
  it('keeps a freed buffer allocated until a later value of the same size takes it', () => {
    // steps: 0 a = Relu(x) [1 KiB, dies at 1] → 1 m = MatMul(a, w) [2 KiB] → 2 s = Sigmoid(m) [2 KiB] →
    // 3 back = MatMul(s, v) [1 KiB: takes a's buffer] → 4 Sigmoid(back) → 5 Relu(…) → Identity out
    const b = new GraphBuilder('gap');
    const x = b.input('x', 'float32', [1, 256]);
    const w = b.input('w', 'float32', [256, 512]);
    const v = b.input('v', 'float32', [512, 256]);
    const a = op.Relu(x);
    const back = op.MatMul(op.Sigmoid(op.MatMul(a, w)), v);
    b.output(op.Relu(op.Sigmoid(back)), 'out');
    const r = schedule(b.graph, { inplaceOps: new Set() });
    const n = schedule(b.graph, { inplaceOps: new Set(), reuseFreed: false });
    const held = r.buffers[r.bufferOf.get(a.name) as number];
    // (the last Relu takes it again once back dies; its Identity to `out` aliases it)
    expect(held?.values.slice(0, 2)).toEqual([a.name, back.name]);
    expect(held?.intervals.length).toBe(1);
    expect(held?.intervals[0]?.[0]).toBe(0);
    // at step 2: m + s (4 KiB), plus a's buffer, held for back, only with reuse
    expect(sweep(n).peakBytes).toBe(4096);
    expect(sweep(r).peakBytes).toBe(4096 + 1024);
  });
});
