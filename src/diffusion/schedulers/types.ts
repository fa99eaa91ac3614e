// The scheduler contract shared by every sampler in this folder (docs/house-style.md §11 "scheduler").
// Pure data and interfaces: no I/O, no RNG; ancestral noise is always an argument.
// Reference: diffusers SchedulerMixin (set_timesteps / step / add_noise / scale_model_input).

/** diffusers `beta_schedule`. SD1.x uses 'scaled_linear' 0.00085 → 0.012 over T = 1000. */
export type BetaSchedule = 'linear' | 'scaled_linear' | 'squaredcos_cap_v2';
/** diffusers `timestep_spacing` (Table 2 of "Common Diffusion Noise Schedules…", Lin et al. 2024). */
export type TimestepSpacing = 'leading' | 'trailing' | 'linspace';
/** What the model predicts: ε (SD1.x) or v = √ᾱ·ε − √(1−ᾱ)·x₀ (SD2.x 768). */
export type PredictionType = 'epsilon' | 'v_prediction';

/** Noise-schedule part of every scheduler config. */
export type BetaConfig = {
  /** T, number of training timesteps. Default 1000. */
  numTrainTimesteps: number;
  /** β at t = 0. SD1.x default 0.00085. */
  betaStart: number;
  /** β at t = T−1. SD1.x default 0.012. */
  betaEnd: number;
  /** Default 'scaled_linear'. 'squaredcos_cap_v2' ignores betaStart/betaEnd. */
  betaSchedule: BetaSchedule;
  /**
   * Rescale β so the last timestep has zero SNR (Lin et al. 2024, Algorithm 1; diffusers
   * `rescale_zero_terminal_snr`). Default false. Sigma-based samplers then set ᾱ_{T−1} = 2⁻²⁴, as diffusers does.
   */
  rescaleBetasZeroSnr?: boolean;
};

/** Result of one denoising step. Both arrays are fresh, owned by the caller, shaped like `sample`. */
export type StepResult = {
  /** x_{t−1} (or the next point of the ODE/SDE solution), Float32 [B, C, H, W]. */
  prevSample: Float32Array;
  /** The model's current estimate of x₀, Float32 [B, C, H, W]. */
  predOriginalSample: Float32Array;
};

/**
 * One sampling run: created for a fixed number of steps, then `step` is called once per entry of
 * `timesteps`, in order. Multistep solvers keep their history inside, so make a new one per image.
 */
export interface Scheduler {
  /** The registry / A1111 display name, e.g. "DPM++ 2M Karras". */
  readonly name: string;
  /** Timesteps (0…T−1, possibly fractional for sigma-based samplers) to feed the model, high → low. */
  readonly timesteps: readonly number[];
  /** Multiply unit-variance initial noise by this before the first step. */
  readonly initNoiseSigma: number;
  /** One step. `noise` (unit normal, same length as `sample`) is required where the step is stochastic. */
  step(modelOutput: Float32Array, timestep: number, sample: Float32Array, noise?: Float32Array): StepResult;
  /**
   * Forward diffusion q(x_t | x₀). `x0` and `noise` are Float32 [B, …]; `timesteps` has length B
   * (one per batch element) or 1 (shared).
   */
  addNoise(x0: Float32Array, noise: Float32Array, timesteps: readonly number[]): Float32Array;
  /** What the model must see at `timestep` (identity except for sigma-based samplers). */
  scaleModelInput(sample: Float32Array, timestep: number): Float32Array;
  /**
   * Start the run at `timesteps[index]` instead of the first entry (image-to-image: diffusers `set_begin_index`).
   * Only samplers that track their position need it (multistep history); the others find the index from the
   * timestep and leave it out. Call before the first step.
   */
  setBeginIndex?(index: number): void;
}
