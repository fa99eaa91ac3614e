// Concept packs whose K/V updates were trained as LoRA factors (DisenDiffConfig.kvLora, src/train/pack/lora.ts):
// packFromParams keeps the factors, ΔW = (α/r)·up·down against a float64 reference, the folder round trip stores the
// factors only (and old full packs still load, pack.test.ts), and the ecosystem export is a kohya LoRA file that the
// community-LoRA loader (src/diffusion/lora/lora.ts parseLora + applyLoras) merges to the pack's own weights.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import { applyLoras, loraTargetNames, parseLora, readSafetensors } from '../../../src/diffusion/index';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import type { HostTensor } from '../../../src/runtime/types';
import { applyPack } from '../../../src/train/pack/apply';
import { exportEcosystem, importEcosystem } from '../../../src/train/pack/ecosystem';
import { packFromParams } from '../../../src/train/pack/fromParams';
import { checkPackJson, encodePack, loadPack, PACK_JSON, savePack } from '../../../src/train/pack/io';
import { MemoryFileSink } from '../../../src/train/pack/types';
import type { ConceptPack } from '../../../src/train/pack/types';
import type { LoadedModel } from '../../../src/diffusion/index';

const KV = /\.attn2\.to_[kv]\.weight$/;
const RANK = 2;
const ALPHA = 3;

/** Trained-looking params of the tiny model: modifier rows and seeded non-zero factors of every attn2 K/V. */
function loraParams(model: LoadedModel, seed: number): Record<string, HostTensor> {
  const rng = new Rng(seed);
  const hidden = model.textEncoder.config.hidden_size;
  const params: Record<string, HostTensor> = { extra_token_embeds: { dtype: 'float32', dims: [2, hidden], data: rng.normalArray(2 * hidden) } };
  for (const [name, shape] of model.unet.weights.shapes()) {
    if (!KV.test(name)) continue;
    const [out, inner] = shape as [number, number];
    const stem = name.slice(0, -'.weight'.length);
    params[`${stem}.lora_down.weight`] = { dtype: 'float32', dims: [RANK, inner], data: rng.normalArray(RANK * inner, 0.3) };
    params[`${stem}.lora_up.weight`] = { dtype: 'float32', dims: [out, RANK], data: rng.normalArray(out * RANK, 0.3) };
  }
  return params;
}

async function tinyLoraPack(): Promise<{ model: LoadedModel; pack: ConceptPack; params: Record<string, HostTensor> }> {
  const model = await loadDiffusersFolder(new MemoryFileSource(writeDiffusersFolder({ seed: 2 }), 'tiny'));
  const params = loraParams(model, 5);
  const concepts = [{ token: '<cat1>', classWord: 'cat' }, { token: '<dog1>', classWord: 'dog' }];
  const pack = packFromParams({ params, baseUnet: model.unet.weights, concepts, kvLora: { rank: RANK, alpha: ALPHA }, metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: { name: 'tiny', hash: 'ab'.repeat(32) }, createdAt: '2026-12-07T00:00:00Z', settings: { steps: 1, seed: 1 } } });
  return { model, pack, params };
}

describe('a LoRA concept pack', () => {
  it('keeps the factors, and its ΔW is (α/r)·up·down (float64 reference, float32 round-off)', async () => {
    const { model, pack, params } = await tinyLoraPack();
    const kv = [...model.unet.weights.shapes().keys()].filter((n) => KV.test(n)).sort();
    expect(pack.deltas.map((d) => d.name)).toEqual(kv);
    for (const d of pack.deltas) {
      const stem = d.name.slice(0, -'.weight'.length);
      expect(d.lora?.rank).toBe(RANK);
      expect(d.lora?.alpha).toBe(ALPHA);
      expect(d.lora?.up).toBe(params[`${stem}.lora_up.weight`]?.data);
      const up = d.lora?.up as Float32Array;
      const down = d.lora?.down as Float32Array;
      const [out, inner] = d.shape as [number, number];
      let worst = 0;
      for (let o = 0; o < out; o++) {
        for (let i = 0; i < inner; i++) {
          let acc = 0;
          for (let k = 0; k < RANK; k++) acc += (up[o * RANK + k] as number) * (down[k * inner + i] as number);
          worst = Math.max(worst, Math.abs((d.delta[o * inner + i] as number) - (ALPHA / RANK) * acc));
        }
      }
      expect(worst, d.name).toBeLessThan(1e-6);
    }
  });

  it('saves only the factors (rank and α in pack.json) and loads back the same deltas', async () => {
    const { pack } = await tinyLoraPack();
    const sink = new MemoryFileSink();
    await savePack(pack, sink);
    const keys = Object.keys(readSafetensors(sink.files.get('weights.safetensors') as Uint8Array).tensors);
    expect(keys.filter((k) => k.startsWith('delta/'))).toEqual([]);
    expect(keys.filter((k) => k.startsWith('lora_up/')).length).toBe(pack.deltas.length);
    const json = JSON.parse(new TextDecoder().decode(sink.files.get(PACK_JSON))) as { deltas: { rank: number; alpha: number }[] };
    expect(json.deltas.every((d) => d.rank === RANK && d.alpha === ALPHA)).toBe(true);
    const back = await loadPack(new MemoryFileSource(sink.files));
    expect(back.deltas.map((d) => [d.name, d.shape, Array.from(d.delta), Array.from(d.lora?.up ?? []), Array.from(d.lora?.down ?? [])]))
      .toEqual(pack.deltas.map((d) => [d.name, d.shape, Array.from(d.delta), Array.from(d.lora?.up ?? []), Array.from(d.lora?.down ?? [])]));
    // the factors are smaller than the full deltas they stand for
    const full = encodePack({ ...pack, deltas: pack.deltas.map(({ lora: _, ...d }) => d) });
    const bytes = (m: Map<string, Uint8Array>): number => [...m.values()].reduce((a, b) => a + b.length, 0);
    expect(bytes(encodePack(pack))).toBeLessThan(bytes(full));
  });

  it('refuses pack.json with a rank and no α, or a rank above the weight\'s smaller side, naming the field', () => {
    const base = { metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: { name: 't', hash: 'ab' } }, concepts: [{ token: '<a>', classWord: 'cat' }] };
    const withDelta = (d: Record<string, unknown>) => JSON.stringify({ ...base, deltas: [{ name: 'x.weight', shape: [4, 3], ...d }] });
    expect(() => checkPackJson(withDelta({ rank: 2 }), 'p/pack.json')).toThrow(/p\/pack\.json.*deltas\[0\]\.alpha/);
    expect(() => checkPackJson(withDelta({ rank: 4, alpha: 4 }), 'p/pack.json')).toThrow(/deltas\[0\]\.rank/);
    expect(checkPackJson(withDelta({ rank: 3, alpha: 1 }), 'p/pack.json').deltas[0]).toMatchObject({ rank: 3, alpha: 1 });
  });

  it('exports a kohya LoRA file that parseLora + applyLoras merge to the pack\'s own weights (float32 round-off)', async () => {
    const { model, pack } = await tinyLoraPack();
    const files = exportEcosystem(pack, { title: 'studio_lora', resolution: '64x64' });
    const kv = readSafetensors(files.get('studio_lora.safetensors') as Uint8Array);
    const keys = Object.keys(kv.tensors);
    expect(keys.length).toBe(3 * pack.deltas.length);
    expect(keys).toContain('lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_down.weight');
    expect(keys).toContain('lora_unet_mid_block_attentions_0_transformer_blocks_0_attn2_to_v.alpha');
    expect(keys.filter((k) => k.endsWith('.diff'))).toEqual([]);
    expect(kv.tensors['lora_unet_mid_block_attentions_0_transformer_blocks_0_attn2_to_v.alpha']?.shape).toEqual([]);
    expect(kv.metadata).toMatchObject({ ss_network_module: 'networks.lora', ss_network_dim: String(RANK), ss_network_alpha: String(ALPHA) });
    const parsed = parseLora(files.get('studio_lora.safetensors') as Uint8Array, 'studio_lora.safetensors', loraTargetNames(model));
    expect(parsed.unknownKeys).toEqual([]);
    expect(parsed.modules.length).toBe(pack.deltas.length);
    const viaLora = applyLoras(model, [{ file: parsed, strength: 1 }]);
    const viaPack = applyPack(await loadDiffusersFolder(new MemoryFileSource(writeDiffusersFolder({ seed: 2 }), 'tiny')), pack);
    for (const d of pack.deltas) {
      const a = viaLora.unet.weights.get(d.name, d.shape) as Float32Array;
      const b = viaPack.unet.weights.get(d.name, d.shape) as Float32Array;
      const w0 = model.unet.weights.get(d.name, d.shape) as Float32Array;
      let worst = 0;
      let moved = 0;
      for (let i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)) / Math.max(1, Math.abs(b[i] as number)));
        moved = Math.max(moved, Math.abs((b[i] as number) - (w0[i] as number)));
      }
      expect(worst, d.name).toBeLessThan(2 ** -22);
      expect(moved, d.name).toBeGreaterThan(1e-3);
    }
  });

  it('imports its own LoRA export back: the same factors, α and merged deltas', async () => {
    const { pack } = await tinyLoraPack();
    const back = importEcosystem(exportEcosystem(pack, { title: 'studio_lora', resolution: '64x64' }));
    expect(back.deltas.map((d) => d.name)).toEqual(pack.deltas.map((d) => d.name));
    for (const [i, d] of back.deltas.entries()) {
      const want = pack.deltas[i] as (typeof pack.deltas)[number];
      expect(d.shape).toEqual(want.shape);
      expect(d.lora?.rank).toBe(RANK);
      expect(d.lora?.alpha).toBe(ALPHA);
      expect([...(d.lora?.up ?? [])]).toEqual([...(want.lora?.up ?? [])]);
      expect([...d.delta]).toEqual([...want.delta]);
    }
    expect(back.concepts.map((c) => c.token)).toEqual(pack.concepts.map((c) => c.token));
  });
});
