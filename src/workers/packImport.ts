// Concept packs that arrive from outside the engine (a project file with its trained concepts): every pack is read by
// train/pack loadPack (pack.json schema, the one path rule, tensors against pack.json) before any is applied, so a
// bad pack refuses the whole import and changes nothing. Reference: train/pack/io.ts, workers/packStore.ts.
import { MemoryFileSource } from '../diffusion/index';
import { loadPack } from '../train/index';

/**
 * Checks each pack folder (file name → bytes) and returns the tokens each teaches.
 * @param label where the packs come from (e.g. "project.zip"), named in the errors with the pack's folder
 * @throws ModelAssetError (or the pack reader's error) naming `label`/packs/<i>
 */
export async function checkPacks(packs: readonly Readonly<Record<string, Uint8Array>>[], label: string): Promise<string[][]> {
  const out: string[][] = [];
  for (const [i, files] of packs.entries()) {
    const pack = await loadPack(new MemoryFileSource(new Map(Object.entries(files)), `${label}/packs/${i + 1}`));
    out.push(pack.concepts.map((c) => c.token));
  }
  return out;
}
