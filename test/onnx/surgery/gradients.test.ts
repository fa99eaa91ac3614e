// Gradients through a surgered import: a torch-style UNet with fused MultiHeadAttention is unfused, made
// trainable (five 16×16-level layers), given a loss L = Σₗ Σ(Aₗ ⊙ Rₗ) + mean((ε̂ − ε)²) and differentiated by
// our autodiff wrt the promoted K/V inputs. Central finite differences in float32 through onnxruntime-node
// spot-check the largest-gradient entries of four K/V inputs; error relative to the input's largest entry, plus a
// roundoff floor of 4 float32 ulps of L over 2h (FD error ≈ ε_mach·|L|/h dominates the tiny last-layer to_v
// gradients, see helpers/finiteDiff; without the floor this test passed or failed with the CPU it ran on).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import { buildGradientGraph, cloneGraph, encodeModel, GraphBuilder, makeTrainable, op, unfuseAttention } from '../../../src/onnx/index';
import type { Var } from '../../../src/onnx/index';
import type { HostTensor, Session } from '../../../src/runtime/types';
import { FD_SETTINGS } from '../../helpers/finiteDiff';
import { f32, nodeOrt } from '../../helpers/ort';
import { fuseToMha, importedUnet, LATENT, torchStyle } from './exportLike';
import { unetFeeds } from './runModel';

/** float32 step and tolerance of the project's gradient checks (h = 4e-3, 2e-2 of the largest entry). */
const { eps: H, tol: TOL } = FD_SETTINGS.float32;
/** float32 roundoff of the loss, in ulps, tolerated across the two evaluations of a central difference (output
 *  rounding plus accumulation; one input of this model has gradients near 4e-3, where it dominated on some CPUs:
 *  analytic −0.00384 vs numeric −0.00393 at h, −0.00387 at 2h) */
const ROUNDOFF_ULPS = 4;

/** The spacing of float32 numbers at |x|. */
const ulp32 = (x: number): number => 2 ** (Math.floor(Math.log2(Math.abs(x))) - 23);

type Setup = { fwd: Session; grad: Session; feeds: Record<string, HostTensor>; wrt: string[]; grads: Record<string, string> };

/** Forward (with output "loss") and gradient sessions of the surgered import, plus seeded feeds. */
async function setup(): Promise<Setup> {
  const base = importedUnet();
  const fused = fuseToMha({ ...base, graph: torchStyle(base.graph) });
  const t = makeTrainable(unfuseAttention(fused.graph), { layers: (l) => l.resolution[0] === LATENT / 4 });
  const b = GraphBuilder.fromGraph(cloneGraph(t.graph));
  const rng = new Rng(11);
  const terms: Var[] = t.layers.map((l) => {
    const p = b.get(l.output as string);
    return op.ReduceSum(op.Mul(p, b.constant(Float32Array.from(rng.normalArray(p.shape.reduce((x, y) => x * y, 1))), 'float32', p.shape)), undefined, false);
  });
  const out = b.get('out_sample');
  const target = b.constant(Float32Array.from(rng.normalArray(4 * LATENT * LATENT)), 'float32', out.shape);
  const diff = op.Sub(out, target);
  const mse = op.Mul(op.ReduceSum(op.Mul(diff, diff), undefined, false), b.scalar(1 / (4 * LATENT * LATENT)));
  b.output(terms.reduce((acc, x) => op.Add(acc, x), mse), 'loss');
  const wrt = [t.kvInputs[0], t.kvInputs[1], t.kvInputs[8], t.kvInputs[9]] as string[];
  const back = buildGradientGraph(b.graph, { loss: 'loss', wrt });
  const runner = nodeOrt();
  const fwd = await runner.createSession('surgered/forward', encodeModel({ ...fused, graph: b.graph }));
  const grad = await runner.createSession('surgered/backward', encodeModel({ ...fused, graph: back.graph }));
  const kv = Object.fromEntries(t.kvInitial.map((w): [string, HostTensor] => [w.name, f32(w.dims, w.data as Float32Array)]));
  return { fwd, grad, feeds: { ...unetFeeds(), ...kv }, wrt, grads: back.grads };
}

async function lossAt(s: Setup, name: string, i: number, delta: number): Promise<number> {
  const base = s.feeds[name] as HostTensor;
  const data = Float32Array.from(base.data as Float32Array);
  data[i] = (data[i] as number) + delta;
  const out = await s.fwd.run({ ...s.feeds, [name]: { ...base, data } });
  return Number((out.loss as HostTensor).data[0]);
}

describe('when differentiating an unfused, surgered UNet import', () => {
  it('matches central finite differences on the largest K/V gradient entries', async () => {
    const s = await setup();
    try {
      const analytic = await s.grad.run(s.feeds);
      const loss0 = Number(((await s.fwd.run(s.feeds)).loss as HostTensor).data[0]);
      for (const w of s.wrt) {
        const g = (analytic[s.grads[w] as string] as HostTensor).data as Float32Array;
        expect(g.every(Number.isFinite)).toBe(true);
        const order = [...g.keys()].sort((a, b) => Math.abs(g[b] as number) - Math.abs(g[a] as number));
        const probes = [order[0], order[1], order[2], order[Math.floor(order.length / 4)]] as number[];
        const scale = Math.abs(g[order[0] as number] as number);
        for (const i of probes) {
          const numeric = ((await lossAt(s, w, i, H)) - (await lossAt(s, w, i, -H))) / (2 * H);
          // the float32 loss (≈ 16) is resolved to about one ulp per evaluation: a difference quotient cannot be
          // trusted below ROUNDOFF_ULPS · ulp(L) / 2h, which matters for an input whose gradients are all tiny
          const floor = (ROUNDOFF_ULPS * ulp32(loss0)) / (2 * H);
          expect(Math.abs((g[i] as number) - numeric), `${w}[${i}]: analytic ${g[i]} vs numeric ${numeric} (scale ${scale}, roundoff floor ${floor})`).toBeLessThanOrEqual(TOL * scale + floor);
        }
      }
    } finally {
      await s.fwd.dispose();
      await s.grad.dispose();
    }
  });
});
