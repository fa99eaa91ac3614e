// The concept pack: what a personalization run produces (docs/disendiff.md §2.9 "delta": the cross-attention K/V
// weights and the learned modifier rows), stored as DIFFERENCES from the base model so a pack is only valid on
// top of the model whose hash it records. Pure data types; no I/O.

/** One learned concept: its atomic token, class word and learned embedding row. */
export type PackConcept = {
  /** e.g. "<cat1>" */
  token: string;
  /** the one-token class noun that follows it in prompts, e.g. "cat" */
  classWord: string;
  /** [hidden] the learned token-embedding row (float32) */
  embedding: Float32Array;
};

/** Rank-r factors of a K/V update trained as LoRA (DisenDiffConfig.kvLora): ΔW = (α/r)·up·down (pack/lora.ts). */
export type PackLoraFactors = {
  rank: number;
  alpha: number;
  /** [out, r] row-major float32 */
  up: Float32Array;
  /** [r, in] row-major float32 */
  down: Float32Array;
};

/** W_trained − W_base of one trainable matrix. */
export type PackDelta = {
  /** diffusers state-dict name, e.g. "down_blocks.2.attentions.0.transformer_blocks.0.attn2.to_k.weight" */
  name: string;
  /** [out, in] as stored in the state dict */
  shape: number[];
  /** row-major float32, same length as the shape's product (for a LoRA delta: (α/r)·up·down, computed from `lora`) */
  delta: Float32Array;
  /** present when the update was trained as LoRA factors: the pack stores these instead of `delta` */
  lora?: PackLoraFactors;
};

/** Everything needed to reproduce and to check a pack against its base model. */
export type PackMetadata = {
  format: 'disenstudio-concept-pack';
  version: 1;
  /** base model folder name and its hash (see hash.ts baseModelHash) */
  baseModel: { name: string; hash: string };
  /** ISO date of the run's end (written by the caller; packs stay pure data) */
  createdAt: string;
  /** training settings (lr, steps, seed, resolution, loss terms …), flat key → value */
  settings: Record<string, string | number | boolean>;
};

export type ConceptPack = {
  metadata: PackMetadata;
  /** in token order: concept i has token id vocabSize + i after applyPack */
  concepts: PackConcept[];
  deltas: PackDelta[];
};

/** A folder-like write target (Node folder, OPFS directory, in-memory map). Paths are '/'-separated. */
export interface FileSink {
  readonly label: string;
  write(path: string, bytes: Uint8Array): Promise<void>;
}

/** A FileSink into a Map (path → bytes), for tests and for downloads built in memory. */
export class MemoryFileSink implements FileSink {
  /** path → bytes written */
  readonly files = new Map<string, Uint8Array>();
  constructor(readonly label = 'memory') {}
  async write(path: string, bytes: Uint8Array): Promise<void> {
    this.files.set(path, bytes);
  }
}
