// run.py's plumbing where Python has no onnxruntime: a stub onnxruntime module (one fused "graph" that lowers w by
// 0.1 per run and reports loss 1) stands in for the sessions, so the runner's own work — manifest paths checked and
// resolved, state and data files read, state fed back, result.safetensors and losses.json written inside the
// bundle — runs for real. ONNX Runtime's semantics are covered by bundle.test.ts where Python has onnxruntime.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../../src/diffusion/weights/safetensors';
import { validManifest } from '../../helpers/hostileBundle';

const exec = promisify(execFile);
const numpy = await exec('python3', ['-c', 'import numpy']).then(() => true, () => false);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const STUB = `import numpy as np
class _IO:
    def __init__(self, name): self.name = name
class InferenceSession:
    def __init__(self, path, providers=None):
        assert path.endswith("train_step.onnx"), path
    def get_inputs(self): return [_IO("x"), _IO("w"), _IO("lr"), _IO("step")]
    def get_outputs(self): return [_IO("loss"), _IO("gradNorm"), _IO("skipped"), _IO("w_out")]
    def run(self, names, feeds):
        out = {"loss": np.float32(1), "gradNorm": np.float32(1), "skipped": np.float32(0), "w_out": feeds["w"] - np.float32(0.1)}
        return [out[n] for n in names]
`;

describe.skipIf(!numpy)('run.py with a stub onnxruntime', () => {
  it('reads state and data through the checked paths and writes its results inside the bundle', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runpy-'));
    dirs.push(dir);
    await mkdir(join(dir, 'data'));
    await mkdir(join(dir, 'stub'));
    await writeFile(join(dir, 'stub', 'onnxruntime.py'), STUB);
    await writeFile(join(dir, 'bundle.json'), JSON.stringify(validManifest()));
    await writeFile(join(dir, 'train_step.onnx'), 'stub');
    await writeFile(join(dir, 'state.safetensors'), writeSafetensors({ w: { dtype: 'F32', shape: [2], data: Float32Array.of(1, 2) } }));
    for (const i of [0, 1]) await writeFile(join(dir, `data/batch_000${i}.safetensors`), writeSafetensors({ x: { dtype: 'F32', shape: [1], data: Float32Array.of(i) } }));
    const { stdout } = await exec('python3', [resolve('tools/bundle/run.py'), dir], { env: { ...process.env, PYTHONPATH: join(dir, 'stub') } });
    expect(JSON.parse(stdout)).toEqual({ result: join(dir, 'result.safetensors'), appliedSteps: 2, skippedSteps: 0 });
    const w = readSafetensors(new Uint8Array(await readFile(join(dir, 'result.safetensors')))).tensors.w;
    expect(Array.from(w?.data as Float32Array).map((v) => Number(v.toFixed(5)))).toEqual([0.8, 1.8]);
    expect(JSON.parse(await readFile(join(dir, 'losses.json'), 'utf8'))).toMatchObject({ appliedSteps: 2, skippedSteps: 0, losses: [1, 1] });
  });
});
