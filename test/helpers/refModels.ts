// Plain TypeScript reference implementations of SD's CLIPTextModel, UNet2DConditionModel and AutoencoderKL
// encoder/decoder, read straight from diffusers / transformers forward() code, for checking the ONNX builders
// on tiny configurations. Shares only configs and the WeightSource with src/; all maths is in refOps.ts.
import type { AutoencoderKLConfig, ClipTextConfig, UNet2DConditionConfig } from '../../src/onnx/models/configs';
import type { WeightSource } from '../../src/onnx/models/weights';
import * as r from './refOps';
import type { T } from './refOps';

type W = (name: string, shape: number[]) => T;

function weightsOf(src: WeightSource): W {
  return (name, shape) => {
    const data = src.get(name, shape);
    if (!data) throw new Error(`reference: weight ${name} missing`);
    return r.tensor(shape, data);
  };
}

const conv = (w: W, x: T, p: string, cin: number, cout: number, k: number, s = 1, pads?: number[]): T => {
  const h = Math.floor(k / 2);
  return r.conv2d(x, w(`${p}.weight`, [cout, cin, k, k]), w(`${p}.bias`, [cout]).data, s, pads ?? [h, h, h, h]);
};
const gn = (w: W, x: T, p: string, c: number, g: number, eps: number): T => r.groupNorm(x, w(`${p}.weight`, [c]).data, w(`${p}.bias`, [c]).data, g, eps);
const ln = (w: W, x: T, p: string, c: number, eps: number): T => r.layerNorm(x, w(`${p}.weight`, [c]).data, w(`${p}.bias`, [c]).data, eps);
const lin = (w: W, x: T, p: string, i: number, o: number, bias = true): T => r.linear(x, w(`${p}.weight`, [o, i]), bias ? w(`${p}.bias`, [o]).data : undefined);

function resnet(w: W, x: T, p: string, cin: number, cout: number, g: number, eps: number, tembAct?: T): T {
  let h = conv(w, r.silu(gn(w, x, `${p}.norm1`, cin, g, eps)), `${p}.conv1`, cin, cout, 3);
  if (tembAct) {
    const t = lin(w, tembAct, `${p}.time_emb_proj`, tembAct.shape[1] as number, cout);
    const hw = (h.shape[2] as number) * (h.shape[3] as number);
    h = r.tensor(h.shape, h.data.map((v, i) => v + (t.data[Math.floor(i / hw)] as number)));
  }
  h = conv(w, r.silu(gn(w, h, `${p}.norm2`, cout, g, eps)), `${p}.conv2`, cout, cout, 3);
  const sc = cin !== cout ? conv(w, x, `${p}.conv_shortcut`, cin, cout, 1) : x;
  return r.add(sc, h);
}

function attn(w: W, x: T, ctx: T, p: string, heads: number, c: number, cc: number, bias: boolean, mask?: Float32Array): { out: T; probs: T } {
  const q = lin(w, x, `${p}.to_q`, c, c, bias);
  const k = lin(w, ctx, `${p}.to_k`, cc, c, bias);
  const v = lin(w, ctx, `${p}.to_v`, cc, c, bias);
  const { out, probs } = r.mha(q, k, v, heads, mask);
  return { out: lin(w, out, `${p}.to_out.0`, c, c), probs };
}

/** Transformer2DModel (1×1 conv projections, one BasicTransformerBlock with GEGLU) on x [B, C, H, W]. */
function transformer2d(w: W, x: T, context: T, p: string, c: number, heads: number, g: number, crossDim: number, isLinear = false): { out: T; probs: T } {
  const [, , h, wd] = x.shape as [number, number, number, number];
  const normed = gn(w, x, `${p}.norm`, c, g, 1e-6);
  let t = isLinear ? lin(w, r.toTokens(normed), `${p}.proj_in`, c, c) : r.toTokens(conv(w, normed, `${p}.proj_in`, c, c, 1));
  const bp = `${p}.transformer_blocks.0`;
  const n1 = ln(w, t, `${bp}.norm1`, c, 1e-5);
  t = r.add(t, attn(w, n1, n1, `${bp}.attn1`, heads, c, c, false).out);
  const a2 = attn(w, ln(w, t, `${bp}.norm2`, c, 1e-5), context, `${bp}.attn2`, heads, c, crossDim, false);
  t = r.add(t, a2.out);
  const proj = lin(w, ln(w, t, `${bp}.norm3`, c, 1e-5), `${bp}.ff.net.0.proj`, c, 8 * c);
  const rows = proj.data.length / (8 * c);
  const geglu = r.tensor([...proj.shape.slice(0, -1), 4 * c]);
  for (let i = 0; i < rows; i++) for (let j = 0; j < 4 * c; j++) {
    const gate = proj.data[i * 8 * c + 4 * c + j] as number;
    geglu.data[i * 4 * c + j] = (proj.data[i * 8 * c + j] as number) * 0.5 * gate * (1 + r.erf(gate / Math.SQRT2));
  }
  t = r.add(t, lin(w, geglu, `${bp}.ff.net.2`, 4 * c, c));
  const out = isLinear ? r.toImage(lin(w, t, `${p}.proj_out`, c, c), h, wd) : conv(w, r.toImage(t, h, wd), `${p}.proj_out`, c, c, 1);
  return { out: r.add(out, x), probs: a2.probs };
}

/** One Transformer2DModel alone (for block-level tests). */
export function refTransformer2d(src: WeightSource, x: T, context: T, prefix: string, channels: number, heads: number, groups: number): { out: T; probs: T } {
  return transformer2d(weightsOf(src), x, context, prefix, channels, heads, groups, context.shape[2] as number);
}

/** One ResnetBlock2D alone; `tembAct` = SiLU(temb) [B, T] when the block has time_emb_proj. */
export function refResnetBlock(src: WeightSource, x: T, prefix: string, cin: number, cout: number, groups: number, eps: number, tembAct?: T): T {
  return resnet(weightsOf(src), x, prefix, cin, cout, groups, eps, tembAct);
}

/** Sinusoidal timestep projection (flip_sin_to_cos, freq_shift) → linear_1 → SiLU → linear_2. */
function timeEmbedding(w: W, cfg: UNet2DConditionConfig, timestep: number[]): T {
  const c0 = cfg.block_out_channels[0] as number;
  const half = c0 / 2;
  const emb = r.tensor([timestep.length, c0]);
  timestep.forEach((t, bi) => {
    for (let i = 0; i < half; i++) {
      const a = t * Math.exp((-Math.log(10000) * i) / (half - cfg.freq_shift));
      emb.data[bi * c0 + i] = cfg.flip_sin_to_cos ? Math.cos(a) : Math.sin(a);
      emb.data[bi * c0 + half + i] = cfg.flip_sin_to_cos ? Math.sin(a) : Math.cos(a);
    }
  });
  return lin(w, r.silu(lin(w, emb, 'time_embedding.linear_1', c0, 4 * c0)), 'time_embedding.linear_2', 4 * c0, 4 * c0);
}

/** Reference UNet: returns out_sample and every attn2 probability tensor by layer path. */
export function refUnet(cfg: UNet2DConditionConfig, src: WeightSource, sample: T, timestep: number[], context: T): { out: T; probs: Map<string, T> } {
  const w = weightsOf(src);
  const boc = cfg.block_out_channels;
  const g = cfg.norm_num_groups;
  const eps = cfg.norm_eps;
  const probs = new Map<string, T>();
  const headsList = typeof cfg.attention_head_dim === 'number' ? boc.map(() => cfg.attention_head_dim as number) : cfg.attention_head_dim;
  const c0 = boc[0] as number;
  const temb = timeEmbedding(w, cfg, timestep);
  const tembAct = r.silu(temb);
  const xf = (x: T, p: string, c: number, heads: number): T => {
    const res = transformer2d(w, x, context, p, c, heads, g, cfg.cross_attention_dim, cfg.use_linear_projection ?? false);
    probs.set(`${p}.transformer_blocks.0.attn2`, res.probs);
    return res.out;
  };
  let h = conv(w, sample, 'conv_in', cfg.in_channels, c0, 3);
  const skips: T[] = [h];
  boc.forEach((cout, i) => {
    for (let j = 0; j < cfg.layers_per_block; j++) {
      h = resnet(w, h, `down_blocks.${i}.resnets.${j}`, j === 0 ? (boc[Math.max(i - 1, 0)] as number) : cout, cout, g, eps, tembAct);
      if (cfg.down_block_types[i] === 'CrossAttnDownBlock2D') h = xf(h, `down_blocks.${i}.attentions.${j}`, cout, headsList[i] as number);
      skips.push(h);
    }
    if (i < boc.length - 1) {
      h = conv(w, h, `down_blocks.${i}.downsamplers.0.conv`, cout, cout, 3, 2);
      skips.push(h);
    }
  });
  const cl = boc[boc.length - 1] as number;
  h = resnet(w, h, 'mid_block.resnets.0', cl, cl, g, eps, tembAct);
  h = xf(h, 'mid_block.attentions.0', cl, headsList[headsList.length - 1] as number);
  h = resnet(w, h, 'mid_block.resnets.1', cl, cl, g, eps, tembAct);
  const rev = [...boc].reverse();
  const revHeads = [...headsList].reverse();
  rev.forEach((cout, i) => {
    for (let j = 0; j <= cfg.layers_per_block; j++) {
      const skip = skips.pop() as T;
      h = r.concatChannels(h, skip);
      h = resnet(w, h, `up_blocks.${i}.resnets.${j}`, h.shape[1] as number, cout, g, eps, tembAct);
      if (cfg.up_block_types[i] === 'CrossAttnUpBlock2D') h = xf(h, `up_blocks.${i}.attentions.${j}`, cout, revHeads[i] as number);
    }
    if (i < rev.length - 1) h = conv(w, r.upsample2x(h), `up_blocks.${i}.upsamplers.0.conv`, cout, cout, 3);
  });
  h = r.silu(gn(w, h, 'conv_norm_out', c0, g, eps));
  return { out: conv(w, h, 'conv_out', c0, cfg.out_channels, 3), probs };
}

/** Reference CLIP text encoder; ids may reach past vocab_size into `extra` rows [n, hidden]. */
export function refClipText(cfg: ClipTextConfig, src: WeightSource, ids: number[][], extra?: Float32Array): T {
  const w = weightsOf(src);
  const d = cfg.hidden_size;
  const s = (ids[0] as number[]).length;
  const tok = w('text_model.embeddings.token_embedding.weight', [cfg.vocab_size, d]).data;
  const pos = w('text_model.embeddings.position_embedding.weight', [cfg.max_position_embeddings, d]).data;
  let h = r.tensor([ids.length, s, d]);
  ids.forEach((row, bi) => row.forEach((id, p) => {
    for (let k = 0; k < d; k++) {
      const e = id < cfg.vocab_size ? (tok[id * d + k] as number) : (extra as Float32Array)[(id - cfg.vocab_size) * d + k] as number;
      h.data[(bi * s + p) * d + k] = e + (pos[p * d + k] as number);
    }
  }));
  const mask = new Float32Array(s * s).map((_, i) => (i % s > Math.floor(i / s) ? -Infinity : 0));
  for (let l = 0; l < cfg.num_hidden_layers; l++) {
    const p = `text_model.encoder.layers.${l}`;
    const x = ln(w, h, `${p}.layer_norm1`, d, cfg.layer_norm_eps);
    const q = lin(w, x, `${p}.self_attn.q_proj`, d, d);
    const k = lin(w, x, `${p}.self_attn.k_proj`, d, d);
    const v = lin(w, x, `${p}.self_attn.v_proj`, d, d);
    h = r.add(h, lin(w, r.mha(q, k, v, cfg.num_attention_heads, mask).out, `${p}.self_attn.out_proj`, d, d));
    const f = lin(w, ln(w, h, `${p}.layer_norm2`, d, cfg.layer_norm_eps), `${p}.mlp.fc1`, d, cfg.intermediate_size);
    h = r.add(h, lin(w, cfg.hidden_act === 'quick_gelu' ? r.quickGelu(f) : r.gelu(f), `${p}.mlp.fc2`, cfg.intermediate_size, d));
  }
  return ln(w, h, 'text_model.final_layer_norm', d, cfg.layer_norm_eps);
}

function vaeMid(w: W, x: T, p: string, c: number, g: number): T {
  const eps = 1e-6;
  let h = resnet(w, x, `${p}.resnets.0`, c, c, g, eps);
  const [, , hh, ww] = h.shape as [number, number, number, number];
  const t = r.toTokens(gn(w, h, `${p}.attentions.0.group_norm`, c, g, eps));
  h = r.add(r.toImage(attn(w, t, t, `${p}.attentions.0`, 1, c, c, true).out, hh, ww), h);
  return resnet(w, h, `${p}.resnets.1`, c, c, g, eps);
}

/** Reference VAE encoder + quant_conv → moments [B, 2·latent, h, w]. */
export function refVaeEncoder(cfg: AutoencoderKLConfig, src: WeightSource, x: T): T {
  const w = weightsOf(src);
  const boc = cfg.block_out_channels;
  const g = cfg.norm_num_groups;
  let h = conv(w, x, 'encoder.conv_in', cfg.in_channels, boc[0] as number, 3);
  boc.forEach((cout, i) => {
    for (let j = 0; j < cfg.layers_per_block; j++) h = resnet(w, h, `encoder.down_blocks.${i}.resnets.${j}`, h.shape[1] as number, cout, g, 1e-6);
    if (i < boc.length - 1) h = conv(w, h, `encoder.down_blocks.${i}.downsamplers.0.conv`, cout, cout, 3, 2, [0, 0, 1, 1]);
  });
  const cl = boc[boc.length - 1] as number;
  h = r.silu(gn(w, vaeMid(w, h, 'encoder.mid_block', cl, g), 'encoder.conv_norm_out', cl, g, 1e-6));
  const m = 2 * cfg.latent_channels;
  return conv(w, conv(w, h, 'encoder.conv_out', cl, m, 3), 'quant_conv', m, m, 1);
}

/** Reference post_quant_conv + VAE decoder → image [B, out, H, W]. */
export function refVaeDecoder(cfg: AutoencoderKLConfig, src: WeightSource, z: T): T {
  const w = weightsOf(src);
  const rev = [...cfg.block_out_channels].reverse();
  const g = cfg.norm_num_groups;
  const lc = cfg.latent_channels;
  let h = conv(w, conv(w, z, 'post_quant_conv', lc, lc, 1), 'decoder.conv_in', lc, rev[0] as number, 3);
  h = vaeMid(w, h, 'decoder.mid_block', rev[0] as number, g);
  rev.forEach((cout, i) => {
    for (let j = 0; j <= cfg.layers_per_block; j++) h = resnet(w, h, `decoder.up_blocks.${i}.resnets.${j}`, h.shape[1] as number, cout, g, 1e-6);
    if (i < rev.length - 1) h = conv(w, r.upsample2x(h), `decoder.up_blocks.${i}.upsamplers.0.conv`, cout, cout, 3);
  });
  const c0 = cfg.block_out_channels[0] as number;
  return conv(w, r.silu(gn(w, h, 'decoder.conv_norm_out', c0, g, 1e-6)), 'decoder.conv_out', c0, cfg.out_channels, 3);
}
