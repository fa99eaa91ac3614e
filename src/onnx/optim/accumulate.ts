// Gradient accumulation across micro-batches as a graph: acc/p ← acc/p + grad/p, kept on the device.
// Pure graph building. The optimizer graph built with accumulationSteps = N then divides the sum by N
// (torch equivalent: loss / N per micro-batch, backward N times, then step). Reference: types.ts naming.
import { GraphBuilder } from '../build/GraphBuilder';
import * as op from '../build/opset/index';
import { GraphError } from '../../lib/errors';
import type { Graph } from '../ir/types';
import type { ParamSpec } from './types';
import { gradName, nextName, slotName } from './types';

/** Slot prefix of the accumulators: input `acc/p`, output `acc/p/next`. */
export const ACC_SLOT = 'acc';

/**
 * Builds the accumulation graph. Inputs per parameter p: `acc/p` and `grad/p` (float32, p's shape);
 * output `acc/p/next` = acc/p + grad/p. Feed zeros as `acc/p` for the first micro-batch.
 * @throws GraphError when the parameter list is empty.
 */
export function buildAccumulateGraph(params: ParamSpec[]): Graph {
  if (!params.length) throw new GraphError('accumulate: no parameters given; pass at least one {name, shape}');
  const b = new GraphBuilder('accumulate');
  for (const p of params) {
    const acc = b.input(slotName(ACC_SLOT, p.name), 'float32', p.shape);
    const g = b.input(gradName(p.name), 'float32', p.shape);
    b.scope(`accumulate/${p.name}`, () => b.output(op.Add(acc, g), nextName(slotName(ACC_SLOT, p.name))));
  }
  return b.graph;
}
