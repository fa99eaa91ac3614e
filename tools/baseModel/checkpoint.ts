// Checkpoints of `npm run train:base` under .cache/baseModel/: state.json (stage progress, losses, wall time,
// scaling factor) and one F32 safetensors per part. Never writes outside the directory it is given.
// Reference: src/diffusion/weights/safetensors.ts.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors, tensorToFloat32, writeSafetensors } from '../../src/diffusion/weights/safetensors';
import type { SafeTensor } from '../../src/diffusion/weights/safetensors';
import type { Params } from '../../src/train/baseModel/stages';

export type StageState = { step: number; total: number; losses: number[]; wallS: number };
export type TrainState = { seed: number; batch: number; batchA: number; a: StageState; b: StageState; scalingFactor?: number; poolSize: number };

const atomicWrite = (path: string, data: Uint8Array | string): void => {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
};

export function saveParams(dir: string, part: string, params: Params): void {
  mkdirSync(dir, { recursive: true });
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, data] of params) tensors[name] = { dtype: 'F32', shape: [data.length], data };
  atomicWrite(join(dir, `${part}.safetensors`), writeSafetensors(tensors));
}

export function loadParams(dir: string, part: string): Params | undefined {
  const path = join(dir, `${part}.safetensors`);
  if (!existsSync(path)) return undefined;
  const file = readSafetensors(new Uint8Array(readFileSync(path)));
  return new Map(Object.entries(file.tensors).map(([k, t]) => [k, tensorToFloat32(k, t)]));
}

export function saveState(dir: string, state: TrainState): void {
  mkdirSync(dir, { recursive: true });
  atomicWrite(join(dir, 'state.json'), JSON.stringify(state));
}

export function loadState(dir: string): TrainState | undefined {
  const path = join(dir, 'state.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as TrainState) : undefined;
}
