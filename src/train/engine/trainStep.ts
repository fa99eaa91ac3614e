// TrainingSession: forward + backward + optimizer update stepped repeatedly on one Runner, with parameters,
// moments and gradient accumulators kept as DeviceTensors between steps (no host round trip of the weights);
// only the loss, the per-term losses, the gradient norm and the skip flag are read back per step; readState/restore
// move the whole optimizer state (params, moments, Adam t) for checkpoints. Never touches onnxruntime directly.
// Reference: src/onnx/optim (update graphs, torch semantics), plans.ts (fused vs accumulate), runtime/types.ts.
import { GraphError } from '../../lib/errors';
import { ACC_SLOT, encodeForSession, gradName, MAX_INLINE_BYTES, modelOf, slotName } from '../../onnx/index';
import type { DeviceTensor, Feed, HostTensor, Runner, Session } from '../../runtime/index';
import { DeviceState, disposeAll } from './DeviceState';
import { learningRateAt } from './optimizer';
import { buildPlan } from './plans';
import type { Phase, Plan } from './plans';
import { prepareTrainables, termOutputs, zerosLike } from './trainables';
import type { BackwardGraph, BatchFeeds, OptimizerSettings, StepResult, TrainingState } from './types';

export type TrainingSessionOptions = {
  runner: Runner;
  /** forward + backward graph (buildGradientGraph's result) */
  backward: BackwardGraph;
  /** trainable name → initial float32 value; undefined takes the graph initializer's data */
  trainable: Record<string, HostTensor | undefined>;
  optimizer: OptimizerSettings;
  /** micro-batches per optimizer step (gradients summed on the device, the update uses their mean); default 1 */
  accumulationSteps?: number;
  /** session name prefix for errors; default 'train' */
  name?: string;
};

type Loaded = { phase: Phase; session: Session };
/** term output name → value of one micro-batch */
type Terms = Record<string, number>;

function scalar(value: number): HostTensor {
  return { dtype: 'float32', dims: [], data: Float32Array.of(value) };
}

function hostScalar(out: Record<string, Feed>, name: string, session: string): number {
  const t = out[name] as HostTensor | undefined;
  if (!t || t.data.length !== 1) throw new GraphError(`${session}: output "${name}" must be a scalar, got [${t?.dims ?? 'missing'}]`);
  return Number(t.data[0]);
}

async function load(runner: Runner, phase: Phase): Promise<Loaded> {
  const { bytes, externalData } = encodeForSession(modelOf(phase.graph), MAX_INLINE_BYTES, `${phase.name}.onnx.data`);
  const session = await runner.createSession(phase.name, bytes, { deviceOutputs: Object.values(phase.state), ...(externalData ? { externalData } : {}) });
  return { phase, session };
}

/** Runs a phase; state outputs come back on the device (keyed by their INPUT names), the rest on the host. */
async function runPhase(l: Loaded, feeds: Record<string, Feed>): Promise<{ next: Record<string, DeviceTensor>; host: Record<string, Feed> }> {
  const out = await l.session.run(feeds, { keepOnDevice: Object.values(l.phase.state) });
  const next: Record<string, DeviceTensor> = {};
  for (const [input, output] of Object.entries(l.phase.state)) next[input] = out[output] as DeviceTensor;
  return { next, host: out };
}

export class TrainingSession {
  private steps = 0;
  private disposed = false;

  private constructor(
    private readonly runner: Runner,
    private readonly plan: Plan,
    private readonly loaded: Loaded[],
    /** parameters and optimizer state, keyed by input name (`p`, `m/p`, `v/p`, `buf/p`) */
    private readonly state: DeviceState,
    /** zero accumulators fed to the first micro-batch (accumulate plan only), keyed `acc/p` */
    private readonly zeroAcc: DeviceState | undefined,
    private readonly params: string[],
    /** state input name → shape, for restore() checks */
    private readonly shapes: Map<string, number[]>,
    private readonly loss: string,
    /** scalar term outputs read back per micro-batch */
    private readonly terms: string[],
    private readonly settings: OptimizerSettings,
    private readonly accumulationSteps: number,
  ) {}

  /**
   * Builds the graphs, loads the sessions and uploads parameters and zero moments.
   * @throws GraphError for bad trainables or settings; RuntimeFailure when a session cannot be created.
   */
  static async create(o: TrainingSessionOptions): Promise<TrainingSession> {
    const n = o.accumulationSteps ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new GraphError(`TrainingSession: accumulationSteps must be an integer ≥ 1, got ${n}`);
    const prepared = prepareTrainables(o.backward, o.trainable);
    const terms = termOutputs(prepared.backward);
    const plan = buildPlan(o.name ?? 'train', prepared.backward, prepared.params, o.optimizer, n, terms);
    const phases = plan.kind === 'fused' ? [plan.step] : [plan.grads, plan.update];
    const loaded: Loaded[] = [];
    for (const p of phases) loaded.push(await load(o.runner, p));
    const initial: Record<string, HostTensor> = { ...prepared.initial };
    for (const p of prepared.params) for (const s of plan.slots) initial[slotName(s, p.name)] = zerosLike(p.shape);
    const state = await DeviceState.upload(o.runner, initial);
    const zeros = Object.fromEntries(prepared.params.map((p) => [slotName(ACC_SLOT, p.name), zerosLike(p.shape)]));
    const zeroAcc = plan.kind === 'accumulate' ? await DeviceState.upload(o.runner, zeros) : undefined;
    const names = prepared.params.map((p) => p.name);
    const shapes = new Map(Object.entries(initial).map(([k, t]) => [k, [...t.dims]]));
    return new TrainingSession(o.runner, plan, loaded, state, zeroAcc, names, shapes, prepared.backward.loss, terms, o.optimizer, n);
  }

  /** Optimizer steps applied so far (skipped steps excluded). */
  get stepCount(): number {
    return this.steps;
  }

  /**
   * One optimizer step over `accumulationSteps` micro-batches (pass exactly that many feed records).
   * @throws GraphError on a wrong number of micro-batches or feeds that name parameters/state; RuntimeFailure from ORT.
   */
  async step(...microBatches: BatchFeeds[]): Promise<StepResult> {
    if (this.disposed) throw new GraphError('TrainingSession.step() after dispose()');
    if (microBatches.length !== this.accumulationSteps) {
      throw new GraphError(`TrainingSession.step: got ${microBatches.length} micro-batch feed record(s), accumulationSteps is ${this.accumulationSteps}`);
    }
    for (const f of microBatches) this.checkFeeds(f);
    const hyper = { lr: scalar(learningRateAt(this.settings, this.steps + 1)), step: scalar(this.steps + 1) };
    if (this.plan.kind === 'fused') {
      const [l] = this.loaded as [Loaded];
      const { next, host } = await runPhase(l, { ...microBatches[0], ...this.state.feeds(), ...hyper });
      const loss = hostScalar(host, this.loss, l.phase.name);
      return this.commit(next, host, [loss], [this.termsOf(host, l.phase.name)], l.phase.name);
    }
    const [gradsL, updateL] = this.loaded as [Loaded, Loaded];
    const { acc, losses, terms } = await this.accumulate(gradsL, microBatches);
    const grads = Object.fromEntries(this.params.map((p) => [gradName(p), acc[slotName(ACC_SLOT, p)] as DeviceTensor]));
    try {
      const { next, host } = await runPhase(updateL, { ...this.state.feeds(), ...grads, ...hyper });
      return this.commit(next, host, losses, terms, updateL.phase.name);
    } finally {
      disposeAll(acc);
    }
  }

  /** (1) acc ← 0; (2) per micro-batch: acc ← acc + ∇loss, all on the device. Returns the sums, losses and terms. */
  private async accumulate(l: Loaded, microBatches: BatchFeeds[]): Promise<{ acc: Record<string, DeviceTensor>; losses: number[]; terms: Terms[] }> {
    let acc: Record<string, DeviceTensor> | undefined;
    const losses: number[] = [];
    const terms: Terms[] = [];
    for (const feeds of microBatches) {
      const current = acc ?? (this.zeroAcc as DeviceState).feeds();
      const { next, host } = await runPhase(l, { ...feeds, ...this.state.feeds(), ...current });
      if (acc) disposeAll(acc);
      acc = next;
      losses.push(hostScalar(host, this.loss, l.phase.name));
      terms.push(this.termsOf(host, l.phase.name));
    }
    return { acc: acc as Record<string, DeviceTensor>, losses, terms };
  }

  private termsOf(host: Record<string, Feed>, session: string): Terms {
    return Object.fromEntries(this.terms.map((t) => [t, hostScalar(host, t, session)]));
  }

  /**
   * Keeps the new state unless the step was skipped. Host double check: a non-finite gradNorm also counts as
   * skipped, for backends whose comparisons do not follow IEEE NaN rules (WGSL allows that); the previous state
   * is still held, so nothing is lost.
   */
  private commit(next: Record<string, DeviceTensor>, host: Record<string, Feed>, losses: number[], perMicro: Terms[], session: string): StepResult {
    const gradNorm = hostScalar(host, 'gradNorm', session);
    const skipped = hostScalar(host, 'skipped', session) !== 0 || !Number.isFinite(gradNorm);
    if (skipped) disposeAll(next);
    else {
      this.state.replace(next);
      this.steps += 1;
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const terms = Object.fromEntries(this.terms.map((t) => [t, mean(perMicro.map((m) => m[t] as number))]));
    return { loss: mean(losses), losses, gradNorm, skipped, stepCount: this.steps, terms };
  }

  private checkFeeds(feeds: BatchFeeds): void {
    const reserved = new Set([...this.state.names, ...(this.zeroAcc?.names ?? []), 'lr', 'step']);
    const bad = Object.keys(feeds).filter((k) => reserved.has(k));
    if (bad.length) throw new GraphError(`TrainingSession.step: feeds ${bad.join(', ')} are parameters or optimizer state held on the device; feed only data inputs`);
  }

  /** Current parameter values, copied to the host (name → float32 tensor). */
  async readParams(): Promise<Record<string, HostTensor>> {
    return this.state.download(this.params);
  }

  /** The whole optimizer state copied to the host: params, slots (moments / momentum) and the step count. */
  async readState(): Promise<TrainingState> {
    if (this.disposed) throw new GraphError('TrainingSession.readState() after dispose()');
    const all = await this.state.download(this.state.names);
    const isParam = new Set(this.params);
    const params = Object.fromEntries(Object.entries(all).filter(([k]) => isParam.has(k)));
    const slots = Object.fromEntries(Object.entries(all).filter(([k]) => !isParam.has(k)));
    return { stepCount: this.steps, params, slots };
  }

  /**
   * Replaces params, slots and the step count with `s` (as readState returned them, possibly from another
   * session of the same graph and optimizer), so the next step continues exactly where `s` was taken.
   * @throws GraphError when a name is missing or unknown, a shape differs, or stepCount is not an integer ≥ 0.
   */
  async restore(s: TrainingState): Promise<void> {
    if (this.disposed) throw new GraphError('TrainingSession.restore() after dispose()');
    if (!Number.isInteger(s.stepCount) || s.stepCount < 0) throw new GraphError(`TrainingSession.restore: stepCount must be an integer ≥ 0, got ${s.stepCount}`);
    const values: Record<string, HostTensor> = { ...s.params, ...s.slots };
    const missing = [...this.shapes.keys()].filter((k) => !values[k]);
    const unknown = Object.keys(values).filter((k) => !this.shapes.has(k));
    if (missing.length || unknown.length) {
      throw new GraphError(`TrainingSession.restore: state ${missing.length ? `lacks ${missing.join(', ')}` : ''}${missing.length && unknown.length ? '; ' : ''}${unknown.length ? `has unknown ${unknown.join(', ')}` : ''}; pass what readState() of a session with the same graph and optimizer returned`);
    }
    for (const [k, t] of Object.entries(values)) {
      const want = this.shapes.get(k) as number[];
      if (t.dtype !== 'float32' || t.dims.length !== want.length || t.dims.some((d, i) => d !== want[i])) {
        throw new GraphError(`TrainingSession.restore: "${k}" is ${t.dtype}[${t.dims}], the session holds float32[${want}]`);
      }
    }
    const next: Record<string, DeviceTensor> = {};
    try {
      for (const [k, t] of Object.entries(values)) next[k] = await this.runner.upload({ dtype: 'float32', dims: [...t.dims], data: t.data.slice() });
    } catch (e) {
      disposeAll(next);
      throw e;
    }
    this.state.replace(next);
    this.steps = s.stepCount;
  }

  /** Releases the sessions and every device tensor. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.state.dispose();
    this.zeroAcc?.dispose();
    for (const l of this.loaded) await l.session.dispose();
  }
}
