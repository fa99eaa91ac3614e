// The one-click example: a red circle and a blue square on grey from the default model's world (src/world),
// rendered at 256 px, with masks traced from the shapes themselves (world/outline.ts) and the class words the
// model knows ("circle", "square"). Plain data for the store's openExample action.
import { encodePng } from '../diffusion/index';
import type { ExamplePort, ExampleProject } from '../state/index';
import { objectOutline, renderScene } from '../world/index';
import type { Scene } from '../world/index';

export const EXAMPLE_SIZE = 256;

export const EXAMPLE_SCENE: Scene = {
  background: 'grey',
  objects: [
    { shape: 'circle', color: 'red', pattern: 'solid', size: 'large', cx: 0.27, cy: 0.5, radius: 0.2, angle: 0 },
    { shape: 'square', color: 'blue', pattern: 'solid', size: 'large', cx: 0.73, cy: 0.5, radius: 0.2, angle: 0 },
  ],
};

function dataUrlOf(png: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < png.length; i += 0x8000) bin += String.fromCharCode(...png.subarray(i, i + 0x8000));
  return `data:image/png;base64,${btoa(bin)}`;
}

/** The example project's data (pure apart from base64). */
export function makeExample(): ExampleProject {
  const r = renderScene(EXAMPLE_SCENE, EXAMPLE_SIZE, 2);
  const png = encodePng({ width: EXAMPLE_SIZE, height: EXAMPLE_SIZE, channels: 4, data: r.rgba });
  return {
    name: 'example: red circle and blue square',
    dataUrl: dataUrlOf(png),
    size: EXAMPLE_SIZE,
    concepts: EXAMPLE_SCENE.objects.map((o, i) => ({ token: `<${o.shape}${i + 1}>`, classWord: o.shape, outline: objectOutline(o).map(([x, y]) => [x * EXAMPLE_SIZE, y * EXAMPLE_SIZE] as const) })),
    note: 'Press Train; the "Smoke test (2 steps)" preset gives a first result fastest.',
  };
}

export const examplePort: ExamplePort = { make: async () => makeExample() };
