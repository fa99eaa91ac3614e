// Applying a concept pack on top of its base model for generation (docs/disendiff.md §3: overwrite the attn2 K/V
// weights, append the learned rows as new tokens): a WeightSource overlay W = W_base + ΔW for the K/V names, the
// token table extended by the pack's rows (ids vocab_size + i), and the tokens registered in the tokenizer.
// Never copies weights the pack does not touch; never mutates the base model's weight objects.
import { ConfigError, ModelAssetError } from '../../lib/errors';
import type { LoadedModel } from '../../diffusion/index';
import { SafetensorsWeights } from '../../diffusion/index';
import type { WeightSource } from '../../onnx/index';
import type { ConceptPack } from './types';

/** State-dict name of the CLIP token table the pack's rows extend. */
export const TOKEN_TABLE = 'text_model.embeddings.token_embedding.weight';

type Base = WeightSource & { label?: string };

/** W_base + ΔW for the pack's deltas, the token table with appended rows, the base for everything else. */
export class PackOverlayWeights extends SafetensorsWeights {
  /** state-dict name → delta */
  private readonly deltas: Map<string, Float32Array>;

  /**
   * @param base the base model part's weights
   * @param deltas state-dict name → ΔW (same element count as the base tensor)
   * @param extraRows appended token rows [n, hidden] (text encoder only) and the base vocab size
   */
  constructor(
    private readonly base: Base,
    deltas: ReadonlyMap<string, Float32Array>,
    private readonly extraRows?: { rows: Float32Array; baseVocab: number },
  ) {
    super(new Map(), `${base.label ?? 'weights'} + concept pack`);
    this.deltas = new Map(deltas);
  }

  override get(name: string, shape: readonly number[]): Float32Array | undefined {
    if (this.extraRows && name === TOKEN_TABLE) return this.table(shape);
    const w = this.base.get(name, shape);
    const d = this.deltas.get(name);
    if (!d || !w) return w;
    if (d.length !== w.length) throw new ModelAssetError(`concept pack: delta "${name}" has ${d.length} values, the base weight has ${w.length}; the pack was made for another model`);
    const out = new Float32Array(w.length);
    for (let i = 0; i < w.length; i++) out[i] = (w[i] as number) + (d[i] as number);
    return out;
  }

  override get names(): string[] {
    return this.base instanceof SafetensorsWeights ? this.base.names : [];
  }

  /** the base's tensor shapes (a pack changes values, never shapes) */
  override shapes(): Map<string, readonly number[]> {
    return this.base instanceof SafetensorsWeights ? this.base.shapes() : new Map();
  }

  override unused(): string[] {
    return [];
  }

  private table(shape: readonly number[]): Float32Array | undefined {
    const { rows, baseVocab } = this.extraRows as { rows: Float32Array; baseVocab: number };
    const hidden = shape[1] as number;
    const base = this.base.get(TOKEN_TABLE, [baseVocab, hidden]);
    if (!base) return undefined;
    const out = new Float32Array((baseVocab + rows.length / hidden) * hidden);
    out.set(base);
    out.set(rows, base.length);
    return out;
  }
}

function checkPack(model: LoadedModel, pack: ConceptPack, expectedHash?: string): void {
  if (expectedHash !== undefined && pack.metadata.baseModel.hash !== expectedHash) {
    throw new ModelAssetError(`concept pack was trained on "${pack.metadata.baseModel.name}" (hash ${pack.metadata.baseModel.hash.slice(0, 12)}…), not on this model (hash ${expectedHash.slice(0, 12)}…); load its base model`);
  }
  const hidden = model.textEncoder.config.hidden_size;
  for (const c of pack.concepts) {
    if (c.embedding.length !== hidden) throw new ModelAssetError(`concept pack: ${c.token} has a ${c.embedding.length}-d row; this text encoder is ${hidden}-d`);
  }
  checkDeltaShapes(model, pack);
}

/**
 * Every K/V delta must name a weight of this UNet with the same shape. The cross-attention K/V of an inpainting UNet
 * (9 input channels) are its text-to-image base's, so a pack trained on SD 1.5 fits sd-v1-5-inpainting; a model of
 * another width is refused here, before any graph is built, with both shapes and the widths that set them.
 */
function checkDeltaShapes(model: LoadedModel, pack: ConceptPack): void {
  const weights = model.unet.weights;
  const shapes = weights instanceof SafetensorsWeights ? weights.shapes() : undefined;
  if (!shapes || shapes.size === 0) return;
  const { cross_attention_dim: cad, block_out_channels: blocks } = model.unet.config;
  const widths = `this UNet has cross_attention_dim ${cad} and block_out_channels [${blocks.join(', ')}]`;
  for (const d of pack.deltas) {
    const want = shapes.get(d.name);
    if (!want) throw new ModelAssetError(`concept pack: "${d.name}" is not a weight of this UNet (${weights.label}); the pack was trained on another architecture (${widths})`);
    if (want.join(',') !== d.shape.join(',')) {
      throw new ModelAssetError(`concept pack: "${d.name}" is [${d.shape.join(', ')}] but this UNet's weight is [${want.join(', ')}]; the pack was trained on a model of another width (${widths})`);
    }
  }
}

/**
 * The model with the pack applied: UNet K/V = base + Δ, text encoder vocab_size + n with the learned rows, and
 * the pack's tokens added to `model.tokenizer` (mutated; tokens already there must have the expected ids).
 * @param expectedHash the base model's hash (baseModelHash); when given, a pack from another model is refused
 * @throws ModelAssetError for a pack from another model; ConfigError when the tokenizer ids do not line up
 */
export function applyPack(model: LoadedModel, pack: ConceptPack, expectedHash?: string): LoadedModel {
  checkPack(model, pack, expectedHash);
  const vocab = model.textEncoder.config.vocab_size;
  const tok = model.tokenizer;
  const fresh = pack.concepts.filter((c) => tok.tokenToId(c.token) === undefined).map((c) => c.token);
  if (fresh.length) tok.addTokens(fresh);
  pack.concepts.forEach((c, i) => {
    const id = tok.tokenToId(c.token);
    if (id !== vocab + i) throw new ConfigError(`applyPack: ${c.token} has token id ${id}, expected ${vocab + i} (vocab_size ${vocab} + ${i}); apply packs to a fresh tokenizer`);
  });
  const rows = new Float32Array(pack.concepts.length * model.textEncoder.config.hidden_size);
  pack.concepts.forEach((c, i) => rows.set(c.embedding, i * c.embedding.length));
  const deltas = new Map(pack.deltas.map((d) => [d.name, d.delta]));
  return {
    ...model,
    unet: { config: model.unet.config, weights: new PackOverlayWeights(model.unet.weights, deltas) },
    textEncoder: {
      config: { ...model.textEncoder.config, vocab_size: vocab + pack.concepts.length },
      weights: new PackOverlayWeights(model.textEncoder.weights, new Map(), { rows, baseVocab: vocab }),
    },
  };
}
