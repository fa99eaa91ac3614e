// Object proposals (src/eval/segment.ts) on hand-placed world scenes: one proposal per object, each covering
// its object's pixels, touching objects split, holes filled, a decoder's faint halo trimmed; bad image sizes refused.
import { describe, expect, it } from 'vitest';
import { degradeImage, matchProposals, proposals, toRgb64 } from '../../src/eval/index';
import { Rng } from '../../src/lib/random';
import { renderScene } from '../../src/world/index';
import type { Scene, WorldObject } from '../../src/world/index';

const obj = (o: Partial<WorldObject>): WorldObject => ({ shape: 'circle', color: 'red', pattern: 'solid', size: 'small', cx: 0.5, cy: 0.5, radius: 0.14, angle: 0, ...o });

function propose(scene: Scene) {
  const r = renderScene(scene, 64);
  const props = proposals(toRgb64(r));
  return { props, owner: matchProposals(props, r.masks) };
}

describe('proposals', () => {
  it('finds three separate objects left to right, each owned by its object', () => {
    const scene: Scene = { background: 'sand', objects: [obj({ cx: 0.2, shape: 'star' }), obj({ cx: 0.5, color: 'blue', pattern: 'checkered' }), obj({ cx: 0.8, shape: 'heart', color: 'white', pattern: 'dotted' })] };
    const { props, owner } = propose(scene);
    expect(owner).toEqual([0, 1, 2]);
    expect(props.every((p) => p.area > 40 && p.area < 300)).toBe(true);
  });

  it('splits two large objects whose outlines touch', () => {
    const scene: Scene = { background: 'grey', objects: [obj({ cx: 0.3, radius: 0.22, shape: 'square', color: 'green' }), obj({ cx: 0.69, radius: 0.22, color: 'orange' })] };
    expect(propose(scene).owner).toEqual([0, 1]);
  });

  it('fills the holes a dotted pattern leaves when its dots match the background', () => {
    const scene: Scene = { background: 'grey', objects: [obj({ radius: 0.24, color: 'white', pattern: 'dotted' })] };
    const { props } = propose(scene);
    const circle = Math.PI * (0.24 * 64) ** 2;
    expect(props).toHaveLength(1);
    expect(props[0]!.area).toBeGreaterThan(0.9 * circle);
  });

  it('trims a faint halo around an object (as a VAE decoder leaves) instead of proposing a round blob', () => {
    const scene: Scene = { background: 'sky', objects: [obj({ shape: 'star', color: 'purple', radius: 0.16 })] };
    const r = renderScene(scene, 64);
    const wide = degradeImage(r, { blurSigma: 2.5, noiseStd: 0 }, new Rng(1));
    const halo = { size: 64, rgba: Uint8ClampedArray.from(r.rgba, (v, i) => Math.round(0.8 * v + 0.2 * (wide.rgba[i] as number))) };
    const props = proposals(toRgb64(halo));
    const area = r.masks[0]!.reduce((a, v) => a + (v >= 128 ? 1 : 0), 0);
    expect(props).toHaveLength(1);
    expect(props[0]!.area).toBeLessThan(1.25 * area);
    expect(props[0]!.area).toBeGreaterThan(0.8 * area);
  });

  it('keeps an object with low-contrast stripes whole (the trim only peels the outline)', () => {
    const scene: Scene = { background: 'sky', objects: [obj({ shape: 'square', color: 'blue', pattern: 'striped', angle: 0.2 })] };
    const { props, owner } = propose(scene);
    expect(owner).toEqual([0]);
    expect(props).toHaveLength(1);
  });

  it('finds nothing on an empty background', () => {
    expect(proposals(toRgb64(renderScene({ background: 'night', objects: [] }, 64)))).toEqual([]);
  });

  it('refuses images whose side is not a multiple of 64', () => {
    expect(() => toRgb64({ size: 48, rgba: new Uint8Array(48 * 48 * 4) })).toThrow(/multiple of 64; got size 48/);
  });
});
