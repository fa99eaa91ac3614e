// Checks a backward graph against the trainable parameters and turns trainable initializers into graph inputs
// (ORT cannot replace initializers at run time; docs/platform.md "Keeping data on the GPU"). Pure; never mutates.
// Reference: src/onnx/optim/types.ts naming contract.
import { GraphError } from '../../lib/errors';
import { numElements } from '../../onnx/index';
import type { Graph, ParamSpec } from '../../onnx/index';
import type { HostTensor } from '../../runtime/index';
import type { BackwardGraph } from './types';

/** The backward graph with every trainable as a float32 input, and each trainable's initial value. */
export type PreparedTrainables = { backward: BackwardGraph; params: ParamSpec[]; initial: Record<string, HostTensor> };

function lift(graph: Graph, names: Set<string>): { graph: Graph; lifted: Record<string, HostTensor> } {
  const lifted: Record<string, HostTensor> = {};
  const initializers = graph.initializers.filter((t) => {
    if (!names.has(t.name)) return true;
    if (t.dtype !== 'float32' || !(t.data instanceof Float32Array)) {
      throw new GraphError(`trainable "${t.name}" is a ${t.dtype} initializer${t.data ? '' : ' without loaded data'}; only float32 with data can be trained`);
    }
    lifted[t.name] = { dtype: 'float32', dims: [...t.dims], data: t.data.slice() };
    return false;
  });
  const inputs = [...graph.inputs, ...Object.entries(lifted).map(([name, h]) => ({ name, dtype: h.dtype, shape: [...h.dims] }))];
  return { graph: { ...graph, inputs, initializers }, lifted };
}

function checkValue(name: string, value: HostTensor, shape: number[]): void {
  const same = value.dims.length === shape.length && value.dims.every((d, i) => d === shape[i]);
  if (value.dtype !== 'float32' || !same || value.data.length !== numElements(shape)) {
    throw new GraphError(`initial value of "${name}" is ${value.dtype}[${value.dims}] (${value.data.length} values); the graph wants float32[${shape}]`);
  }
}

/**
 * Validates `trainable` (name → initial value, or undefined to take the initializer's data) against `backward`.
 * @throws GraphError when a name has no gradient output, is not an input or initializer, or has a bad value.
 */
export function prepareTrainables(backward: BackwardGraph, trainable: Record<string, HostTensor | undefined>): PreparedTrainables {
  const names = Object.keys(trainable);
  if (!names.length) throw new GraphError('TrainingSession: no trainable parameters given');
  const { graph, lifted } = lift(backward.graph, new Set(names));
  const outputs = new Set(graph.outputs.map((o) => o.name));
  if (!outputs.has(backward.loss)) throw new GraphError(`loss "${backward.loss}" is not an output of ${graph.name}; keep it as an output`);
  const params: ParamSpec[] = [];
  const initial: Record<string, HostTensor> = {};
  for (const name of names) {
    const gradOut = backward.grads[name];
    if (!gradOut || !outputs.has(gradOut)) throw new GraphError(`trainable "${name}" has no gradient output in ${graph.name}; pass it in buildGradientGraph's wrt`);
    const input = graph.inputs.find((v) => v.name === name);
    if (!input) throw new GraphError(`trainable "${name}" is neither an input nor an initializer of ${graph.name}`);
    const shape = (input.shape ?? []).map((d) => (typeof d === 'number' ? d : NaN));
    if (shape.some((d) => !(d >= 0))) throw new GraphError(`trainable "${name}" has a dynamic shape [${input.shape}]; fix its dims first`);
    const value = trainable[name] ?? lifted[name];
    if (!value) throw new GraphError(`trainable "${name}" is a graph input: pass its initial value`);
    checkValue(name, value, shape);
    params.push({ name, shape });
    initial[name] = value;
  }
  return { backward: { ...backward, graph }, params, initial };
}

/** Zero-filled float32 host tensor of `shape`. */
export function zerosLike(shape: readonly number[]): HostTensor {
  return { dtype: 'float32', dims: [...shape], data: new Float32Array(numElements(shape)) };
}

/**
 * Names of the backward graph's scalar float32 outputs other than the loss and the gradients: the per-term losses
 * a step reports (e.g. the DisenDiff graph's loss_base, loss_bind, loss_separate, loss_mask_attention).
 */
export function termOutputs(backward: BackwardGraph): string[] {
  const grads = new Set(Object.values(backward.grads));
  return backward.graph.outputs
    .filter((o) => o.name !== backward.loss && !grads.has(o.name) && o.dtype === 'float32' && (o.shape ?? [-1]).length === 0)
    .map((o) => o.name);
}
