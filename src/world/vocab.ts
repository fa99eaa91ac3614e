// The generated world's vocabulary: shape classes, colours, patterns, sizes, backgrounds, and the attribute
// combinations held out of training (to measure generalisation). Pure data.
// Reference: the generated world (a seeded world of 1–3 objects with captions from a grammar).

export const SHAPES = ['circle', 'square', 'triangle', 'star', 'heart', 'diamond'] as const;
export const COLORS = ['red', 'green', 'blue', 'yellow', 'purple', 'orange', 'white', 'black'] as const;
export const PATTERNS = ['solid', 'striped', 'dotted', 'checkered', 'gradient'] as const;
export const SIZES = ['small', 'large'] as const;
export const BACKGROUNDS = ['grey', 'sand', 'sky', 'night'] as const;

export type ShapeClass = (typeof SHAPES)[number];
export type ColorName = (typeof COLORS)[number];
export type PatternName = (typeof PATTERNS)[number];
export type SizeName = (typeof SIZES)[number];
export type BackgroundName = (typeof BACKGROUNDS)[number];

/** colour name → sRGB 0..255 */
export const COLOR_RGB: Record<ColorName, [number, number, number]> = {
  red: [220, 40, 40], green: [40, 170, 60], blue: [40, 80, 220], yellow: [240, 210, 40],
  purple: [140, 60, 190], orange: [245, 140, 30], white: [245, 245, 245], black: [25, 25, 25],
};

/** background name → sRGB 0..255 */
export const BACKGROUND_RGB: Record<BackgroundName, [number, number, number]> = {
  grey: [128, 128, 128], sand: [214, 190, 140], sky: [150, 200, 235], night: [30, 36, 70],
};

/** (colour, shape) pairs never rendered in training scenes; prompts with them test generalisation. */
export const HELD_OUT: ReadonlyArray<{ color: ColorName; shape: ShapeClass }> = [
  { color: 'purple', shape: 'star' },
  { color: 'green', shape: 'heart' },
  { color: 'orange', shape: 'square' },
  { color: 'blue', shape: 'triangle' },
];

export function isHeldOut(color: ColorName, shape: ShapeClass): boolean {
  return HELD_OUT.some((h) => h.color === color && h.shape === shape);
}
