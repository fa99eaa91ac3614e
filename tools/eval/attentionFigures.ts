// The figures of `npm run eval:attention` (tools/eval/attention.ts): for a loaded text-to-image model, rendered
// world scenes of two and three objects (seeds 7000 + i, never used in training: the default model's data
// streams seed their Rngs with batchRng), each VAE-encoded, noised at fixed time steps and passed once through the
// UNet with every cross-attention layer exposed. Per caption word bound to an object (size, colour, pattern,
// shape noun; src/train/base/grounding.ts groundingSlots) and per layer level (each latent resolution, and all
// layers): DAAM-style IoU; and at DisenDiff's layers (the second-lowest resolution, src/train/graphs/layers.ts)
// the own-object and other-object shares of the processed class map (src/eval/attentionLocalisation.ts).
import { buildVaeEncoder, encodeModel } from '../../src/onnx/index';
import type { HostTensor, Runner } from '../../src/runtime/index';
import type { LoadedModel } from '../../src/diffusion/loaders/diffusersFolder';
import { createPipelineSessions } from '../../src/diffusion/pipeline/sessions';
import { alphasCumprod } from '../../src/diffusion/schedulers/betas';
import { daamHeatMap, daamIou, disendiffMap, meanOf, objectShares } from '../../src/eval/attentionLocalisation';
import type { LayerProbs } from '../../src/eval/attentionLocalisation';
import { groundingSlots } from '../../src/train/base/grounding';
import type { WordClass } from '../../src/train/base/grounding';
import { selectAttentionLayers } from '../../src/train/graphs/layers';
import { Rng } from '../../src/lib/random';
import { captionOf, renderScene, sampleScene } from '../../src/world/index';

export const ATTENTION_SCENE_SEED = 7000;
export const DEFAULT_TIMESTEPS = [100, 300, 500, 700];

export type KindFigures = { words: number; miou: Record<string, number>; ownShare: number; otherShare: number };
export type AttentionFigures = {
  scenes: number; timesteps: number[]; imageSize: number; levels: string[]; disendiffLevel: string;
  byKind: Partial<Record<WordClass, KindFigures>>;
};

/** The word at each token position of `caption` (the first token of each word; '' elsewhere). */
export function wordPositions(model: LoadedModel, caption: string): string[] {
  const tok = model.tokenizer;
  const out = new Array<string>(tok.maxLength).fill('');
  const words = caption.split(' ');
  let prefix = '';
  words.forEach((w, i) => {
    const before = prefix ? tok.encode(prefix).length - 2 : 0;
    const bare = w.replace(/[,.]$/, '');
    if (1 + before < out.length) out[1 + before] = bare;
    prefix = i === 0 ? w : `${prefix} ${w}`;
  });
  return out;
}

export async function attentionFigures(runner: Runner, model: LoadedModel, o: { scenes: number; timesteps?: number[]; onProgress?: (i: number, n: number) => void }): Promise<AttentionFigures> {
  const timesteps = o.timesteps ?? DEFAULT_TIMESTEPS;
  const latent = model.unet.config.sample_size;
  const size = latent * 2 ** (model.vae.config.block_out_channels.length - 1);
  const sessions = await createPipelineSessions(runner, model, { batch: 1, isDoubled: false, latentHeight: latent, latentWidth: latent, attention: true });
  const enc = buildVaeEncoder(model.vae.config, { batch: 1, height: size, width: size, weights: model.vae.weights });
  const encoder = await runner.createSession('vae_encoder', encodeModel(enc.model));
  const sc = model.scheduler.overrides;
  const ac = alphasCumprod({ numTrainTimesteps: sc.numTrainTimesteps ?? 1000, betaStart: sc.betaStart ?? 0.00085, betaEnd: sc.betaEnd ?? 0.012, betaSchedule: sc.betaSchedule ?? 'scaled_linear' });
  const layers = sessions.attentionLayers;
  const selected = new Set(selectAttentionLayers(layers, 'second-lowest').map((l) => l.output));
  const levelOf = (l: { resolution: [number, number] }): string => l.resolution.join('×');
  const levels = [...new Set(layers.map(levelOf))];
  const disendiffLevel = levelOf(layers.find((l) => selected.has(l.output)) as (typeof layers)[number]);
  const iou = new Map<string, number[]>();
  const shares = new Map<WordClass, { own: number[]; other: number[] }>();
  try {
    for (let i = 0; i < o.scenes; i++) {
      const rng = new Rng(ATTENTION_SCENE_SEED + i);
      const scene = sampleScene(rng, { count: 2 + (i % 2) });
      const caption = captionOf(scene);
      const { rgba, masks } = renderScene(scene, size, 3);
      const n = size * size;
      const pixels = new Float32Array(3 * n);
      for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) pixels[c * n + p] = (rgba[p * 4 + c] as number) / 127.5 - 1;
      const moments = (await encoder.run({ sample: { dtype: 'float32', dims: [1, 3, size, size], data: pixels } })).latent_parameters as HostTensor;
      const lc = model.vae.config.latent_channels;
      const z0 = ((moments.data as Float32Array).slice(0, lc * latent * latent)).map((v) => v * (model.vae.config.scaling_factor ?? 1));
      const ids = Int32Array.from(model.tokenizer.encode(caption).ids);
      const embeds = (await sessions.text.run({ input_ids: { dtype: 'int32', dims: [1, ids.length], data: ids } })).last_hidden_state as HostTensor;
      const steps: LayerProbs[][] = [];
      for (const t of timesteps) {
        const a = ac[t] as number;
        const eps = rng.normalArray(z0.length, 1);
        const zt = z0.map((v, k) => Math.sqrt(a) * v + Math.sqrt(1 - a) * (eps[k] as number));
        const out = await sessions.unet.run({ sample: { dtype: 'float32', dims: [1, lc, latent, latent], data: zt }, timestep: { dtype: 'float32', dims: [1], data: Float32Array.of(t) }, encoder_hidden_states: embeds });
        steps.push(layers.map((l) => {
          const p = out[l.output] as HostTensor;
          return { data: p.data as Float32Array, dims: p.dims as unknown as [number, number, number, number], resolution: l.resolution };
        }));
      }
      for (const slot of groundingSlots(wordPositions(model, caption))) {
        const mask = masks[slot.object];
        if (!mask) continue;
        for (const level of [...levels, 'all']) {
          const picked = steps.map((s) => s.filter((l) => level === 'all' || levelOf(l) === level));
          const key = `${slot.kind}/${level}`;
          iou.set(key, [...(iou.get(key) ?? []), daamIou(daamHeatMap(picked, 0, slot.position, size), mask)]);
        }
        const own: number[] = [];
        const other: number[] = [];
        for (const s of steps) {
          const sel = s.filter((l, k) => selected.has((layers[k] as (typeof layers)[number]).output));
          const [h, w] = (sel[0] as LayerProbs).resolution;
          const sh = objectShares(disendiffMap(sel, 0, slot.position), masks, size, h, w, slot.object);
          own.push(sh.own);
          other.push(sh.other);
        }
        const acc = shares.get(slot.kind) ?? { own: [], other: [] };
        acc.own.push(meanOf(own));
        acc.other.push(meanOf(other));
        shares.set(slot.kind, acc);
      }
      o.onProgress?.(i + 1, o.scenes);
    }
  } finally {
    await encoder.dispose();
    await sessions.dispose();
  }
  const byKind: AttentionFigures['byKind'] = {};
  for (const [kind, s] of shares) {
    byKind[kind] = {
      words: s.own.length,
      miou: Object.fromEntries([...levels, 'all'].map((lv) => [lv, meanOf(iou.get(`${kind}/${lv}`) ?? [])])),
      ownShare: meanOf(s.own), otherShare: meanOf(s.other),
    };
  }
  return { scenes: o.scenes, timesteps, imageSize: size, levels: [...levels, 'all'], disendiffLevel, byKind };
}
