// A1111 infotext: the exact text for a known parameter set, quoting, and parsing back (A1111 rules).
import { describe, expect, it } from 'vitest';
import { formatInfotext, parseInfotext } from '../../src/diffusion/image/infotext';
import type { GenerationParams } from '../../src/diffusion/image/infotext';

const P: GenerationParams = {
  prompt: 'a cat1 cat sleeping on a sofa',
  negativePrompt: 'blurry, lowres',
  steps: 30,
  sampler: 'DPM++ 2M',
  scheduleType: 'Karras',
  cfgScale: 7,
  seed: 1234,
  width: 512,
  height: 512,
  modelHash: '6ce0161689',
  model: 'v1-5-pruned-emaonly',
  extra: { 'TI hashes': 'cat1: 0123456789ab, dog1: ba9876543210', Version: 'disenstudio-0.1' },
};

describe('formatInfotext', () => {
  it('writes prompt, negative prompt and the A1111 parameter line in A1111 order', () => {
    expect(formatInfotext(P)).toBe(
      'a cat1 cat sleeping on a sofa\nNegative prompt: blurry, lowres\n' +
        'Steps: 30, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1234, Size: 512x512, ' +
        'Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, TI hashes: "cat1: 0123456789ab, dog1: ba9876543210", Version: disenstudio-0.1',
    );
  });
  it('always writes the Negative prompt line (ComfyUI\'s A1111 import needs it) and omits unset fields', () => {
    const text = formatInfotext({ prompt: 'a <cat1> cat', negativePrompt: '', steps: 20, sampler: 'Euler a', cfgScale: 7, seed: 1, width: 64, height: 64, model: 'tiny' });
    expect(text).toBe('a <cat1> cat\nNegative prompt: \nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 64x64, Model: tiny');
  });
});

describe('parseInfotext', () => {
  it('round-trips, unquoting JSON values', () => {
    const back = parseInfotext(formatInfotext(P));
    expect(back.prompt).toBe(P.prompt);
    expect(back.negativePrompt).toBe(P.negativePrompt);
    expect(back.params).toEqual({
      Steps: '30', Sampler: 'DPM++ 2M', 'Schedule type': 'Karras', 'CFG scale': '7', Seed: '1234', Size: '512x512',
      'Model hash': '6ce0161689', Model: 'v1-5-pruned-emaonly', 'TI hashes': 'cat1: 0123456789ab, dog1: ba9876543210', Version: 'disenstudio-0.1',
    });
  });
  it('keeps multi-line prompts and treats a last line with < 3 pairs as prompt', () => {
    expect(parseInfotext('line one\nline two: yes')).toEqual({ prompt: 'line one\nline two: yes', negativePrompt: '', params: {} });
    const t = parseInfotext('p1\np2\nNegative prompt: n1\nn2\nSteps: 5, Sampler: DDIM, Seed: 3');
    expect([t.prompt, t.negativePrompt, t.params.Sampler]).toEqual(['p1\np2', 'n1\nn2', 'DDIM']);
  });
});
