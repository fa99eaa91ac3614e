// Data types of the training engine: the backward graph it is given, the optimizer settings, step results.
// Pure data. The backward graph type matches src/onnx's BackwardResult (buildGradientGraph) structurally.
import type { Graph } from '../../onnx/index';
import type { HostTensor } from '../../runtime/index';

/** A forward+backward graph: `loss` is a float32 scalar output, `grads` maps trainable name → gradient output. */
export type BackwardGraph = { graph: Graph; loss: string; grads: Record<string, string> };

/** Learning rate: constant, or a schedule of the 1-based optimizer step. */
export type LearningRate = number | ((step: number) => number);

type Common = { lr: LearningRate; maxGradNorm?: number; weightDecay?: number };
/** Which optimizer the session applies, with torch's defaults for omitted fields. */
export type OptimizerSettings =
  | (Common & { kind: 'adamw'; beta1?: number; beta2?: number; eps?: number })
  | (Common & { kind: 'adam'; beta1?: number; beta2?: number; eps?: number })
  | (Common & { kind: 'sgd'; momentum?: number; nesterov?: boolean });

/** One optimizer step (after `accumulationSteps` micro-batches). */
export type StepResult = {
  /** mean of the micro-batch losses */
  loss: number;
  /** loss of each micro-batch, in feed order */
  losses: number[];
  /** global gradient 2-norm before clipping (of the mean gradient when accumulating) */
  gradNorm: number;
  /** true when the NaN/Inf guard suppressed the update (parameters and moments unchanged) */
  skipped: boolean;
  /** optimizer steps applied so far (skipped steps do not count, as with torch's GradScaler) */
  stepCount: number;
  /** term output name (scalar outputs of the backward graph besides the loss, e.g. loss_base) → mean over micro-batches */
  terms: Record<string, number>;
};

/** Everything a TrainingSession needs to continue exactly where it was (TrainingSession.readState / restore). */
export type TrainingState = {
  /** optimizer steps applied: Adam's t (bias corrections) and the learning-rate schedule's position */
  stepCount: number;
  /** trainable name → value */
  params: Record<string, HostTensor>;
  /** optimizer slot name (`m/<p>`, `v/<p>` for Adam/AdamW, `buf/<p>` for SGD momentum) → value */
  slots: Record<string, HostTensor>;
};

/** Feeds for one micro-batch: backward-graph input name → host tensor (not the trainable parameters). */
export type BatchFeeds = Record<string, HostTensor>;
