// Training a small MLP and a small conv+attention net for a few hundred AdamW steps in onnxruntime-node
// (1 thread) through TrainingSession: the loss must fall far below its start (concrete thresholds).
import { describe, expect, it } from 'vitest';
import { TrainingSession } from '../../../src/train/engine/trainStep';
import { nodeOrt } from '../../helpers/ort';
import { convAttentionModel, mlpModel } from './models';
import type { BackwardResult } from '../../../src/onnx/index';
import type { HostTensor } from '../../../src/runtime/types';

async function train(backward: BackwardResult, feeds: Record<string, HostTensor>, steps: number, lr: number): Promise<{ first: number; last: number; skipped: number }> {
  const trainable = Object.fromEntries(Object.keys(backward.grads).map((k) => [k, undefined]));
  const ts = await TrainingSession.create({ runner: nodeOrt(), backward, trainable, optimizer: { kind: 'adamw', lr, weightDecay: 0.01, maxGradNorm: 1 } });
  let first = NaN;
  let last = NaN;
  let skipped = 0;
  for (let i = 0; i < steps; i++) {
    const r = await ts.step(feeds);
    if (i === 0) first = r.loss;
    last = r.loss;
    if (r.skipped) skipped++;
  }
  await ts.dispose();
  return { first, last, skipped };
}

describe('when training a 2-32-32-1 tanh MLP on y = sin(2·x0)·x1 (64 points, full batch)', () => {
  it('brings the MSE from its start (> 0.3) below 0.005 in 300 AdamW steps', async () => {
    const { backward, feeds } = mlpModel(64, 11);
    const r = await train(backward, feeds, 300, 0.02);
    expect(r.first).toBeGreaterThan(0.3);
    expect(r.last).toBeLessThan(0.005);
    expect(r.skipped).toBe(0);
  });
});

describe('when training a conv → attention → conv student on a fixed teacher of the same shape', () => {
  it('brings the MSE below 1% of its start (and below 0.01) in 200 AdamW steps', async () => {
    const { backward, feeds } = await convAttentionModel(5, nodeOrt());
    const r = await train(backward, feeds, 200, 0.01);
    expect(r.last).toBeLessThan(0.01 * r.first);
    expect(r.last).toBeLessThan(0.01);
    expect(r.skipped).toBe(0);
  });
});
