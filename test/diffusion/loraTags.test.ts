import { describe, expect, it } from 'vitest';
import { parseConceptTokens, parseLoraTags } from '../../src/diffusion/text/prompt';

describe('<lora:name:w> prompt tags', () => {
  it('parses names and weights (default 1) and removes them from the CLIP text', () => {
    const r = parseLoraTags('a <cat1> cat <lora:ink-style:0.8>, on a sofa <lora:detail>');
    expect(r.loras).toEqual([{ name: 'ink-style', strength: 0.8 }, { name: 'detail', strength: 1 }]);
    expect(r.prompt).toBe('a <cat1> cat, on a sofa');
    expect(parseConceptTokens(r.prompt).map((c) => c.token)).toEqual(['<cat1>']);
  });
  it('keeps a prompt without tags as it is, and refuses a non-numeric weight naming the tag', () => {
    expect(parseLoraTags('a photo of a dog')).toEqual({ prompt: 'a photo of a dog', loras: [] });
    expect(parseLoraTags('x <lora:a:-0.5>').loras).toEqual([{ name: 'a', strength: -0.5 }]);
    expect(() => parseLoraTags('x <lora:a:strong>')).toThrow(/<lora:a:strong>.*"strong"/);
  });
});
