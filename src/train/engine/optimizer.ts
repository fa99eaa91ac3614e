// Picks the optimizer update graph builder for OptimizerSettings. Pure (graph building only).
// Reference: src/onnx/optim (AdamW, Adam, SGD builders; torch semantics).
import { buildAdamGraph, buildAdamWGraph, buildSgdGraph } from '../../onnx/index';
import type { OptimizerGraph, ParamSpec } from '../../onnx/index';
import { unreachable } from '../../lib/assert';
import type { OptimizerSettings } from './types';

/**
 * The update graph for `settings`, dividing summed gradients by `accumulationSteps`. Its outputs are not
 * Where-guarded: TrainingSession.commit drops the outputs of a skipped step and keeps the old state.
 */
export function buildOptimizerGraph(settings: OptimizerSettings, params: ParamSpec[], accumulationSteps: number): OptimizerGraph {
  const prep = { maxGradNorm: settings.maxGradNorm, accumulationSteps, guardOutputs: false };
  switch (settings.kind) {
    case 'adamw':
      return buildAdamWGraph(params, { ...prep, beta1: settings.beta1, beta2: settings.beta2, eps: settings.eps, weightDecay: settings.weightDecay });
    case 'adam':
      return buildAdamGraph(params, { ...prep, beta1: settings.beta1, beta2: settings.beta2, eps: settings.eps, weightDecay: settings.weightDecay });
    case 'sgd':
      return buildSgdGraph(params, { ...prep, momentum: settings.momentum, nesterov: settings.nesterov, weightDecay: settings.weightDecay });
    default:
      return unreachable(settings, 'optimizer kind');
  }
}

/** The learning rate at 1-based optimizer step `step`; fails on a non-finite or negative value. */
export function learningRateAt(settings: OptimizerSettings, step: number): number {
  const lr = typeof settings.lr === 'number' ? settings.lr : settings.lr(step);
  if (!(Number.isFinite(lr) && lr >= 0)) throw new RangeError(`learning rate at step ${step} is ${lr}; it must be a finite number ≥ 0`);
  return lr;
}
