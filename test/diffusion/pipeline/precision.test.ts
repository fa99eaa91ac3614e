// Precision choice of the text-to-image graphs: resolvePrecision per backend and choice, and a forced-fp16
// generation of the tiny folder on onnxruntime-node CPU that stays close to the fp32 one (3 DDIM steps; measured
// latent relative RMS difference 2.2e-3, asserted < 5e-3).
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/lib/errors';
import { resolvePrecision } from '../../../src/diffusion/pipeline/precision';
import type { PrecisionChoice } from '../../../src/diffusion/pipeline/precision';
import { Txt2ImgPipeline } from '../../../src/diffusion/pipeline/txt2img';
import type { BackendInfo } from '../../../src/runtime/types';
import { nodeOrt } from '../../helpers/ort';
import { loadTiny } from '../loaders/tinyFolder';

const gpuF16: BackendInfo = { ep: 'webgpu', adapter: 'nvidia ampere', reason: 'requested', isFallback: false, hasShaderF16: true };
const gpuNoF16: BackendInfo = { ...gpuF16, adapter: 'swiftshader', hasShaderF16: false };
const wasm: BackendInfo = { ep: 'wasm', reason: 'wasm fallback', isFallback: true };
const cpu: BackendInfo = { ep: 'cpu', reason: 'requested', isFallback: false };

describe('when choosing the graph precision', () => {
  it.each([
    ['auto', gpuF16, 'fp16'], ['auto', gpuNoF16, 'fp32'], ['auto', wasm, 'fp32'], ['auto', cpu, 'fp32'],
    ['fp32', gpuF16, 'fp32'], ['fp16', gpuF16, 'fp16'], ['fp16', cpu, 'fp16'], ['fp16', wasm, 'fp16'],
  ] as const)('%s on %j gives %s', (choice, backend, want) => {
    expect(resolvePrecision(choice, backend)).toBe(want);
  });

  it('refuses fp16 on an adapter without shader-f16 and unknown choices, naming the fix', () => {
    expect(() => resolvePrecision('fp16', gpuNoF16)).toThrow(ConfigError);
    expect(() => resolvePrecision('fp16', gpuNoF16)).toThrow(/shader-f16.*swiftshader.*'auto' or 'fp32'/);
    expect(() => resolvePrecision('half' as PrecisionChoice, cpu)).toThrow(/one of auto, fp16, fp32, got "half"/);
  });
});

describe('when the tiny model generates with forced fp16 graphs on the CPU', () => {
  it('reports its precision and lands near the fp32 latents', async () => {
    const model = await loadTiny({ seed: 5 });
    const [full, half] = [new Txt2ImgPipeline(nodeOrt(), model), new Txt2ImgPipeline(nodeOrt(), model, undefined, 'fp16')];
    expect([full.precision, half.precision]).toEqual(['fp32', 'fp16']);
    const req = { prompt: 'a photo of a cat', seed: 3, steps: 3, sampler: 'DDIM' };
    const [a, b] = [await full.generate(req), await half.generate(req)];
    let d2 = 0;
    let a2 = 0;
    a.latents.forEach((v, i) => {
      d2 += (v - (b.latents[i] as number)) ** 2;
      a2 += v * v;
    });
    expect(Math.sqrt(d2 / a2)).toBeLessThan(5e-3);
    await Promise.all([full.dispose(), half.dispose()]);
  });
});
