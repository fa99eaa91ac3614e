// The one-click example project: plain data an ExamplePort makes (app/example.ts renders a world scene) and the
// pure rule that turns it into the studio's project and masks (one polygon op per concept). No I/O here.
import { emptyLayer, imagePoint } from '../editor/index';
import type { MaskLayer } from '../editor/index';
import { CONCEPT_COLORS } from './concepts';
import { centredCrop } from './image';
import type { Concept, MaskDoc, ReferenceImage } from './types';

/** One concept of an example: its token, class word and mask outline in the reference image's pixels. */
export type ExampleConcept = { readonly token: string; readonly classWord: string; readonly outline: readonly (readonly [number, number])[] };

export type ExampleProject = {
  /** a square PNG data URL and its side */
  readonly name: string;
  readonly dataUrl: string;
  readonly size: number;
  readonly concepts: readonly ExampleConcept[];
  /** the preset to train it with and why (shown with the example) */
  readonly note: string;
};

/** Makes the example on demand (the browser renders it; tests pass their own). */
export interface ExamplePort {
  make(): Promise<ExampleProject>;
}

/** The project of an example: the reference (whole image as the crop), its concepts and one mask layer each. */
export function exampleToProject(ex: ExampleProject): { reference: ReferenceImage; concepts: Concept[]; masks: MaskDoc } {
  const concepts = ex.concepts.map((c, i) => ({ id: `c${i + 1}`, token: c.token, classWord: c.classWord, color: CONCEPT_COLORS[i % CONCEPT_COLORS.length]! }));
  const masks: Record<string, MaskLayer> = {};
  ex.concepts.forEach((c, i) => {
    const id = `c${i + 1}`;
    masks[id] = { ...emptyLayer(id), ops: [{ kind: 'polygon', mode: 'add', points: c.outline.map(([x, y]) => imagePoint(x, y)) }] };
  });
  const reference = { name: ex.name, dataUrl: ex.dataUrl, width: ex.size, height: ex.size, originalWidth: ex.size, originalHeight: ex.size, crop: centredCrop(ex.size, ex.size) };
  return { reference, concepts, masks };
}
