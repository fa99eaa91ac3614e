// Test helper: runs an imported-looking UNet model once in onnxruntime-node CPU with seeded inputs.
import { Rng } from '../../../src/lib/random';
import { encodeModel } from '../../../src/onnx/index';
import type { Graph, Model } from '../../../src/onnx/index';
import type { HostTensor } from '../../../src/runtime/types';
import { f32, nodeOrt } from '../../helpers/ort';
import { LATENT, SD15_NARROW, SEQ } from './exportLike';

/** sample [1, 4, 16, 16], timestep [1], encoder_hidden_states [1, SEQ, 16]; seeded. */
export function unetFeeds(seed = 7): Record<string, HostTensor> {
  const rng = new Rng(seed);
  return {
    sample: f32([1, 4, LATENT, LATENT], rng.normalArray(4 * LATENT * LATENT)),
    timestep: f32([1], [500]),
    encoder_hidden_states: f32([1, SEQ, SD15_NARROW.cross_attention_dim], rng.normalArray(SEQ * SD15_NARROW.cross_attention_dim)),
  };
}

/** Runs `graph` (inside `model`'s opset imports) and returns its outputs. */
export async function runGraph(model: Model, graph: Graph, feeds: Record<string, HostTensor>): Promise<Record<string, HostTensor>> {
  const s = await nodeOrt().createSession(graph.name, encodeModel({ ...model, graph }));
  try {
    return (await s.run(feeds)) as Record<string, HostTensor>;
  } finally {
    await s.dispose();
  }
}
