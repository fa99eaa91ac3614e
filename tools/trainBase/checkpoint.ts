// Checkpoints of npm run train:base: <dir>/state.json (stage, steps done, loss history, wall time, latent
// scale), <dir>/<part>.safetensors (F32 parameters by state-dict name) and <dir>/optimizer-<stage>.safetensors
// (the stage's AdamW moments by graph name, with Adam's t and the stage step they belong to in the metadata, so
// that a resume continues the optimizer exactly). Written to a temp name, then renamed, so an interrupted write
// never replaces a good checkpoint.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors, tensorToFloat32, writeSafetensors } from '../../src/diffusion/weights/safetensors';
import type { SafeTensor } from '../../src/diffusion/weights/safetensors';

export type Part = 'vae' | 'text_encoder' | 'unet';
export type Params = Record<Part, Map<string, Float32Array>>;

export type RunState = {
  seed: number;
  vaeSteps: number;
  unetSteps: number;
  /** optimizer steps done per stage */
  vaeDone: number;
  unetDone: number;
  /** per-step losses, one entry per step done */
  vaeLoss: number[];
  unetLoss: number[];
  /** wall seconds spent per stage (summed over resumes) */
  vaeSeconds: number;
  unetSeconds: number;
  /** 1 / std of the VAE latent means, set after stage A */
  scalingFactor: number;
  /** stage B's object weight α (loss weight 1 + α·objectMap per latent pixel; absent or 0 = plain ε-MSE) and the
   * stage B step it was switched on at */
  objectWeight?: number;
  objectWeightFrom?: number;
  /** stage B's scene pool size (pool.ts; absent or 0 = a fresh batch every step) and the stage B step it began at */
  pool?: number;
  poolFrom?: number;
  /** stage B step at which the cosine reaches its 10 % floor when that is before unetSteps (--unet-decay-end):
   * steps past it train at the floor; absent = the cosine ends at unetSteps */
  unetDecayEnd?: number;
  /** stage A′ (decoder fine-tune on frozen-encoder means); absent in checkpoints that predate it */
  decoderSteps?: number;
  decoderDone?: number;
  decoderLoss?: number[];
  decoderSeconds?: number;
};

export const PARTS: Part[] = ['vae', 'text_encoder', 'unet'];

function atomicWrite(path: string, bytes: Uint8Array | string): void {
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
}

export function saveCheckpoint(dir: string, state: RunState | object, params: Params): void {
  mkdirSync(dir, { recursive: true });
  for (const part of PARTS) {
    const tensors: Record<string, SafeTensor> = {};
    for (const [name, data] of params[part]) tensors[name] = { dtype: 'F32', shape: [data.length], data };
    if (Object.keys(tensors).length > 0) atomicWrite(join(dir, `${part}.safetensors`), writeSafetensors(tensors));
  }
  atomicWrite(join(dir, 'state.json'), `${JSON.stringify(state)}\n`);
}

/** A training stage with its own optimizer (stage A, A′, B, and the grounding fine-tune C of tools/trainBase/ground.ts). */
export type OptimizerStage = 'vae' | 'decoder' | 'unet' | 'ground';
/** One stage's AdamW state: slots (`m/<p>`, `v/<p>`) by graph name, the session's step count `t` (Adam's bias
 * correction) and the stage step `done` at which it was taken (it only fits parameters saved at that step). */
export type OptimizerCheckpoint = { t: number; done: number; slots: Record<string, { dims: number[]; data: Float32Array }> };

export function saveOptimizer(dir: string, stage: OptimizerStage, o: OptimizerCheckpoint): void {
  mkdirSync(dir, { recursive: true });
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, t] of Object.entries(o.slots)) tensors[name] = { dtype: 'F32', shape: t.dims, data: t.data };
  atomicWrite(join(dir, `optimizer-${stage}.safetensors`), writeSafetensors(tensors, { t: String(o.t), done: String(o.done) }));
}

/** The stage's saved optimizer state, or undefined when none was saved (checkpoints before this file existed). */
export function loadOptimizer(dir: string, stage: OptimizerStage): OptimizerCheckpoint | undefined {
  const path = join(dir, `optimizer-${stage}.safetensors`);
  if (!existsSync(path)) return undefined;
  const file = readSafetensors(new Uint8Array(readFileSync(path)));
  const slots: OptimizerCheckpoint['slots'] = {};
  for (const [name, t] of Object.entries(file.tensors)) slots[name] = { dims: [...t.shape], data: tensorToFloat32(name, t) };
  return { t: Number(file.metadata.t), done: Number(file.metadata.done), slots };
}

/** The saved state and parameters (flat F32; shapes come from the graphs), or undefined when none exists. */
export function loadCheckpoint(dir: string): { state: RunState; params: Params } | undefined {
  if (!existsSync(join(dir, 'state.json'))) return undefined;
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as RunState;
  const params: Params = { vae: new Map(), text_encoder: new Map(), unet: new Map() };
  for (const part of PARTS) {
    const path = join(dir, `${part}.safetensors`);
    if (!existsSync(path)) continue;
    const file = readSafetensors(new Uint8Array(readFileSync(path)));
    for (const [name, t] of Object.entries(file.tensors)) params[part].set(name, tensorToFloat32(name, t));
  }
  return { state, params };
}
