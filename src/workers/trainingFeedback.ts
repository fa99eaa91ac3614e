// What the studio shows while training runs, page side: attention snapshots turned into per-token maps, how often
// to probe them, and one-at-a-time sampling of training snapshot packs. Pure helpers; no worker or DOM access.
// Reference: train/loop/attentionProbe.ts (AttentionSnapshot), state/ports.ts (TrainAttention, TrainSample).
import type { TrainAttention, TrainSample } from '../state/index';

/** AttentionSnapshot (train/loop/attentionProbe: rows M_1..M_n then C_1..C_n, each [h·w]) → one map per label. */
export function snapshotMaps(snapshot: unknown): TrainAttention | undefined {
  const snap = snapshot as { step?: number; size?: [number, number]; labels?: string[]; maps?: Float32Array } | undefined;
  if (!snap?.size || !snap.labels || !(snap.maps instanceof Float32Array)) return undefined;
  const [height, width] = snap.size;
  const n = width * height;
  const maps = snap.labels.map((token, i) => ({ token, width, height, map: snap.maps!.slice(i * n, (i + 1) * n) }));
  return { step: snap.step ?? 0, maps };
}

/** Probe the attention maps about 10 times per run (every step on short runs); each probe costs one forward pass. */
export function attentionEvery(steps: number): number {
  return Math.max(1, Math.round(steps / 10));
}

/** Samples during training, one at a time: a snapshot that arrives while one is being sampled is skipped. */
export type Sampler = { offer(step: number, packFiles: Record<string, Uint8Array>, emit: (s: TrainSample) => void): void; idle(): Promise<void>; readonly wasUsed: boolean };

export function createSampler(sample: (packFiles: Record<string, Uint8Array>) => Promise<string>): Sampler {
  let busy: Promise<void> | undefined;
  let used = false;
  return {
    offer(step, packFiles, emit) {
      if (busy) return;
      used = true;
      busy = sample(packFiles).then((dataUrl) => emit({ step, dataUrl }), () => undefined).finally(() => (busy = undefined));
    },
    idle: async () => busy,
    get wasUsed() { return used; },
  };
}
