// The generation worker's LoRA and embedding files: each file read once against the loaded model (kept parsed by its
// stem), and per request the plan of what to merge: the enabled files and those the prompt's `<lora:name:w>` tags
// name (src/diffusion/lora/files.ts resolveLoraTags, the CLI's rule), the prompt for CLIP, the prompt A1111 records
// and the "Lora hashes" / "TI hashes". A plan's `key` is the same for the same set and strengths, so the worker
// rebuilds its pipeline only when the set changes. No DOM, no messages: testable in Node. Reference: docs/lora.md.
import type { LoadedModel, NetworkFile } from '../diffusion/index';
import { applyEmbeddings, applyLoras, embeddingTokens, expandEmbeddingTokens, fileStem, promptWithLoraTags, readNetworkFile, resolveLoraTags, triggerPattern } from '../diffusion/index';
import type { NetworkChoice, NetworkInfo } from '../state/index';
import { ModelAssetError } from '../lib/errors';

/** What one request does with the files. */
export type NetworkPlan = {
  /** equal for equal sets of files and strengths ('' = none) */
  key: string;
  /** the prompt for the text encoder: tags removed, multi-vector triggers expanded */
  prompt: string;
  /** the prompt A1111 records: as typed, plus a tag for each LoRA used from the list that it does not tag */
  recordedPrompt: string;
  loraHashes: Record<string, string>;
  tiHashes: Record<string, string>;
  /** the model with the LoRAs merged and the embeddings added (mutates the model's tokenizer: pass a fresh one) */
  apply(model: LoadedModel): LoadedModel;
};

export function networkInfo(id: string, f: NetworkFile): NetworkInfo {
  const base = { id, name: f.name, fileName: f.fileName, kind: f.kind, size: f.size, hash: f.hash };
  if (f.kind === 'embedding') return { ...base, trigger: f.embedding.name, vectors: f.embedding.vectors };
  return { ...base, modules: f.lora.modules.length, unknownKeys: f.lora.unknownKeys.length, ...(f.lora.unknownKeys[0] ? { firstUnknownKey: f.lora.unknownKeys[0] } : {}) };
}

export class NetworkSet {
  private readonly files = new Map<string, NetworkFile>();
  /** embedding tokens the last applied plan added to the model's tokenizer */
  private applied = new Set<string>();

  /**
   * Reads a file against `model` (the one in use) and keeps it under its stem, replacing a file of that stem.
   * @throws ModelAssetError naming the file (the engine's reasons, or an embedding trigger the tokenizer already has)
   */
  async add(fileName: string, bytes: Uint8Array, model: LoadedModel): Promise<NetworkInfo> {
    const id = fileStem(fileName);
    const file = await readNetworkFile(bytes, fileName, model);
    if (file.kind === 'embedding') {
      const others = new Set([...this.files].filter(([k, f]) => k !== id && f.kind === 'embedding').flatMap(([, f]) => (f.kind === 'embedding' ? embeddingTokens(f.embedding) : [])));
      const clash = embeddingTokens(file.embedding).find((t) => others.has(t) || (model.tokenizer.tokenToId(t) !== undefined && !this.applied.has(t)));
      if (clash) throw new ModelAssetError(`${fileName}: its trigger "${clash}" is already a token of this model, a concept or another embedding; rename the file`);
    }
    this.files.set(id, file);
    return networkInfo(id, file);
  }

  drop(id: string): void {
    this.files.delete(id);
  }

  /**
   * The plan for a prompt and the list's choices (files the worker no longer has are an error naming them).
   * @throws ModelAssetError for a tag naming no LoRA of the list, or a choice whose file is missing
   */
  plan(prompt: string, choices: readonly NetworkChoice[]): NetworkPlan {
    for (const c of choices) if (!this.files.has(c.id)) throw new ModelAssetError(`${c.name}: the generation worker does not hold this file (reload the page or add it again)`);
    const loras = choices.filter((c) => c.kind === 'lora');
    const resolved = resolveLoraTags(prompt, loras, 'LoRA in the list');
    const embeddings = choices.filter((c) => c.kind === 'embedding' && c.isEnabled).map((c) => this.files.get(c.id) as Extract<NetworkFile, { kind: 'embedding' }>);
    const uses = resolved.uses.map((u) => ({ id: u.file.id, name: u.file.name, strength: u.strength, file: this.files.get(u.file.id) as Extract<NetworkFile, { kind: 'lora' }> }));
    const key = uses.length + embeddings.length === 0 ? '' : JSON.stringify({ l: uses.map((u) => [u.id, u.file.hash, u.strength]), e: embeddings.map((e) => [e.name, e.hash]) });
    const loraHashes = Object.fromEntries(uses.map((u) => [u.name, u.file.hash]));
    const tiHashes = Object.fromEntries(embeddings.filter((e) => triggerPattern(e.embedding.name).test(resolved.prompt)).map((e) => [e.embedding.name, e.hash]));
    return {
      key,
      prompt: expandEmbeddingTokens(resolved.prompt, embeddings.map((e) => e.embedding)),
      recordedPrompt: promptWithLoraTags(prompt, uses.map((u) => ({ file: { name: u.name }, strength: u.strength }))),
      loraHashes,
      tiHashes,
      apply: (model) => {
        const merged = applyEmbeddings(applyLoras(model, uses.map((u) => ({ file: u.file.lora, strength: u.strength }))), embeddings.map((e) => e.embedding));
        this.applied = new Set(embeddings.flatMap((e) => embeddingTokens(e.embedding)));
        return merged;
      },
    };
  }
}
