// A schema-valid bundle.json (fused plan, 2 steps) for hostile-input tests: paths, schema and fuzz cases start from
// it and change one field. Data only; the graphs it names do not exist (the checks run before anything is opened).
export function validManifest(): Record<string, unknown> {
  return {
    format: 'disenstudio-train-bundle', version: 1, plan: 'fused',
    graphs: { step: { file: 'train_step.onnx', inputs: ['x'], outputs: ['loss'], state: { w: 'w_out' } } },
    params: ['w'], slots: ['m', 'v'],
    outputs: { loss: 'loss', gradNorm: 'gradNorm', skipped: 'skipped' },
    hyper: { lr: 'lr', step: 'step' },
    lrSchedule: { kind: 'constant', value: 1e-3 },
    optimizer: { kind: 'adamw', weightDecay: 0 },
    steps: 2, accumulation: 1, batchSize: 1,
    data: { pattern: 'data/batch_%04d.safetensors', count: 2, inputs: [] },
    state: 'state.safetensors',
    baseModel: { name: 'tiny', hash: 'abc123' },
    concepts: [{ token: '<c1>', classWord: 'cat' }],
    result: { file: 'result.safetensors', losses: 'losses.json', toPack: '' },
    settings: {},
  };
}

/** Sets the field at a dotted path ("graphs.step.file") of a JSON object, creating nothing on the way. */
export function setField(o: Record<string, unknown>, dotted: string, v: unknown): void {
  const keys = dotted.split('.');
  let at = o;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[keys[keys.length - 1] as string] = v;
}

/** Every path field of a bundle.json; data.pattern gets "%04d" appended to the hostile value. */
export const BUNDLE_PATH_FIELDS = ['graphs.step.file', 'graphs.step.externalData', 'state', 'result.file', 'result.losses', 'data.pattern'] as const;

/** `validManifest()` with path field `field` set to `path`. */
export function manifestWithPath(field: (typeof BUNDLE_PATH_FIELDS)[number], path: string): Record<string, unknown> {
  const m = validManifest();
  setField(m, field, field === 'data.pattern' ? `${path}%04d` : path);
  return m;
}
