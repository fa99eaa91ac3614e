// Community LoRA files merged into a loaded SD 1.x model for generation (docs/lora.md, docs/ecosystem.md §3):
// kohya / A1111 names ("lora_unet_…_to_q.lora_down.weight", ".lora_up.weight", ".alpha", "lora_te_…"), diffusers /
// PEFT names ("unet.….lora_A.weight", ".lora_B.weight", "text_encoder.…") and LyCORIS full diffs (".diff"), linear
// and conv (4-D down/up). Merge W' = W + s·(α/r)·up·down (Hu et al. 2021, LoRA, eq. 3 with the α/r scale; kohya-ss
// networks/lora.py `LoRAModule.merge_to`, A1111 extensions-builtin/Lora/network_lora.py), α = r when the file has
// none (PEFT folds it in). Kohya names are resolved against the model's own weight names (dots → underscores),
// so underscores inside names ("down_blocks", "to_q") are never guessed. Pure: no I/O.
import { ModelAssetError } from '../../lib/errors';
import type { WeightSource } from '../../onnx/index';
import type { LoadedModel } from '../loaders/diffusersFolder';
import { SafetensorsWeights } from '../loaders/safetensorsWeights';
import { sha256Hex } from '../loaders/weightCache';
import { readSafetensors, tensorToFloat32 } from '../weights/safetensors';
import type { SafeTensor } from '../weights/safetensors';

export type LoraPart = 'unet' | 'text_encoder';

/** One module's update from a file, before scaling by the user's strength. */
export type LoraModule = {
  part: LoraPart;
  /** the model's state-dict name of the weight it changes, e.g. "down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight" */
  name: string;
  /** the file's key stem, for messages */
  key: string;
  /** low-rank factors (up [out, r, …], down [r, in, …]) or a full delta */
  kind: 'lowrank' | 'diff';
  up?: SafeTensor;
  down?: SafeTensor;
  alpha?: number;
  diff?: SafeTensor;
};

/** A parsed LoRA file: the modules it changes and the keys it has that this model has no weight for. */
export type LoraFile = { label: string; modules: LoraModule[]; unknownKeys: string[] };

const SDXL = /^(lora_te1_|lora_te2_|conditioner\.|text_encoder_2\.|lora_unet_input_blocks_\d+_\d+_transformer_blocks_[1-9])/;
const KOHYA = /^(lora_unet_|lora_te_)(.+?)\.(lora_down\.weight|lora_up\.weight|alpha|diff|diff_b|lora_mid\.weight)$/;
const PEFT = /^(?:base_model\.model\.)?(unet|text_encoder)\.(.+?)\.(lora_A|lora_B)(?:\.default)?\.weight$/;
const LYCORIS_OTHER = /\.(hada_w1_a|hada_w2_a|lokr_w1|lokr_w2|oft_blocks|dora_scale)$/;

/** underscored module path → state-dict weight name, from the model's own names (kohya's naming rule). */
function kohyaIndex(names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of names) if (n.endsWith('.weight')) out.set(n.slice(0, -'.weight'.length).replace(/\./g, '_'), n);
  return out;
}

const el = (t: SafeTensor): number => t.shape.reduce((a, d) => a * d, 1);

/**
 * Parses a LoRA safetensors file against a model's weight names.
 * @param names the model's UNet and text-encoder state-dict names (diffusers / transformers layout)
 * @throws ModelAssetError naming the file for SDXL / SD 2.x files, LoHa/LoKr, or a file with no LoRA keys
 */
export function parseLora(bytes: Uint8Array, label: string, names: { unet: readonly string[]; textEncoder: readonly string[] }): LoraFile {
  const { tensors } = readSafetensors(bytes);
  const keys = Object.keys(tensors);
  const xl = keys.find((k) => SDXL.test(k));
  if (xl) throw new ModelAssetError(`${label}: key "${xl}" is an SDXL LoRA key (second text encoder / SDXL UNet); this studio loads SD 1.x models only`);
  const other = keys.find((k) => LYCORIS_OTHER.test(k));
  if (other) throw new ModelAssetError(`${label}: key "${other}" is a LyCORIS LoHa/LoKr/OFT/DoRA module; only LoRA (lora_down/lora_up, lora_A/lora_B) and full ".diff" files are read`);
  const index = { unet: kohyaIndex(names.unet), text_encoder: kohyaIndex(names.textEncoder) };
  const known = { unet: new Set(names.unet), text_encoder: new Set(names.textEncoder) };
  const mods = new Map<string, LoraModule>();
  const unknownKeys: string[] = [];
  for (const key of keys) {
    const t = tensors[key] as SafeTensor;
    let part: LoraPart | undefined;
    let name: string | undefined;
    let stem = '';
    let field = '';
    const k = KOHYA.exec(key);
    const p = PEFT.exec(key);
    if (k) {
      part = k[1] === 'lora_unet_' ? 'unet' : 'text_encoder';
      stem = `${k[1]}${k[2]}`;
      field = k[3] as string;
      name = index[part].get(k[2] as string);
    } else if (p) {
      part = p[1] as LoraPart;
      stem = `${p[1]}.${p[2]}`;
      field = p[3] === 'lora_A' ? 'lora_down.weight' : 'lora_up.weight';
      const n = `${p[2]}.weight`;
      name = known[part].has(n) ? n : undefined;
    }
    if (field === 'diff_b' || field === 'lora_mid.weight') throw new ModelAssetError(`${label}: key "${key}" (${field}) is not supported; only weight LoRA and ".diff" are read`);
    if (!part || !name) {
      unknownKeys.push(key);
      continue;
    }
    const m = mods.get(stem) ?? { part, name, key: stem, kind: 'lowrank' as const };
    if (field === 'lora_down.weight') m.down = t;
    else if (field === 'lora_up.weight') m.up = t;
    else if (field === 'diff') Object.assign(m, { kind: 'diff', diff: t });
    else if (field === 'alpha') m.alpha = Number(tensorToFloat32(key, t)[0]);
    mods.set(stem, m);
  }
  const modules = [...mods.values()];
  for (const m of modules) {
    if (m.kind === 'lowrank' && (!m.up || !m.down)) throw new ModelAssetError(`${label}: "${m.key}" has ${m.up ? 'an up' : 'a down'} factor but no ${m.up ? 'down' : 'up'} factor`);
  }
  if (modules.length === 0) throw new ModelAssetError(`${label}: no LoRA key matches this model (first keys: ${keys.slice(0, 3).join(', ') || 'none'}); expected kohya "lora_unet_…", "lora_te_…" or diffusers "unet.….lora_A.weight"`);
  return { label, modules, unknownKeys };
}

function archHint(width: number): string {
  if (width === 1024) return ' (1024 wide: an SD 2.x file)';
  if (width === 2048 || width === 1280) return ` (${width} wide: an SDXL file)`;
  return '';
}

/**
 * ΔW of one module at strength s: s·(α/r)·up·down reshaped to the weight's shape, or s·diff.
 * @param shape the model weight's shape ([out, in] or [out, in, kh, kw])
 */
/** Throws ModelAssetError naming the file and key when the module's factors do not fit the weight's shape. */
export function checkModule(m: LoraModule, shape: readonly number[], label: string): void {
  const total = shape.reduce((a, d) => a * d, 1);
  const out = shape[0] as number;
  if (m.kind === 'diff') {
    const d = m.diff as SafeTensor;
    if (el(d) !== total) throw new ModelAssetError(`${label}: "${m.key}.diff" is [${d.shape.join(', ')}], the model's "${m.name}" is [${shape.join(', ')}]${archHint(d.shape[1] ?? 0)}`);
    return;
  }
  const up = m.up as SafeTensor;
  const down = m.down as SafeTensor;
  const r = down.shape[0] as number;
  if (up.shape[0] !== out || el(up) !== out * r || out * (el(down) / r) !== total) {
    throw new ModelAssetError(`${label}: "${m.key}" is up [${up.shape.join(', ')}] · down [${down.shape.join(', ')}], the model's "${m.name}" is [${shape.join(', ')}]${archHint(down.shape[1] ?? 0)}`);
  }
}

export function moduleDelta(m: LoraModule, shape: readonly number[], s: number, label: string): Float32Array {
  checkModule(m, shape, label);
  const total = shape.reduce((a, d) => a * d, 1);
  const out = shape[0] as number;
  if (m.kind === 'diff') return tensorToFloat32(m.key, m.diff as SafeTensor).map((v) => v * s);
  const up = m.up as SafeTensor;
  const down = m.down as SafeTensor;
  const r = down.shape[0] as number;
  const inner = el(down) / r;
  const scale = s * ((m.alpha ?? r) / r);
  const U = tensorToFloat32(`${m.key}.up`, up);
  const D = tensorToFloat32(`${m.key}.down`, down);
  const delta = new Float32Array(total);
  for (let o = 0; o < out; o++) {
    for (let k = 0; k < r; k++) {
      const u = (U[o * r + k] as number) * scale;
      if (u === 0) continue;
      const row = o * inner;
      const drow = k * inner;
      for (let i = 0; i < inner; i++) delta[row + i] = (delta[row + i] as number) + u * (D[drow + i] as number);
    }
  }
  return delta;
}

type Base = WeightSource & { label?: string; names?: string[] };

/** A WeightSource W + Σ ΔW over a base; the base's weight objects are never written. */
export class LoraOverlayWeights extends SafetensorsWeights {
  constructor(
    private readonly base: Base,
    private readonly mods: readonly { m: LoraModule; strength: number; label: string }[],
  ) {
    super(new Map(), `${base.label ?? 'weights'} + LoRA`);
  }

  override get(name: string, shape: readonly number[]): Float32Array | undefined {
    const w = this.base.get(name, shape);
    const here = this.mods.filter((x) => x.m.name === name);
    if (!w || here.length === 0) return w;
    const out = Float32Array.from(w);
    for (const { m, strength, label } of here) {
      const d = moduleDelta(m, shape, strength, label);
      for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (d[i] as number);
    }
    return out;
  }

  override get names(): string[] {
    return this.base.names ?? [];
  }

  override shapes(): Map<string, readonly number[]> {
    return this.base instanceof SafetensorsWeights ? this.base.shapes() : new Map();
  }

  override unused(): string[] {
    return [];
  }
}

/** A LoRA file with the user's strength. */
export type LoraUse = { file: LoraFile; strength: number };

/** The model weight names a LoRA file is parsed against. */
export function loraTargetNames(model: LoadedModel): { unet: string[]; textEncoder: string[] } {
  return { unet: model.unet.weights.names, textEncoder: model.textEncoder.weights.names };
}

/**
 * The model with the LoRAs merged: UNet and text-encoder weights W + Σ s·(α/r)·up·down. Works over a model a concept
 * pack was applied to (the pack's overlay is the base). Every module's shape is checked here, before any build.
 * @throws ModelAssetError naming the file and key when a module does not fit the model
 */
export function applyLoras(model: LoadedModel, uses: readonly LoraUse[]): LoadedModel {
  if (uses.length === 0) return model;
  const shapes = { unet: model.unet.weights.shapes(), text_encoder: model.textEncoder.weights.shapes() };
  const flat = uses.flatMap((u) => u.file.modules.map((m) => ({ m, strength: u.strength, label: u.file.label })));
  for (const { m, label } of flat) {
    const shape = shapes[m.part].get(m.name);
    if (shape) checkModule(m, shape, label);
  }
  const of = (part: LoraPart) => flat.filter((x) => x.m.part === part);
  return {
    ...model,
    unet: { config: model.unet.config, weights: new LoraOverlayWeights(model.unet.weights, of('unet')) },
    textEncoder: { config: model.textEncoder.config, weights: new LoraOverlayWeights(model.textEncoder.weights, of('text_encoder')) },
  };
}

/**
 * A1111's short hash of a LoRA file for "Lora hashes": the first 12 hex digits of the SHA-256 of the bytes after the
 * safetensors header (A1111 modules/hashes.py `addnet_hash_safetensors`, used by extensions-builtin/Lora/network.py).
 */
export async function loraShortHash(bytes: Uint8Array): Promise<string> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  return (await sha256Hex(bytes.subarray(8 + n))).slice(0, 12);
}
