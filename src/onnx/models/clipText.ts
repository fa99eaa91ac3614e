// buildClipText: transformers' CLIPTextModel as an ONNX graph (causal pre-LN transformer). Output
// last_hidden_state = final_layer_norm(h), as SD and DisenDiff use it (no clip-skip, docs/disendiff.md §2.1).
//   h = E_tok[ids] + E_pos[0..S);  per layer: h += out_proj(MHA(layer_norm1(h), causal));  h += fc2(act(fc1(layer_norm2(h))))
// Optional input extra_token_embeds [n, hidden] is appended to the token table (ids vocab_size.. pick its rows),
// so learned modifier-token rows can be fed and differentiated (docs/disendiff.md §2.2). Pure graph construction.
import { GraphError } from '../../lib/errors';
import * as op from '../build/opset/index';
import { GraphBuilder } from '../build/GraphBuilder';
import type { Var } from '../build/Var';
import type { Model } from '../ir/types';
import type { ClipTextConfig } from './configs';
import { gelu, layerNorm, linear, quickGelu } from './nn';
import { ParamTable } from './weights';
import type { ModelBuildOptions, ParamEntry } from './weights';

export type ClipTextBuildOptions = ModelBuildOptions & {
  batch: number;
  /** tokens per prompt (default max_position_embeddings, 77 for SD) */
  seqLen?: number;
  /** adds input "extra_token_embeds" [n, hidden_size]; token id vocab_size + r selects its row r */
  extraTokenRows?: number;
  /** dtype of input_ids (default int32: WebGPU-friendly) */
  idsDtype?: 'int32' | 'int64';
  graphName?: string;
};

export type ClipTextBuild = { builder: GraphBuilder; model: Model; params: ParamEntry[]; paramCount: number; randomInitialized: string[] };

/** Additive causal mask [S, S]: 0 on and below the diagonal, −1e9 above (HF uses finfo.min; same softmax). */
export function causalMask(seqLen: number): Float32Array {
  const m = new Float32Array(seqLen * seqLen);
  for (let i = 0; i < seqLen; i++) for (let j = i + 1; j < seqLen; j++) m[i * seqLen + j] = -1e9;
  return m;
}

/**
 * Builds the CLIP text encoder. Inputs: input_ids [B, S] (+ extra_token_embeds [n, hidden]); output last_hidden_state [B, S, hidden].
 * @example const { model } = buildClipText(SD15_CLIP_TEXT, { batch: 1, extraTokenRows: 2 });
 */
export function buildClipText(cfg: ClipTextConfig, o: ClipTextBuildOptions): ClipTextBuild {
  const s = o.seqLen ?? cfg.max_position_embeddings;
  const d = cfg.hidden_size;
  if (s > cfg.max_position_embeddings || s < 1) throw new GraphError(`buildClipText: seqLen ${s} must be in 1..max_position_embeddings (${cfg.max_position_embeddings})`);
  if (d % cfg.num_attention_heads !== 0) throw new GraphError(`buildClipText: hidden_size ${d} is not divisible by num_attention_heads ${cfg.num_attention_heads}`);
  const b = new GraphBuilder(o.graphName ?? 'text_encoder');
  const pt = new ParamTable(b, o.weights, o.seed);
  const ids = b.input('input_ids', o.idsDtype ?? 'int32', [o.batch, s]);
  const table = pt.param('text_model.embeddings.token_embedding.weight', [cfg.vocab_size, d]);
  const extra = o.extraTokenRows ? b.input('extra_token_embeds', 'float32', [o.extraTokenRows, d]) : undefined;
  const pos = pt.param('text_model.embeddings.position_embedding.weight', [cfg.max_position_embeddings, d]);
  let h = b.scope('text_model.embeddings', () => {
    const positions = op.Gather(pos, b.constant(Int32Array.from({ length: s }, (_, i) => i), 'int32', [s]), 0);
    return op.Add(extra ? tokenEmbeddingsWithExtra(table, extra, ids, cfg.vocab_size) : op.Gather(table, ids, 0), positions);
  });
  const mask = b.constant(causalMask(s), 'float32', [s, s]);
  for (let l = 0; l < cfg.num_hidden_layers; l++) h = encoderLayer(pt, h, `text_model.encoder.layers.${l}`, cfg, mask);
  b.output(layerNorm(pt, h, 'text_model.final_layer_norm', d, cfg.layer_norm_eps), 'last_hidden_state');
  return { builder: b, model: b.toModel(), params: pt.entries, paramCount: pt.count(), randomInitialized: pt.randomInitialized };
}

/**
 * Token embeddings when ids ≥ vocab select rows of `extra` [n, D]: two Gathers and a Where instead of one
 * Gather from Concat(table, extra), so the gradient w.r.t. the extra rows is a one-hot over n rows, not over
 * the whole vocabulary (49,410 rows for SD 1.5: ~150 MB and ~6 GFLOP per step saved).
 */
function tokenEmbeddingsWithExtra(table: Var, extra: Var, ids: Var, vocab: number): Var {
  const b = ids.builder;
  const v = b.scalar(vocab, ids.dtype);
  const zero = b.scalar(0, ids.dtype);
  const isExtra = op.Not(op.Less(ids, v));
  const baseIds = op.Where(isExtra, zero, ids);
  const extraIds = op.Where(isExtra, op.Sub(ids, v), zero);
  const baseRows = op.Gather(table, baseIds, 0);
  const extraRows = op.Gather(extra, extraIds, 0);
  return op.Where(op.Unsqueeze(isExtra, [-1]), extraRows, baseRows, 'token_rows');
}

/** One CLIPEncoderLayer on h [B, S, D]. */
function encoderLayer(pt: ParamTable, h: Var, p: string, cfg: ClipTextConfig, mask: Var): Var {
  const d = cfg.hidden_size;
  const b = h.builder;
  const n1 = layerNorm(pt, h, `${p}.layer_norm1`, d, cfg.layer_norm_eps);
  h = b.scope(p, () => op.Add(h, selfAttention(pt, n1, `${p}.self_attn`, cfg, mask)));
  const n2 = layerNorm(pt, h, `${p}.layer_norm2`, d, cfg.layer_norm_eps);
  const f1 = linear(pt, n2, `${p}.mlp.fc1`, d, cfg.intermediate_size);
  const act = b.scope(`${p}.mlp`, () => (cfg.hidden_act === 'quick_gelu' ? quickGelu(f1) : gelu(f1)));
  const f2 = linear(pt, act, `${p}.mlp.fc2`, cfg.intermediate_size, d);
  return b.scope(p, () => op.Add(h, f2));
}

/** CLIPAttention (biases on q/k/v/out_proj), causal: softmax(Q·Kᵀ/√d + M)·V. */
function selfAttention(pt: ParamTable, x: Var, p: string, cfg: ClipTextConfig, mask: Var): Var {
  const d = cfg.hidden_size;
  const heads = cfg.num_attention_heads;
  const q = linear(pt, x, `${p}.q_proj`, d, d);
  const k = linear(pt, x, `${p}.k_proj`, d, d);
  const v = linear(pt, x, `${p}.v_proj`, d, d);
  const merged = x.builder.scope(p, () => {
    const [batch, s] = x.shape as [number, number, number];
    const hd = d / heads;
    const split = (t: Var, perm: number[]): Var => op.Transpose(op.Reshape(t, [batch, s, heads, hd]), perm);
    const scores = op.Mul(op.MatMul(split(q, [0, 2, 1, 3]), split(k, [0, 2, 3, 1])), x.builder.scalar(1 / Math.sqrt(hd)));
    const probs = op.Softmax(op.Add(scores, mask), -1);
    return op.Reshape(op.Transpose(op.MatMul(probs, split(v, [0, 2, 1, 3])), [0, 2, 1, 3]), [batch, s, d]);
  });
  return linear(pt, merged, `${p}.out_proj`, d, d);
}
