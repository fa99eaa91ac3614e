// Opt-in: every float32 gradient graph (all rule cases and the whole-model cases) runs on onnxruntime-node's
// WebGPU EP with CPU fallback disabled, proving each emitted node has a WebGPU kernel, and agrees with the
// CPU EP. Needs an adapter: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
// LD_LIBRARY_PATH=/usr/lib/chromium (platform.md), or a real GPU with DISEN_WEBGPU=1.
import { describe, expect, it } from 'vitest';
import { createNodeRunner } from '../../../src/runtime/node';
import type { HostTensor, Runner } from '../../../src/runtime/types';
import { buildGradModels } from '../../helpers/finiteDiff';
import type { GradCase } from '../../helpers/finiteDiff';
import { closeness, nodeOrt } from '../../helpers/ort';
import { OP_CASES } from './cases/index';
import { MODEL_CASES } from './cases/models';

const hasAdapter = Boolean(process.env.VK_ICD_FILENAMES) || process.env.DISEN_WEBGPU === '1';
const ALL: GradCase[] = [...Object.values(OP_CASES).flat(), ...MODEL_CASES];

async function runAll(runner: Runner, c: GradCase, bytes: Uint8Array, feeds: Record<string, HostTensor>, gpu: boolean) {
  const s = await runner.createSession(`${c.name}/backward`, bytes, gpu ? { disableCpuFallback: true } : {});
  try {
    return (await s.run(feeds)) as Record<string, HostTensor>;
  } finally {
    await s.dispose();
  }
}

describe.skipIf(!hasAdapter)('when gradient graphs run on the WebGPU EP (float32, no CPU fallback)', () => {
  let gpu: Runner | undefined;
  for (const c of ALL) {
    it(`runs and matches the CPU EP: ${c.name}`, async () => {
      gpu ??= createNodeRunner({ ep: 'webgpu' });
      const m = buildGradModels(c, 'float32');
      const want = await runAll(nodeOrt(), c, m.backward, m.feeds, false);
      const got = await runAll(gpu, c, m.backward, m.feeds, true);
      for (const name of Object.keys(want)) {
        const w = want[name]!.data as Float32Array;
        const scale = Math.max(1, ...Array.from(w, Math.abs));
        expect(closeness(got[name]!.data as Float32Array, w, 1e-3 * scale, 1e-3), name).toBeLessThanOrEqual(1);
      }
    });
  }
});
