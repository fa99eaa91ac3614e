// Opt-in: runs one representative case per NN/structural op on onnxruntime-node's WebGPU EP with CPU fallback
// disabled, so a pass proves every node has a WebGPU kernel for that attribute combination. Needs an adapter:
// VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium (docs/platform.md).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, encodeModel, op } from '../../../../src/onnx/index';
import type { Var } from '../../../../src/onnx/index';
import { createNodeRunner } from '../../../../src/runtime/node';
import type { HostTensor, Runner } from '../../../../src/runtime/types';
import { closeness } from '../../../helpers/ort';
import { concat, cumsum, einsum, expand, gather, gatherElements, pad, randn, scatterElements, scatterND, slice, split, tile } from '../../../helpers/refNn';
import type { Nd } from '../../../helpers/refNn';
import { conv2d, convTranspose2d, gemm, instanceNorm, layerNorm, resize, transpose } from '../../../helpers/refNnSpatial';
import { feed } from './harness';

type Case = { name: string; inputs: Nd[]; build: (b: GraphBuilder, xs: Var[]) => Var; want: (xs: Nd[]) => Nd };

const hasAdapter = Boolean(process.env.VK_ICD_FILENAMES) || process.env.DISEN_WEBGPU === '1';
const rng = new Rng(100);
const r = (shape: number[]): Nd => randn(rng, shape);

const CASES: Case[] = [
  { name: 'Unsqueeze→Squeeze→Flatten', inputs: [r([2, 3, 4])], build: (_b, [x]) => op.Flatten(op.Squeeze(op.Unsqueeze(x!, [1]), [1]), 1), want: ([x]) => ({ shape: [2, 12], data: x!.data }) },
  { name: 'Concat', inputs: [r([2, 3]), r([2, 2])], build: (_b, [x, y]) => op.Concat([x!, y!], 1), want: ([x, y]) => concat([x!, y!], 1) },
  { name: 'Slice step 2', inputs: [r([3, 6])], build: (_b, [x]) => op.Slice(x!, [1], [6], [1], [2]), want: ([x]) => slice(x!, [1], [6], [1], [2]) },
  { name: 'Gather int64 embedding', inputs: [r([5, 3])], build: (b, [x]) => op.Gather(x!, b.ints([4, 0, 2]), 0), want: ([x]) => gather(x!, { shape: [3], data: [4, 0, 2] }, 0) },
  { name: 'Pad reflect', inputs: [r([1, 1, 3, 3])], build: (_b, [x]) => op.Pad(x!, [0, 0, 1, 1, 0, 0, 1, 1], { mode: 'reflect' }), want: ([x]) => pad(x!, [0, 0, 1, 1, 0, 0, 1, 1], 'reflect') },
  { name: 'Tile', inputs: [r([2, 3])], build: (_b, [x]) => op.Tile(x!, [2, 1]), want: ([x]) => tile(x!, [2, 1]) },
  { name: 'Gemm transB with bias', inputs: [r([2, 3]), r([4, 3]), r([4])], build: (_b, [a, w, c]) => op.Gemm(a!, w!, c!, { transB: true }), want: ([a, w, c]) => gemm(a!, w!, c!, { transB: true }) },
  { name: 'LayerNormalization', inputs: [r([2, 4]), r([4]), r([4])], build: (_b, [x, s, c]) => op.LayerNormalization(x!, s!, c!), want: ([x, s, c]) => layerNorm(x!, s!, c!, 1, 1e-5).y },
  { name: 'ConvTranspose stride 2', inputs: [r([1, 2, 3, 3]), r([2, 2, 4, 4])], build: (_b, [x, w]) => op.ConvTranspose(x!, w!, undefined, { strides: [2, 2], pads: [1, 1, 1, 1] }), want: ([x, w]) => convTranspose2d(x!, w!, undefined, { strides: [2, 2], pads: [1, 1, 1, 1] }) },
  {
    name: 'Resize nearest 2× asymmetric floor', inputs: [r([1, 2, 3, 3])],
    build: (_b, [x]) => op.Resize(x!, { mode: 'nearest', scales: [1, 1, 2, 2], coordinateTransformationMode: 'asymmetric', nearestMode: 'floor' }),
    want: ([x]) => resize(x!, { outShape: [1, 2, 6, 6], scales: [1, 1, 2, 2], mode: 'nearest', ctm: 'asymmetric', nearestMode: 'floor' }),
  },
  {
    name: 'Resize linear 2× half_pixel', inputs: [r([1, 2, 3, 3])],
    build: (_b, [x]) => op.Resize(x!, { mode: 'linear', scales: [1, 1, 2, 2] }),
    want: ([x]) => resize(x!, { outShape: [1, 2, 6, 6], scales: [1, 1, 2, 2], mode: 'linear', ctm: 'half_pixel' }),
  },
  { name: 'Expand', inputs: [r([3, 1])], build: (_b, [x]) => op.Expand(x!, [2, 3, 4]), want: ([x]) => expand(x!, [2, 3, 4]) },
  { name: 'Split (middle piece)', inputs: [r([2, 6])], build: (_b, [x]) => op.Split(x!, [1, 3, 2], 1)[1]!, want: ([x]) => split(x!, [1, 3, 2], 1)[1]! },
  { name: 'Pad edge', inputs: [r([1, 1, 3, 3])], build: (_b, [x]) => op.Pad(x!, [0, 0, 2, 0, 0, 0, 0, 1], { mode: 'edge' }), want: ([x]) => pad(x!, [0, 0, 2, 0, 0, 0, 0, 1], 'edge') },
  { name: 'Pad constant value', inputs: [r([2, 3])], build: (_b, [x]) => op.Pad(x!, [1, 0, 0, 2], { value: 0.5 }), want: ([x]) => pad(x!, [1, 0, 0, 2], 'constant', 0.5) },
  { name: 'Conv groups 2 stride 2', inputs: [r([1, 4, 5, 5]), r([4, 2, 3, 3]), r([4])], build: (_b, [x, w, c]) => op.Conv(x!, w!, c!, { group: 2, strides: [2, 2], pads: [1, 1, 1, 1] }), want: ([x, w, c]) => conv2d(x!, w!, c!, { group: 2, strides: [2, 2], pads: [1, 1, 1, 1] }) },
  { name: 'InstanceNormalization', inputs: [r([1, 3, 4, 4]), r([3]), r([3])], build: (_b, [x, s, c]) => op.InstanceNormalization(x!, s!, c!), want: ([x, s, c]) => instanceNorm(x!, s!, c!, 1e-5) },
  { name: 'Reshape→Transpose', inputs: [r([2, 3, 4])], build: (_b, [x]) => op.Transpose(op.Reshape(x!, [0, -1]), [1, 0]), want: ([x]) => transpose({ shape: [2, 12], data: x!.data }, [1, 0]) },
  { name: 'GatherElements', inputs: [r([3, 4])], build: (b, [x]) => op.GatherElements(x!, b.constant([2, 0, 1, 1], 'int64', [1, 4]), 0), want: ([x]) => gatherElements(x!, { shape: [1, 4], data: [2, 0, 1, 1] }, 0) },
  { name: 'ScatterElements add', inputs: [r([3, 2]), r([2, 2])], build: (b, [x, u]) => op.ScatterElements(x!, b.constant([1, 1, 1, 0], 'int64', [2, 2]), u!, 0, 'add'), want: ([x, u]) => scatterElements(x!, { shape: [2, 2], data: [1, 1, 1, 0] }, u!, 0, 'add') },
  { name: 'ScatterND rows', inputs: [r([3, 2]), r([1, 2])], build: (b, [x, u]) => op.ScatterND(x!, b.constant([2], 'int64', [1, 1]), u!), want: ([x, u]) => scatterND(x!, { shape: [1, 1], data: [2] }, u!, 'none') },
  { name: 'Einsum attention scores', inputs: [r([2, 3, 4]), r([2, 5, 4])], build: (_b, [x, y]) => op.Einsum('bid,bjd->bij', [x!, y!]), want: ([x, y]) => einsum(['bid', 'bjd'], 'bij', [x!, y!]) },
  { name: 'CumSum exclusive', inputs: [r([2, 5])], build: (_b, [x]) => op.CumSum(x!, 1, { exclusive: true }), want: ([x]) => cumsum(x!, 1, true, false) },
];

async function runOnGpu(runner: Runner, c: Case): Promise<HostTensor> {
  const b = new GraphBuilder(`webgpu_${c.name.replace(/\W+/g, '_')}`);
  const xs = c.inputs.map((x, i) => b.input(`x${i}`, 'float32', x.shape));
  b.output(c.build(b, xs), 'y');
  const s = await runner.createSession(b.graph.name, encodeModel(b.toModel()), { disableCpuFallback: true });
  try {
    const out = await s.run(Object.fromEntries(c.inputs.map((x, i) => [`x${i}`, feed(x)])));
    return out.y as HostTensor;
  } finally {
    await s.dispose();
  }
}

describe.skipIf(!hasAdapter)('on the WebGPU EP without CPU fallback (set VK_ICD_FILENAMES to run)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s runs fully on WebGPU and matches the reference', async (_n, c) => {
    const y = await runOnGpu(createNodeRunner({ ep: 'webgpu' }), c);
    const want = c.want(c.inputs);
    expect(y.dims).toEqual(want.shape);
    expect(closeness(Array.from(y.data as Float32Array), want.data, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
  });

  it('refuses a graph with a CPU-only node (Det), so the passes above are real', async () => {
    const b = new GraphBuilder('webgpu_det');
    const x = b.input('x', 'float32', [2, 2]);
    b.graph.valueInfo.push({ name: 'Det:0', dtype: 'float32', shape: [] });
    b.output(b.op1('Det', [x]), 'y');
    await expect(createNodeRunner({ ep: 'webgpu' }).createSession(b.graph.name, encodeModel(b.toModel()), { disableCpuFallback: true })).rejects.toThrow(/fallback to CPU EP has been explicitly disabled/);
  });
});
