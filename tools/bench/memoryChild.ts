// Child process of `npm run bench:memory`: builds ONE DisenDiff training configuration, loads its fused step
// (forward + backward + AdamW) with onnxruntime-node's CPU arena and memory patterns OFF, and measures the
// resident-memory peak of one step: clear_refs resets VmHWM (Linux), then VmHWM − VmRSS around step().
// Env: BENCH_MEMORY_OPT (ORT graph optimization level), BENCH_MEMORY_STEPS, BENCH_MEMORY_RECOMPUTE ('layers' |
// 'blocks': the graph built with activation recomputation). Prints one JSON line; run by
// tools/bench/memory.ts and test/train/memory/measured.test.ts (one child per measurement: clean peaks).
import { readFileSync, writeFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import { Rng } from '../../src/lib/random';
import { createOrtRunner } from '../../src/runtime/node';
import type { OrtLike } from '../../src/runtime/ortSession';
import type { HostTensor } from '../../src/runtime/types';
import { TrainingSession } from '../../src/train/engine/trainStep';
import { benchTrainGraph, BENCH_CONFIGS } from './memoryConfigs';

function statusKiB(field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  if (!m) throw new Error(`/proc/self/status has no ${field} line (Linux only)`);
  return Number(m[1]);
}

/** Random data feeds of the right shapes: ids 0, timesteps 0..999, one-hot-free float inputs in [0, 1). */
function feedsFor(inputs: { name: string; dtype: string; shape: number[] }[], rng: Rng): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const v of inputs) {
    const n = v.shape.reduce((a, d) => a * d, 1);
    if (v.dtype === 'int32') out[v.name] = { dtype: 'int32', dims: v.shape, data: new Int32Array(n) };
    else if (v.name === 'timestep') out[v.name] = { dtype: 'float32', dims: v.shape, data: Float32Array.from({ length: n }, () => rng.int(0, 999)) };
    else out[v.name] = { dtype: 'float32', dims: v.shape, data: Float32Array.from({ length: n }, () => rng.uniform()) };
  }
  return out;
}

/** Full GC, then a pause so V8's concurrent sweeper finishes releasing pages before the baseline is read. */
async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 300));
  gc?.();
}

async function main(): Promise<void> {
  const id = process.argv[2] ?? '';
  const cfg = BENCH_CONFIGS.find((c) => c.id === id);
  if (!cfg) throw new Error(`unknown config "${id}"; known: ${BENCH_CONFIGS.map((c) => c.id).join(', ')}`);
  const recompute = process.env.BENCH_MEMORY_RECOMPUTE;
  if (recompute !== undefined && recompute !== 'layers' && recompute !== 'blocks') throw new Error(`BENCH_MEMORY_RECOMPUTE must be 'layers' or 'blocks', got "${recompute}"`);
  const tg = benchTrainGraph(cfg, recompute);
  const backend = { ep: 'cpu' as const, reason: 'requested', isFallback: false };
  const runner = createOrtRunner(ortNode as unknown as OrtLike, backend, {
    executionProviders: ['cpu'], intraOpNumThreads: 1, graphOptimizationLevel: process.env.BENCH_MEMORY_OPT ?? 'all', enableCpuMemArena: false, enableMemPattern: false,
  });
  const rng = new Rng(7);
  const trainable: Record<string, HostTensor | undefined> = {};
  for (const name of tg.trainable) {
    const v = tg.backward.graph.inputs.find((i) => i.name === name);
    const dims = v?.shape as number[] | undefined;
    trainable[name] = dims && { dtype: 'float32', dims, data: rng.normalArray(dims.reduce((a, d) => a * d, 1), 0.02) };
  }
  const session = await TrainingSession.create({ runner, backward: tg.backward, trainable, optimizer: { kind: 'adamw', lr: 1e-4, weightDecay: 0.01 } });
  const inputs = tg.backward.graph.inputs.filter((v) => tg.dataInputs.includes(v.name)).map((v) => ({ name: v.name, dtype: v.dtype, shape: v.shape as number[] }));
  const feeds = feedsFor(inputs, rng);
  const steps: { baseKiB: number; peakKiB: number }[] = [];
  for (let i = 0; i < Number(process.env.BENCH_MEMORY_STEPS ?? 2); i++) {
    await settle();
    writeFileSync('/proc/self/clear_refs', '5');
    const baseKiB = statusKiB('VmRSS');
    await session.step(feeds);
    steps.push({ baseKiB, peakKiB: statusKiB('VmHWM') });
  }
  await session.dispose();
  const deltas = steps.map((s) => (s.peakKiB - s.baseKiB) * 1024);
  process.stdout.write(`${JSON.stringify({ id, measuredDeltaBytes: deltas, baseRssBytes: steps.map((s) => s.baseKiB * 1024) })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
