// The generated world: deterministic per seed, captions parse back to the scene, held-out pairs excluded,
// rendering puts each object's colour inside its mask.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/random';
import { captionOf, COLOR_RGB, isHeldOut, parseCaption, renderScene, sampleScene } from '../../src/world/index';

describe('the generated world', () => {
  it('gives the same scene and pixels for the same seed, different ones for another seed', () => {
    const a = sampleScene(new Rng(11));
    const b = sampleScene(new Rng(11));
    const c = sampleScene(new Rng(12));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(renderScene(a, 32).rgba).toEqual(renderScene(b, 32).rgba);
  });

  it('captions parse back to every attribute of every object', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 200; i++) {
      const s = sampleScene(rng);
      const p = parseCaption(captionOf(s));
      expect(p.background).toBe(s.background);
      expect(p.objects).toEqual(s.objects.map((o) => ({ size: o.size, color: o.color, pattern: o.pattern, shape: o.shape })));
    }
  });

  it('writes captions from the grammar', () => {
    const s = sampleScene(new Rng(5), { count: 2, fixed: [{ shape: 'circle', color: 'red', pattern: 'striped', size: 'large' }, { shape: 'square', color: 'blue', pattern: 'solid', size: 'small' }], background: 'grey' });
    const caption = captionOf(s);
    expect(caption).toMatch(/^a (large red striped circle and a small blue square|small blue square and a large red striped circle) on a grey background$/);
  });

  it('never renders held-out colour/shape pairs in training scenes', () => {
    const rng = new Rng(9);
    for (let i = 0; i < 500; i++) for (const o of sampleScene(rng).objects) expect(isHeldOut(o.color, o.shape)).toBe(false);
  });

  it('paints each solid object in its colour inside its mask', () => {
    const s = sampleScene(new Rng(21), { count: 2, fixed: [{ shape: 'circle', color: 'red', pattern: 'solid', size: 'large' }, { shape: 'square', color: 'yellow', pattern: 'solid', size: 'large' }] });
    const r = renderScene(s, 64);
    s.objects.forEach((o, k) => {
      const mask = r.masks[k]!;
      let inside = 0;
      const sum = [0, 0, 0];
      for (let i = 0; i < mask.length; i++) {
        if (mask[i] !== 255) continue;
        inside++;
        for (let ch = 0; ch < 3; ch++) sum[ch]! += r.rgba[i * 4 + ch]!;
      }
      expect(inside).toBeGreaterThan(200);
      const mean = sum.map((v) => v / inside);
      COLOR_RGB[o.color].forEach((c, ch) => expect(Math.abs(mean[ch]! - c)).toBeLessThan(3));
    });
  });
});
