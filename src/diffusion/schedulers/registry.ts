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
  /**
   * What A1111 1.10 writes to infotext: "Sampler: …" (null: A1111 has no such sampler, so the infotext names it in
   * "DisenStudio sampler" instead, a key A1111 ignores) and "Schedule type: …" where A1111 would otherwise pick
   * another schedule; `isA1111Automatic`: this is what A1111 runs for the sampler when the schedule type is absent.
   */
  infotext: { sampler: string | null; scheduleType?: string; isA1111Automatic?: boolean };
  /**
   * The diffusers class's own `__init__` defaults: what a key absent from a folder's scheduler_config.json means
   * when diffusers builds this sampler with `from_config` (createSchedulerFromConfig).
   */
  diffusersDefaults: SchedulerOverrides;
  create(numSteps: number, overrides?: SchedulerOverrides): Scheduler;
};

/** Keys every diffusers scheduler here defaults the same way (linear β 1e-4 → 0.02, no offset, ε, no zero SNR). */
const DIFFUSERS_COMMON: SchedulerOverrides = {
  numTrainTimesteps: 1000, betaStart: 0.0001, betaEnd: 0.02, betaSchedule: 'linear', stepsOffset: 0,
  predictionType: 'epsilon', rescaleBetasZeroSnr: false,
};
/** DDIMScheduler / DDPMScheduler: 'leading', x₀ clipped to ±1, DDIM's final ᾱ = 1. */
const DIFFUSERS_DDIM: SchedulerOverrides = { ...DIFFUSERS_COMMON, timestepSpacing: 'leading', clipSample: true, clipSampleRange: 1, setAlphaToOne: true };
/** EulerDiscrete / EulerAncestralDiscrete / DPMSolverMultistep: 'linspace'. */
const DIFFUSERS_SIGMA: SchedulerOverrides = { ...DIFFUSERS_COMMON, timestepSpacing: 'linspace' };

/**
 * Display name → entry: the one list of samplers. The studio's sampler picker, the generation worker, the CLIs'
 * `--sampler`, infotext and PNG import all read it; adding an entry here is all it takes to offer a sampler.
 * Order is the order shown in the UI.
 */
const ENTRIES = {
  'DPM++ 2M Karras': {
    name: 'DPM++ 2M Karras',
    infotext: { sampler: 'DPM++ 2M', scheduleType: 'Karras', isA1111Automatic: true },
    diffusersDefaults: DIFFUSERS_SIGMA,
    diffusers: 'DPMSolverMultistepScheduler(use_karras_sigmas=True)',
    comfy: 'dpmpp_2m + karras',
    create: (n, o = {}) => createDpmSolverMultistep({ ...o, useKarrasSigmas: true }, n, 'DPM++ 2M Karras'),
  },
  'DPM++ 2M': {
    name: 'DPM++ 2M',
    infotext: { sampler: 'DPM++ 2M', scheduleType: 'Uniform' },
    diffusersDefaults: DIFFUSERS_SIGMA,
    diffusers: 'DPMSolverMultistepScheduler',
    comfy: 'dpmpp_2m + normal',
    create: (n, o = {}) => createDpmSolverMultistep({ ...o, useKarrasSigmas: false }, n, 'DPM++ 2M'),
  },
  'Euler a': {
    name: 'Euler a',
    infotext: { sampler: 'Euler a', isA1111Automatic: true },
    diffusersDefaults: DIFFUSERS_SIGMA,
    diffusers: 'EulerAncestralDiscreteScheduler',
    comfy: 'euler_ancestral + normal',
    create: (n, o = {}) => createEulerAncestral(o, n, 'Euler a'),
  },
  Euler: {
    name: 'Euler',
    infotext: { sampler: 'Euler', isA1111Automatic: true },
    diffusersDefaults: DIFFUSERS_SIGMA,
    diffusers: 'EulerDiscreteScheduler',
    comfy: 'euler + normal',
    create: (n, o = {}) => createEuler({ ...o, useKarrasSigmas: false }, n, 'Euler'),
  },
  DDIM: {
    name: 'DDIM',
    infotext: { sampler: 'DDIM', isA1111Automatic: true },
    diffusersDefaults: DIFFUSERS_DDIM,
    diffusers: 'DDIMScheduler',
    comfy: 'ddim + ddim_uniform',
    create: (n, o = {}) => createDdim(o, n, 'DDIM'),
  },
  DDPM: {
    name: 'DDPM',
    infotext: { sampler: null },
    diffusersDefaults: { ...DIFFUSERS_DDIM, varianceType: 'fixed_small' },
    diffusers: 'DDPMScheduler',
    comfy: 'ddpm + normal',
    create: (n, o = {}) => createDdpm(o, n, 'DDPM'),
  },
} satisfies Record<string, SamplerEntry>;

/** A registered sampler's display name ("DPM++ 2M Karras", "Euler a", …). */
export type SamplerName = keyof typeof ENTRIES;

/** Display name → entry, for lookups by a name that came from outside (infotext, a CLI flag, a file). */
export const SAMPLERS: Readonly<Record<string, SamplerEntry>> = ENTRIES;

/** The registered display names, in UI order. */
export const SAMPLER_NAMES: readonly SamplerName[] = Object.keys(ENTRIES) as SamplerName[];

/** The registered display names, in UI order (a fresh copy). */
export function samplerNames(): SamplerName[] {
  return [...SAMPLER_NAMES];
}

/** Whether `name` is a registered display name (exact, case-sensitive). */
export function isSamplerName(name: unknown): name is SamplerName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ENTRIES, name);
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
  return samplerEntry(name).create(numSteps, overrides);
}

function samplerEntry(name: string): SamplerEntry {
  const entry = isSamplerName(name) ? SAMPLERS[name] : undefined;
  if (!entry) {
    throw new ConfigError(`Unknown sampler "${name}". Valid names: ${samplerNames().map((n) => `"${n}"`).join(', ')}.`);
  }
  return entry;
}

/**
 * Creates a sampler for a model's scheduler config the way diffusers' `SamplerClass.from_config(config)` does: the
 * keys the folder sets are used (spacing, offset, clipping, zero SNR, …), every key it lacks takes the diffusers
 * class's own default (so a config without `clip_sample` clips in DDIM and DDPM, as in diffusers), and the keys
 * that define the sampler (Karras sigmas for "DPM++ 2M Karras") and `overrides` (e.g. DDIM η) win.
 * Reference: diffusers configuration_utils.py `ConfigMixin.from_config` / `extract_init_dict`.
 * @throws ConfigError for an unknown name or a bad config
 * @example createSchedulerFromConfig('Euler', 20, { timestepSpacing: 'leading', stepsOffset: 1 }).timesteps[0] === 951
 */
export function createSchedulerFromConfig(name: string, numSteps: number, config: SchedulerOverrides, overrides: SchedulerOverrides = {}): Scheduler {
  const entry = samplerEntry(name);
  const defined = (o: SchedulerOverrides) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as SchedulerOverrides;
  return entry.create(numSteps, { ...defined(entry.diffusersDefaults), ...defined(config), ...defined(overrides) });
}
