// Shared data types of the optimizer graph builders (AdamW, Adam, SGD, gradient accumulation).
// Pure data: no onnxruntime. Naming contract of every update graph (per parameter p):
// inputs `p`, `grad/p`, `<slot>/p` (optimizer state, e.g. m/p, v/p), scalars `lr`, `step`;
// outputs `p/next`, `<slot>/p/next`, `gradNorm`, `skipped`.
import type { Graph } from '../ir/types';

/** One trainable tensor: its graph value name and static shape (float32). */
export type ParamSpec = { name: string; shape: number[] };

/** Options every update graph shares: how the incoming gradients are prepared. */
export type GradPrepOptions = {
  /** Clip by global 2-norm as torch.nn.utils.clip_grad_norm_ (no clipping when undefined). */
  maxGradNorm?: number;
  /**
   * Number of micro-batches whose gradients were SUMMED into `grad/p`; the graph divides by it, so the update
   * uses their mean (torch: loss / N per micro-batch, then backward). Default 1.
   */
  accumulationSteps?: number;
  /**
   * Wrap every state output in Where(finite, new, old) so a NaN/Inf step returns its inputs (default true).
   * false saves three full-size ops per parameter for callers that drop the outputs of a `skipped` step
   * themselves (TrainingSession does); `skipped` and `gradNorm` are computed either way.
   */
  guardOutputs?: boolean;
};

/** A built optimizer update graph and the names needed to drive it. */
export type OptimizerGraph = {
  graph: Graph;
  params: ParamSpec[];
  /** state slot prefixes, in order: input `<slot>/p`, output `<slot>/p/next` (AdamW: ['m', 'v']) */
  slots: string[];
};

/** Name of the gradient input of parameter `p`. */
export function gradName(p: string): string {
  return `grad/${p}`;
}

/** Name of the state input of parameter `p` for `slot` ('m', 'v', 'buf', 'acc'). */
export function slotName(slot: string, p: string): string {
  return `${slot}/${p}`;
}

/** Name of the updated value of an input (`p/next`, `m/p/next`). */
export function nextName(inputName: string): string {
  return `${inputName}/next`;
}
