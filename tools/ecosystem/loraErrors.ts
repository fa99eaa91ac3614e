// The kohya LoRA export's measured error on a real pack, per rank: `npx tsx tools/ecosystem/loraErrors.ts <pack folder>
// [--ranks 1,2,4,8,16]` (the folder `npm run personalize` writes: pack.json + weights.safetensors). Prints one JSON
// line per rank: overall relative error ‖ΔW − up·down‖_F / ‖ΔW‖_F and the module range (src/train/pack/peerExports.ts).
import { kohyaLoraFile } from '../../src/train/pack/peerExports';
import { loadPack } from '../../src/train/pack/io';
import { createNodeFileSource } from '../../src/diffusion/loaders/node';

async function main(): Promise<void> {
  const [dir, ...rest] = process.argv.slice(2);
  if (!dir) throw new Error('usage: tsx tools/ecosystem/loraErrors.ts <pack folder> [--ranks 1,2,4,8,16]');
  const at = rest.indexOf('--ranks');
  const ranks = (at >= 0 ? (rest[at + 1] ?? '') : '1,2,4,8,16').split(',').map(Number);
  if (ranks.some((r) => !Number.isInteger(r) || r < 1)) throw new Error(`--ranks must list positive integers (got ${rest[at + 1]})`);
  const pack = await loadPack(createNodeFileSource(dir));
  const shapes = [...new Set(pack.deltas.map((d) => d.shape.join('x')))];
  for (const rank of ranks) {
    const { report } = kohyaLoraFile(pack, { title: 'x', resolution: '' }, rank);
    const m = Object.values(report.modules);
    console.log(JSON.stringify({ pack: dir, baseModel: pack.metadata.baseModel.name, steps: pack.metadata.settings.steps, shapes, rank, overall: report.overall, moduleMin: Math.min(...m), moduleMax: Math.max(...m) }));
  }
}

main().catch((e: unknown) => {
  console.error(`loraErrors: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
