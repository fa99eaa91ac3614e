// Textual-inversion embeddings at generation (docs/lora.md, docs/ecosystem.md §2): kohya `emb_params`, A1111-style
// `string_to_param.*`, diffusers `learned_embeds` `{"<tok>": T}` safetensors, [n, hidden] rows. The trigger is the file
// stem for emb_params / string_to_param (A1111 matches the file name in the text) and the key for diffusers files;
// an n-vector embedding becomes tokens `name`, `name_1`, … and the prompt's `name` is expanded to all of them
// (diffusers `TextualInversionLoaderMixin.maybe_convert_prompt`). Rows are appended to the token table after the
// model's vocabulary (after a concept pack's rows when one is applied). Pickles (.pt/.bin) are refused. Pure.
import { ModelAssetError } from '../../lib/errors';
import type { WeightSource } from '../../onnx/index';
import type { LoadedModel } from '../loaders/diffusersFolder';
import { SafetensorsWeights } from '../loaders/safetensorsWeights';
import { sha256Hex } from '../loaders/weightCache';
import { readSafetensors, tensorToFloat32 } from '../weights/safetensors';

/** State-dict name of the CLIP token table (the same table concept packs extend). */
const TOKEN_TABLE = 'text_model.embeddings.token_embedding.weight';

export type Embedding = { name: string; rows: Float32Array; vectors: number; label: string };

/**
 * Reads one embedding file.
 * @param stem the file name without extension (A1111's trigger word)
 * @throws ModelAssetError naming the file for SDXL (clip_l / clip_g) files, several tensors, or a row width that is not `hidden`
 */
export function parseEmbedding(bytes: Uint8Array, label: string, stem: string, hidden: number): Embedding {
  if (/\.(pt|bin|ckpt)$/i.test(label)) throw new ModelAssetError(`${label}: pickled embeddings are not read (unsafe in a browser); convert it to .safetensors`);
  const { tensors } = readSafetensors(bytes);
  const keys = Object.keys(tensors);
  if (keys.includes('clip_g') || keys.includes('clip_l')) throw new ModelAssetError(`${label}: "clip_l"/"clip_g" tensors are an SDXL embedding; this studio loads SD 1.x models only`);
  const stp = keys.filter((k) => k.startsWith('string_to_param.'));
  const key = keys.includes('emb_params') ? 'emb_params' : stp.length === 1 ? stp[0] : keys.length === 1 ? keys[0] : undefined;
  if (key === undefined) throw new ModelAssetError(`${label}: expected one tensor ("emb_params", "string_to_param.*" or "<token>"), found ${keys.join(', ') || 'none'}`);
  const t = tensors[key] as NonNullable<(typeof tensors)[string]>;
  const width = t.shape[t.shape.length - 1] ?? 0;
  if (width !== hidden) {
    const arch = width === 1024 ? ' (an SD 2.x embedding)' : width === 1280 || width === 2048 ? ' (an SDXL embedding)' : '';
    throw new ModelAssetError(`${label}: "${key}" is [${t.shape.join(', ')}]; this text encoder needs rows of ${hidden}${arch}`);
  }
  const rows = tensorToFloat32(key, t);
  const name = key === 'emb_params' || key.startsWith('string_to_param.') ? stem : key;
  return { name, rows: Float32Array.from(rows), vectors: rows.length / hidden, label };
}

/** The tokens of an embedding: `name`, `name_1`, … (one per vector). */
export function embeddingTokens(e: Pick<Embedding, 'name' | 'vectors'>): string[] {
  return Array.from({ length: e.vectors }, (_, i) => (i === 0 ? e.name : `${e.name}_${i}`));
}

/** A whole-word match of an embedding's trigger in a prompt (not inside a longer word or a `<token>`). */
export function triggerPattern(name: string, flags = ''): RegExp {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w<])${esc}(?![\\w>])`, flags);
}

/** Expands each multi-vector embedding's name in the prompt to all its tokens (whole-word matches). */
export function expandEmbeddingTokens(prompt: string, embeddings: readonly Embedding[]): string {
  let out = prompt;
  for (const e of embeddings) {
    if (e.vectors < 2) continue;
    out = out.replace(triggerPattern(e.name, 'g'), embeddingTokens(e).join(' '));
  }
  return out;
}

type Base = WeightSource & { label?: string; names?: string[] };

/** The base text-encoder weights with rows appended to the token table. */
class AppendRowsWeights extends SafetensorsWeights {
  constructor(
    private readonly base: Base,
    private readonly rows: Float32Array,
    private readonly baseVocab: number,
  ) {
    super(new Map(), `${base.label ?? 'weights'} + embeddings`);
  }

  override get(name: string, shape: readonly number[]): Float32Array | undefined {
    if (name !== TOKEN_TABLE) return this.base.get(name, shape);
    const hidden = shape[1] as number;
    const table = this.base.get(TOKEN_TABLE, [this.baseVocab, hidden]);
    if (!table) return undefined;
    const out = new Float32Array(table.length + this.rows.length);
    out.set(table);
    out.set(this.rows, table.length);
    return out;
  }

  override get names(): string[] {
    return this.base.names ?? [];
  }

  override unused(): string[] {
    return [];
  }
}

/**
 * The model with the embeddings' tokens added to `model.tokenizer` (mutated) and their rows after the vocabulary.
 * @throws ModelAssetError when a token is already in the tokenizer (a name clash with a word, a pack token or another file)
 */
export function applyEmbeddings(model: LoadedModel, embeddings: readonly Embedding[]): LoadedModel {
  if (embeddings.length === 0) return model;
  const vocab = model.textEncoder.config.vocab_size;
  const tokens = embeddings.flatMap(embeddingTokens);
  for (const [i, t] of tokens.entries()) {
    if (model.tokenizer.tokenToId(t) !== undefined || tokens.indexOf(t) !== i) throw new ModelAssetError(`embedding "${t}" (${embeddings.find((e) => embeddingTokens(e).includes(t))?.label}) clashes with a token the tokenizer already has; rename the file`);
  }
  const ids = model.tokenizer.addTokens(tokens);
  if (ids[0] !== vocab) throw new ModelAssetError(`embeddings: the tokenizer gave id ${ids[0]} to "${tokens[0]}", the text encoder's table ends at ${vocab}; apply embeddings to a tokenizer matching the model`);
  const rows = new Float32Array(embeddings.reduce((a, e) => a + e.rows.length, 0));
  let at = 0;
  for (const e of embeddings) {
    rows.set(e.rows, at);
    at += e.rows.length;
  }
  return {
    ...model,
    textEncoder: { config: { ...model.textEncoder.config, vocab_size: vocab + tokens.length }, weights: new AppendRowsWeights(model.textEncoder.weights, rows, vocab) },
  };
}

/** A1111's "TI hashes" short hash: the first 12 hex digits of the whole file's SHA-256 (modules/textual_inversion `Embedding.shorthash`). */
export async function embeddingShortHash(bytes: Uint8Array): Promise<string> {
  return (await sha256Hex(bytes)).slice(0, 12);
}
