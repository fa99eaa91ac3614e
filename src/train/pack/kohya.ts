// kohya / A1111 / ComfyUI key names for UNet weights (docs/ecosystem.md §3): the diffusers module path with dots
// turned into underscores, prefixed "lora_unet_", and ".diff" for a full-rank delta (A1111 `network_full.py`,
// ComfyUI `comfy/lora.py`). Pure string mapping; the reverse parses the known UNet module grammar, because
// underscores inside names ("down_blocks", "to_k") make a plain replace ambiguous.
import { ConfigError } from '../../lib/errors';

const PREFIX = 'lora_unet_';

/** "down_blocks.2.attentions.0.transformer_blocks.0.attn2.to_k.weight" → "lora_unet_down_blocks_2_…_attn2_to_k.diff" */
export function kohyaDiffKey(stateDictName: string): string {
  if (!stateDictName.endsWith('.weight')) throw new ConfigError(`kohyaDiffKey: "${stateDictName}" is not a weight name (must end in ".weight")`);
  return `${PREFIX}${stateDictName.slice(0, -'.weight'.length).replace(/\./g, '_')}.diff`;
}

/** Segments of a diffusers UNet transformer path, in the order they appear. */
const BLOCK = /^(down_blocks|up_blocks)_(\d+)_attentions_(\d+)_|^mid_block_attentions_(\d+)_/;
const TRANSFORMER = /^transformer_blocks_(\d+)_(attn1|attn2)_(to_q|to_k|to_v|to_out_0)$/;

/**
 * The inverse of kohyaDiffKey for attention projections in UNet transformer blocks.
 * @returns the diffusers state-dict name, or undefined when `key` is not such a ".diff" key
 */
export function stateDictNameOfKohya(key: string): string | undefined {
  if (!key.startsWith(PREFIX) || !key.endsWith('.diff')) return undefined;
  const body = key.slice(PREFIX.length, -'.diff'.length);
  const block = BLOCK.exec(body);
  if (!block) return undefined;
  const head = block[1] ? `${block[1]}.${block[2]}.attentions.${block[3]}` : `mid_block.attentions.${block[4]}`;
  const t = TRANSFORMER.exec(body.slice(block[0].length));
  if (!t) return undefined;
  const proj = t[3] === 'to_out_0' ? 'to_out.0' : t[3];
  return `${head}.transformer_blocks.${t[1]}.${t[2]}.${proj}.weight`;
}

/** File stem for an embedding of `token`: "<cat1>" → "cat1" (A1111 keeps alnum and "._- "; no "<>" on Windows). */
export function tokenStem(token: string): string {
  const stem = token.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._-]/g, '_');
  if (!stem) throw new ConfigError(`tokenStem: token "${token}" has no usable characters for a file name`);
  return stem;
}
