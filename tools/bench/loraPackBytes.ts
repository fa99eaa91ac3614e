// `npm run bench:lora-pack`: bytes of a concept pack folder (encodePack: pack.json + weights.safetensors) for SD 1.5's
// attn2 K/V shapes (16 layers, to_k/to_v [320|640|1280, 768], from buildUnet with 'shapes-only' weights) and two
// 768-wide concept rows: full K/V deltas against LoRA factors at several ranks (DisenDiffConfig.kvLora, src/train/pack/lora.ts).
// Computed, not trained: the tensors are zeros of the right shapes (safetensors bytes depend only on shapes). Prints JSON.
import { buildUnet, SD15_UNET } from '../../src/onnx/index';
import { encodePack } from '../../src/train/pack/io';
import type { ConceptPack, PackDelta } from '../../src/train/pack/types';

const KV = /\.attn2\.to_[kv]\.weight$/;
const RANKS = [1, 4, 8, 16, 32, 64];

const unet = buildUnet(SD15_UNET, { batch: 1, height: 8, width: 8, weights: 'shapes-only' });
const shapes = unet.params.filter((p) => KV.test(p.name)).map((p) => ({ name: p.name, shape: p.shape as [number, number] }));

function pack(deltas: PackDelta[]): ConceptPack {
  return {
    metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: { name: 'sd15', hash: '0'.repeat(64) }, createdAt: '2026-12-07T00:00:00Z', settings: {} },
    concepts: [{ token: '<cat1>', classWord: 'cat', embedding: new Float32Array(768) }, { token: '<dog1>', classWord: 'dog', embedding: new Float32Array(768) }],
    deltas,
  };
}

const bytes = (p: ConceptPack): number => [...encodePack(p).values()].reduce((n, b) => n + b.length, 0);
const fullBytes = bytes(pack(shapes.map(({ name, shape }) => ({ name, shape, delta: new Float32Array(shape[0] * shape[1]) }))));
const lora = RANKS.map((rank) => {
  const b = bytes(pack(shapes.map(({ name, shape }) => ({ name, shape, delta: new Float32Array(0), lora: { rank, alpha: rank, up: new Float32Array(shape[0] * rank), down: new Float32Array(rank * shape[1]) } }))));
  return { rank, bytes: b, ofFull: Math.round((b / fullBytes) * 1e4) / 1e4 };
});
const widths = [...new Set(shapes.map((s) => s.shape[0]))].sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ bench: 'lora-pack-bytes', model: 'SD 1.5 shapes (SD15_UNET)', kvWeights: shapes.length, widths, crossAttentionDim: 768, kvElements: shapes.reduce((n, s) => n + s.shape[0] * s.shape[1], 0), fullBytes, lora, note: 'LoRA bytes ≈ Σ r·(out + in)·4 over the K/V weights; full ≈ Σ out·in·4; both include pack.json and two 768-d rows' }, null, 2)}\n`);
