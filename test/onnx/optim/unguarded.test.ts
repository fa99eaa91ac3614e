// guardOutputs: false (what TrainingSession uses): the update graph drops the three Where guards per parameter,
// gives the same values as the guarded graph on a finite step, and still reports a NaN/Inf step as skipped.
import { describe, expect, it } from 'vitest';
import { buildAdamWGraph } from '../../../src/onnx/index';
import type { HostTensor } from '../../../src/runtime/types';
import { f32 } from '../../helpers/ort';
import { runGraph, scalarF32, values } from './reference';

const W = { name: 'w', shape: [2] };

function feeds(g: number[]): Record<string, HostTensor> {
  return { w: f32([2], [1, -2]), 'grad/w': f32([2], g), 'm/w': f32([2], [0.1, 0.2]), 'v/w': f32([2], [0.3, 0.4]), lr: scalarF32(0.1), step: scalarF32(3) };
}

describe('an AdamW graph built with guardOutputs: false', () => {
  it('has no Where node per output and matches the guarded graph on a finite step', async () => {
    const bare = buildAdamWGraph([W], { guardOutputs: false }).graph;
    const guarded = buildAdamWGraph([W]).graph;
    const wheres = (g: typeof bare) => g.nodes.filter((n) => n.opType === 'Where').length;
    expect(wheres(guarded) - wheres(bare)).toBe(3);
    const [a, b] = [await runGraph(bare, feeds([0.5, -0.1])), await runGraph(guarded, feeds([0.5, -0.1]))];
    for (const name of ['w/next', 'm/w/next', 'v/w/next', 'gradNorm', 'skipped']) expect(values(a, name)).toEqual(values(b, name));
  });

  it('still flags a NaN gradient as skipped', async () => {
    const out = await runGraph(buildAdamWGraph([W], { guardOutputs: false }).graph, feeds([Number.NaN, 0.5]));
    expect(values(out, 'skipped')).toEqual([1]);
    expect(Number.isFinite(values(out, 'gradNorm')[0])).toBe(false);
  });
});
