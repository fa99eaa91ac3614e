// The sampler registry: A1111 display names (what users type and what infotext records) → factory,
// plus the diffusers class and ComfyUI sampler/scheduler pair for exports. Data only; no I/O.
// Reference: docs/ecosystem.md §6 (name mapping table).
import { ConfigError } from '../../lib/errors';
import { createDdim } from './ddim';
import type { DdimConfig } from './ddim';
import { createDdpm } from './ddpm';
import type { DdpmConfig } from './ddpm';
import { createDpmSolverMultistep } from './dpmSolverMultistep';
import type { DpmSolverMultistepConfig } from './dpmSolverMultistep';
import { createEuler } from './euler';
import type { EulerConfig } from './euler';
import { createEulerAncestral } from './eulerAncestral';
import type { Scheduler } from './types';

/** Any config field of any scheduler; each factory reads only its own fields. */
export type SchedulerOverrides = Partial<DdimConfig & DdpmConfig & EulerConfig & DpmSolverMultistepConfig>;

/** One registered sampler. */
export type SamplerEntry = {
  /** A1111 display name (older A1111 infotext spelling, e.g. "DPM++ 2M Karras"). */
  name: string;
  /** diffusers class (and the config it implies). */
  diffusers: string;
  /** ComfyUI `sampler_name + scheduler`. */
  comfy: string;
  /** What current A1111 writes to infotext: "Sampler: …" and, when not Automatic, "Schedule type: …". */
  infotext: { sampler: string; scheduleType?: string };
  create(numSteps: number, overrides?: SchedulerOverrides): Scheduler;
};

/** Display name → entry. Order is the order shown in the UI. */
export const SAMPLERS: Readonly<Record<string, SamplerEntry>> = {
  'DPM++ 2M Karras': {
    name: 'DPM++ 2M Karras',
    infotext: { sampler: 'DPM++ 2M', scheduleType: 'Karras' },
    diffusers: 'DPMSolverMultistepScheduler(use_karras_sigmas=True)',
    comfy: 'dpmpp_2m + karras',
    create: (n, o = {}) => createDpmSolverMultistep({ ...o, useKarrasSigmas: true }, n, 'DPM++ 2M Karras'),
  },
  'DPM++ 2M': {
    name: 'DPM++ 2M',
    infotext: { sampler: 'DPM++ 2M' },
    diffusers: 'DPMSolverMultistepScheduler',
    comfy: 'dpmpp_2m + normal',
    create: (n, o = {}) => createDpmSolverMultistep({ ...o, useKarrasSigmas: false }, n, 'DPM++ 2M'),
  },
  'Euler a': {
    name: 'Euler a',
    infotext: { sampler: 'Euler a' },
    diffusers: 'EulerAncestralDiscreteScheduler',
    comfy: 'euler_ancestral + normal',
    create: (n, o = {}) => createEulerAncestral(o, n, 'Euler a'),
  },
  Euler: {
    name: 'Euler',
    infotext: { sampler: 'Euler' },
    diffusers: 'EulerDiscreteScheduler',
    comfy: 'euler + normal',
    create: (n, o = {}) => createEuler({ ...o, useKarrasSigmas: false }, n, 'Euler'),
  },
  DDIM: {
    name: 'DDIM',
    infotext: { sampler: 'DDIM' },
    diffusers: 'DDIMScheduler',
    comfy: 'ddim + ddim_uniform',
    create: (n, o = {}) => createDdim(o, n, 'DDIM'),
  },
  DDPM: {
    name: 'DDPM',
    infotext: { sampler: 'DDPM' },
    diffusers: 'DDPMScheduler',
    comfy: 'ddpm + normal',
    create: (n, o = {}) => createDdpm(o, n, 'DDPM'),
  },
};

/** The registered display names, in UI order. */
export function samplerNames(): string[] {
  return Object.keys(SAMPLERS);
}

/**
 * Creates a scheduler by its A1111 display name.
 * @param name e.g. "Euler a", "DPM++ 2M Karras" (exact, case-sensitive).
 * @param numSteps inference steps, 1…T.
 * @param overrides config fields over the SD1.5 defaults (e.g. `{ eta: 1 }` for DDIM).
 * @throws ConfigError for an unknown name (listing the valid ones) or a bad config.
 * @example const s = createScheduler('DDIM', 50, { eta: 1 }); s.timesteps[0] === 981
 */
export function createScheduler(name: string, numSteps: number, overrides: SchedulerOverrides = {}): Scheduler {
  const entry = Object.prototype.hasOwnProperty.call(SAMPLERS, name) ? SAMPLERS[name] : undefined;
  if (!entry) {
    throw new ConfigError(`Unknown sampler "${name}". Valid names: ${samplerNames().map((n) => `"${n}"`).join(', ')}.`);
  }
  return entry.create(numSteps, overrides);
}
