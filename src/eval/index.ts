// Public entry of src/eval: the world's automatic, deterministic evaluator (issue 5 item 2).
export { Evaluator, EVAL_BATCH, loadEvaluator } from './Evaluator';
export type { AlignmentMasks } from './Evaluator';
export { predictedCount, probsFromRow, setScoresOf, textAlignmentOf } from './alignment';
export type { AttributeProbs, SetScores } from './alignment';
export { EMBED_DIM, EVAL_SIZE, HEADS, initParams, paramShapes } from './architecture';
export type { EvalImage } from './labels';
export { toInput, toTargets } from './labels';
export { headAccuracy } from './metrics';
export type { HeadAccuracy } from './metrics';
export { labelled, ScenePool, testScenes, trainingBatch, flipX } from './data';
export { buildTrainGraph } from './trainGraph';
export { learningRate, trainEvaluator } from './trainer';
export type { TrainOptions, TrainResult } from './trainer';
export { packWeights, unpackWeights } from './weights';
export type { EvaluatorManifest, TensorEntry } from './weights';
