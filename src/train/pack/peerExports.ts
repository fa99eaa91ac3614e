// The two K/V export kinds beyond the full ".diff" file (docs/ecosystem.md §3–§4; peer requirements in
// docs/ecosystem-io.md "Export kinds"): diffusers' Custom Diffusion attention-processor weights, which
// `unet.load_attn_procs` reads (diffusers loaders/unet.py `_process_custom_diffusion`, the processor
// models/attention_processor.py `CustomDiffusionAttnProcessor`), and a kohya LoRA by truncated SVD (lowRank.ts),
// which A1111 network_lora.py, ComfyUI comfy/lora.py and diffusers' `lora_state_dict` read. Pure bytes out.
import { ConfigError, ModelAssetError } from '../../lib/errors';
import { writeSafetensors } from '../../diffusion/index';
import type { SafeTensor } from '../../diffusion/index';
import type { WeightSource } from '../../onnx/index';
import { baseModelVersion, modelspec, notForSd1 } from './exportMeta';
import type { ExportOptions } from './exportMeta';
import { kohyaDiffKey } from './kohya';
import { truncatedSvd } from './lowRank';
import type { ConceptPack } from './types';

/** What the LoRA export measured: relative Frobenius error ‖Δ − up·down‖ / ‖Δ‖ per module and over all modules. */
export type LoraReport = {
  rank: number;
  /** kohya module stem ("lora_unet_…_to_k") → relative error of that module */
  modules: Record<string, number>;
  /** √(Σ residual²) / √(Σ ‖Δ‖²) over all modules */
  overall: number;
};

const KV = /^(.+\.attn2)\.(to_k|to_v)\.weight$/;

/** "….attn2.to_k.weight" → "….attn2" (the attention module), with the projection. */
function kvOf(name: string): { attn: string; proj: 'to_k' | 'to_v' } {
  const m = KV.exec(name);
  if (!m) throw new ConfigError(`Custom Diffusion export: "${name}" is not a cross-attention to_k/to_v weight; diffusers' CustomDiffusionAttnProcessor trains only K/V here (train_q_out false)`);
  return { attn: m[1] as string, proj: m[2] as 'to_k' | 'to_v' };
}

/**
 * diffusers Custom Diffusion weights: per cross-attention layer "<attn2>.processor.to_k_custom_diffusion.weight" and
 * "….to_v_custom_diffusion.weight" holding the FULL trained matrices W0 + Δ (the processor replaces the layer's K/V),
 * and per self-attention layer a key "<attn1>.processor" with a [0]-shaped tensor, which `_process_custom_diffusion`
 * turns into a plain processor: `set_attn_processor` refuses a dict that does not name every attention layer.
 * A K or V the pack did not train is written as W0. Only for SD 1.x-shaped packs.
 * @throws ConfigError for a pack that is not SD 1.x-shaped or trains other weights; ModelAssetError when the base UNet lacks a weight
 */
export function customDiffusionFile(pack: ConceptPack, baseUnet: WeightSource, o: ExportOptions): Uint8Array {
  if (Object.keys(notForSd1(pack)).length > 0) throw new ConfigError(`Custom Diffusion export: the pack of "${pack.metadata.baseModel.name}" is not SD 1.x-shaped; diffusers loads it only into an SD 1.x UNet`);
  const byAttn = new Map<string, { to_k?: Float32Array; to_v?: Float32Array; shape: number[] }>();
  for (const d of pack.deltas) {
    const { attn, proj } = kvOf(d.name);
    const e = byAttn.get(attn) ?? { shape: d.shape };
    e[proj] = d.delta;
    byAttn.set(attn, e);
  }
  const tensors: Record<string, SafeTensor> = {};
  for (const [attn, e] of byAttn) {
    for (const proj of ['to_k', 'to_v'] as const) {
      const name = `${attn}.${proj}.weight`;
      const w0 = baseUnet.get(name, e.shape);
      if (!w0) throw new ModelAssetError(`Custom Diffusion export: the base UNet has no weight "${name}" [${e.shape}]; diffusers' file needs the full matrix W0 + Δ`);
      const delta = e[proj];
      const full = new Float32Array(w0.length);
      for (let i = 0; i < full.length; i++) full[i] = (w0[i] as number) + (delta ? (delta[i] as number) : 0);
      tensors[`${attn}.processor.${proj}_custom_diffusion.weight`] = { dtype: 'F32', shape: e.shape, data: full };
    }
    tensors[`${attn.slice(0, -'attn2'.length)}attn1.processor`] = { dtype: 'F32', shape: [0], data: new Float32Array(0) };
  }
  return writeSafetensors(tensors, modelspec('custom-diffusion', o.title, o, pack, {
    'modelspec.trigger_phrase': pack.concepts.map((c) => `${c.token} ${c.classWord}`).join(', '),
    'modelspec.usage_hint': `diffusers: pipe.unet.load_attn_procs(folder, weight_name="${o.title}_custom_diffusion.safetensors", _pipeline=pipe) and pipe.load_textual_inversion(each token file); holds W0 + Δ for ${byAttn.size} cross-attention layers and empty entries for their self-attention layers`,
  }));
}

/**
 * kohya LoRA of the K/V deltas at rank r: "<stem>.lora_down.weight" [r, in], "<stem>.lora_up.weight" [out, r],
 * "<stem>.alpha" = r (scale α/r = 1, A1111 network.py `calc_scale`), stem = the ".diff" key without its suffix.
 * The measured error goes into the report and the file's metadata ("disenstudio.svd").
 * @throws ConfigError for a rank below 1 or a delta that is not a matrix
 */
export function kohyaLoraFile(pack: ConceptPack, o: ExportOptions, rank: number): { bytes: Uint8Array; report: LoraReport } {
  const tensors: Record<string, SafeTensor> = {};
  const modules: Record<string, number> = {};
  let res = 0;
  let tot = 0;
  pack.deltas.forEach((d, i) => {
    if (d.shape.length !== 2) throw new ConfigError(`LoRA export: delta "${d.name}" has shape [${d.shape}]; only matrices [out, in] are factorised`);
    const [m, n] = d.shape as [number, number];
    const svd = truncatedSvd(d.delta, m, n, rank, { seed: i });
    const stem = kohyaDiffKey(d.name).slice(0, -'.diff'.length);
    tensors[`${stem}.lora_down.weight`] = { dtype: 'F32', shape: [svd.rank, n], data: svd.down };
    tensors[`${stem}.lora_up.weight`] = { dtype: 'F32', shape: [m, svd.rank], data: svd.up };
    tensors[`${stem}.alpha`] = { dtype: 'F32', shape: [], data: Float32Array.of(svd.rank) };
    modules[stem] = svd.relativeError;
    res += svd.residualNorm ** 2;
    tot += svd.norm ** 2;
  });
  const report: LoraReport = { rank, modules, overall: tot > 0 ? Math.sqrt(res / tot) : 0 };
  const bytes = writeSafetensors(tensors, modelspec('lora', `${o.title}_lora_r${rank}`, o, pack, {
    'modelspec.trigger_phrase': pack.concepts.map((c) => `${c.token} ${c.classWord}`).join(', '),
    'modelspec.usage_hint': `rank-${rank} truncated SVD of the K/V deltas in ${o.title}.safetensors (relative error ${report.overall.toPrecision(3)}); use with the token embeddings. A1111: <lora:${o.title}_lora_r${rank}:1>`,
    ss_network_module: 'networks.lora',
    ss_network_dim: String(rank),
    ss_network_alpha: String(rank),
    ss_base_model_version: baseModelVersion(pack),
    ...notForSd1(pack),
    'disenstudio.svd': JSON.stringify(report),
  }));
  return { bytes, report };
}
