// A reference image from the default model's world (src/world): a large red circle left and a large blue square
// right on grey, rendered at 256 px and encoded as PNG, for the studio journey on the default model. Node side
// of the e2e tests only; deterministic (no randomness). Reference: src/world/CONTEXT.md, public/models/default/MODEL_CARD.md.
import { encodePng } from '../src/diffusion/image/png';
import { renderScene } from '../src/world/index';
import type { Scene } from '../src/world/index';

export const WORLD_FIXTURE_NAME = 'circle-and-square.png';

/** The scene: concept 1 (circle) in the left half, concept 2 (square) in the right half. */
export const WORLD_SCENE: Scene = {
  background: 'grey',
  objects: [
    { shape: 'circle', color: 'red', pattern: 'solid', size: 'large', cx: 0.27, cy: 0.5, radius: 0.2, angle: 0 },
    { shape: 'square', color: 'blue', pattern: 'solid', size: 'large', cx: 0.73, cy: 0.5, radius: 0.2, angle: 0 },
  ],
};

/** PNG bytes of WORLD_SCENE at `size` px. */
export function worldFixturePng(size = 256): Buffer {
  const r = renderScene(WORLD_SCENE, size, 2);
  return Buffer.from(encodePng({ width: size, height: size, channels: 4, data: r.rgba }));
}
