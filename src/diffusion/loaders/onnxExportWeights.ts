// Maps the initializers of an exported ONNX model back to diffusers / transformers state-dict names, so the
// studio's own graph builders can take an export's weights. torch.onnx keeps parameter names where a weight is
// used as is (Conv, Gemm, LayerNorm), but folds Linear weights into pre-transposed anonymous `onnx::MatMul_*`
// initializers [in, out] (and GroupNorm affine terms into `onnx::Mul_*`/`onnx::Add_*`); those are named from
// the reading node's module path ("/down_blocks.0/…/to_k/MatMul" → "down_blocks.0.….to_k.weight") and
// transposed back to PyTorch's [out, in]. No I/O. Reference: torch.onnx node naming (module scope / op type).
import type { DType, Graph, Node, TensorData } from '../../onnx/index';
import type { SafeTensor, SafetensorsDtype, TensorArray } from '../weights/safetensors';
import { SafetensorsWeights } from './safetensorsWeights';

/** ONNX float dtypes → safetensors dtypes (other dtypes are never weights) */
const SAFE_DTYPES: Partial<Record<DType, SafetensorsDtype>> = { float32: 'F32', float16: 'F16', bfloat16: 'BF16', float64: 'F64' };
const STATE_DICT_NAME = /^[A-Za-z_][\w.]*$/;

function toSafe(t: TensorData): SafeTensor | undefined {
  const dtype = SAFE_DTYPES[t.dtype];
  if (!dtype || !t.data || Array.isArray(t.data)) return undefined;
  return { dtype, shape: [...t.dims], data: t.data as TensorArray };
}

/** [in, out] → [out, in], same element type. */
function transposed(t: SafeTensor): SafeTensor {
  const [rows, cols] = t.shape as [number, number];
  const src = t.data as Float32Array;
  const out = new (src.constructor as new (n: number) => Float32Array)(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c] as number;
  return { dtype: t.dtype, shape: [cols, rows], data: out };
}

/** "/a.0/b/to_k/MatMul" or "a.0.b.to_k/MatMul" → "a.0.b.to_k" (undefined for a node outside any module). */
function modulePath(node: Node): string | undefined {
  const parts = node.name.replace(/^\/+/, '').split('/');
  return parts.length < 2 ? undefined : parts.slice(0, -1).join('.');
}

/** State-dict name and layout of an anonymous initializer from the node reading it, if it is a parameter. */
function nameFromReader(reader: Node, input: number, t: SafeTensor): [string, SafeTensor] | undefined {
  const path = modulePath(reader);
  if (!path) return undefined;
  if (reader.opType === 'MatMul' && input === 1 && t.shape.length === 2) return [`${path}.weight`, transposed(t)];
  if (reader.opType === 'Gemm' && input === 1 && t.shape.length === 2) {
    const transB = reader.attributes.transB;
    return [`${path}.weight`, transB?.type === 'int' && transB.value === 1 ? t : transposed(t)];
  }
  if (reader.opType === 'Gemm' && input === 2) return [`${path}.bias`, t];
  const isNorm = /norm/.test(path.split('.').pop() ?? '');
  if (isNorm && reader.opType === 'Mul') return [`${path}.weight`, { ...t, shape: [t.data.length] }];
  if (isNorm && reader.opType === 'Add') return [`${path}.bias`, { ...t, shape: [t.data.length] }];
  return undefined;
}

/** Adds the state-dict tensors of one graph (anonymous names are per file: never mix graphs' readers). */
function addGraph(g: Graph, tensors: Map<string, SafeTensor>): void {
  const anonymous: [TensorData, SafeTensor][] = [];
  for (const t of g.initializers) {
    const safe = toSafe(t);
    if (!safe) continue;
    if (STATE_DICT_NAME.test(t.name)) tensors.set(t.name, safe);
    else anonymous.push([t, safe]);
  }
  /** value name → (reading node, input index) */
  const readers = new Map<string, [Node, number][]>();
  for (const n of g.nodes) n.inputs.forEach((i, k) => readers.set(i, [...(readers.get(i) ?? []), [n, k]]));
  for (const [t, safe] of anonymous) {
    const using = readers.get(t.name) ?? [];
    const mapped = using.length === 1 ? nameFromReader(using[0]?.[0] as Node, using[0]?.[1] as number, safe) : undefined;
    if (mapped && !tensors.has(mapped[0])) tensors.set(mapped[0], mapped[1]);
  }
}

/**
 * A WeightSource over the float initializers of `graphs`, keyed by state-dict names (named initializers as
 * they are; anonymous ones named from their single reading node, see the file header).
 * @param label shown in shape-mismatch errors, e.g. "sd15-onnx/unet/model.onnx"
 */
export function onnxExportWeights(graphs: readonly Graph[], label: string): SafetensorsWeights {
  const tensors = new Map<string, SafeTensor>();
  for (const g of graphs) addGraph(g, tensors);
  return new SafetensorsWeights(tensors, label);
}
