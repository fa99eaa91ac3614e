// Which cross-attention layers feed the DisenDiff maps (docs/disendiff.md §2.5): SD 1.5 uses the five 16×16
// attn2 layers of a 64×64 latent. The rule we use for any config is the SECOND-LOWEST attn2 resolution
// (SD 1.5: {8 (mid), 16, 32, 64} → 16; TINY_UNET at 8×8: {4 (mid), 8} → 8), or the lowest when only one
// exists. Pure selection over layer descriptions; nothing is built here.
import { GraphError } from '../../lib/errors';
import type { CrossAttentionLayerInfo } from '../../onnx/index';

/** A layer selection: a predicate over layer descriptions, or 'second-lowest' (the default rule above). */
export type LayerSelection = 'second-lowest' | ((layer: CrossAttentionLayerInfo) => boolean);

/**
 * Picks the layers the calibration losses read. All picked layers must share one resolution.
 * @throws GraphError when nothing matches or the picked layers mix resolutions
 */
export function selectAttentionLayers<T extends CrossAttentionLayerInfo>(layers: readonly T[], selection: LayerSelection): T[] {
  let picked: T[];
  if (selection === 'second-lowest') {
    const sizes = [...new Set(layers.map((l) => l.resolution[0] * l.resolution[1]))].sort((a, b) => a - b);
    const size = sizes[Math.min(1, sizes.length - 1)];
    picked = layers.filter((l) => l.resolution[0] * l.resolution[1] === size);
  } else picked = layers.filter((l) => selection(l));
  if (picked.length === 0) throw new GraphError(`no cross-attention layer matches the selection; layers are ${layers.map((l) => `${l.layer} (${l.resolution.join('×')})`).join(', ') || 'none'}`);
  const res = new Set(picked.map((l) => l.resolution.join('×')));
  if (res.size > 1) throw new GraphError(`selected attention layers mix resolutions ${[...res].join(', ')}; DisenDiff maps need one resolution (select e.g. only the 16×16 layers)`);
  return picked;
}
