// The training worker's start message as the studio builds it (src/workers/trainingStart.ts startMessage): the
// model as URLs or as the picked folder's bytes, the regularisation plan of the settings, checkpoint / attention /
// snapshot cadence, the export stem from the tokens, and the recomputation only when the plan asks for it.
import { describe, expect, it } from 'vitest';
import { findPreset } from '../../src/state/index';
import type { GenerateRequest, TrainRequest } from '../../src/state/index';
import { startMessage } from '../../src/workers/trainingStart';
import type { ModelChoice } from '../../src/workers/modelChoice';

const target = { width: 2, height: 2, channels: 4, data: new Float32Array(16) };
const url: ModelChoice = { baseUrl: '/models/default', files: ['model_index.json'], isDemo: false, label: 'default' };

function request(preset: string, extra: Partial<TrainRequest> = {}): TrainRequest {
  const settings = findPreset(preset)!.settings;
  return { image: { dataUrl: 'data:,', crop: { x: 0, y: 0, size: 2 } }, concepts: [{ token: '<c1>', classWord: 'circle', mask: new Uint8Array(4) }, { token: '<s1>', classWord: 'square', mask: new Uint8Array(4) }], maskResolution: 2, settings, runId: 'run-7', ...extra } as TrainRequest;
}

describe('startMessage', () => {
  it('sends a URL model, the released 200 × 25 regularisation plan, ~50 checkpoints and ~10 attention probes for 250 steps', () => {
    const m = startMessage(url, { prefer: 'wasm' }, request('disendiff'), target);
    expect(m.model).toEqual({ kind: 'url', baseUrl: '/models/default', files: ['model_index.json'] });
    expect([m.steps, m.regularisationCount, m.regularisationSteps, m.checkpointEvery, m.attentionEvery, m.snapshotEvery]).toEqual([250, 200, 25, 5, 25, 0]);
    expect(m.concepts).toEqual([{ token: '<c1>', classWord: 'circle' }, { token: '<s1>', classWord: 'square' }]);
    expect(m.exportTitle).toBe('c1_s1');
    expect(m).toMatchObject({ type: 'start', runId: 'run-7', isResume: false, seed: 1, runtime: { prefer: 'wasm' }, target });
    expect(m.config).not.toHaveProperty('recompute');
    expect(m.config).toMatchObject({ useMasks: false, unionSampling: false, subsetIsolation: false });
  });

  it('sends a picked folder as its bytes, a smoke run with 2 × 2 regularisation, resume, preview cadence and recomputation', () => {
    const bytes = { 'model_index.json': new Uint8Array([123, 125]) };
    const picked: ModelChoice = { ...url, label: 'my folder', bytes };
    const m = startMessage(picked, {}, request('smoke', { isResume: true, preview: { every: 3, request: {} as GenerateRequest } }), target, 'layers');
    expect(m.model).toEqual({ kind: 'files', label: 'my folder', files: bytes });
    expect([m.steps, m.regularisationCount, m.regularisationSteps, m.checkpointEvery, m.attentionEvery, m.snapshotEvery, m.isResume]).toEqual([2, 2, 2, 1, 1, 3, true]);
    expect(m.config).toMatchObject({ recompute: 'layers', useMasks: true, unionSampling: true });
  });
});
