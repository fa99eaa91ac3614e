// The world's caption grammar and its parser:
//   caption := object ( ", " object )* " and " object " on a " background " background"
//   object  := "a " size " " color ( " " patternWord )? " " shape       (patternWord omitted for solid)
// Pure. parseCaption(captionOf(scene)) gives back every attribute of every object.
import type { Scene } from './scene';
import { BACKGROUNDS, COLORS, SHAPES, SIZES } from './vocab';
import type { BackgroundName, ColorName, PatternName, ShapeClass, SizeName } from './vocab';

/** pattern → the adjective written in captions ('' for solid) */
export const PATTERN_WORD: Record<PatternName, string> = { solid: '', striped: 'striped', dotted: 'dotted', checkered: 'checkered', gradient: 'gradient' };

export type ParsedObject = { size?: SizeName; color?: ColorName; pattern?: PatternName; shape: ShapeClass };
export type ParsedCaption = { objects: ParsedObject[]; background?: BackgroundName };

/** Caption of one object, e.g. "a large red striped circle". */
export function objectPhrase(o: { size?: SizeName; color?: ColorName; pattern?: PatternName; shape: ShapeClass }): string {
  const words = ['a', o.size, o.color, o.pattern ? PATTERN_WORD[o.pattern] : undefined, o.shape].filter((w) => w);
  return words.join(' ');
}

/** Full caption of a scene. */
export function captionOf(scene: Scene): string {
  const phrases = scene.objects.map(objectPhrase);
  const joined = phrases.length > 1 ? `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1]}` : (phrases[0] ?? '');
  return `${joined} on a ${scene.background} background`;
}

const has = <T extends string>(list: readonly T[], w: string): w is T => (list as readonly string[]).includes(w);

/** Parses a caption (or a prompt using the same words) back to attributes; unknown words are ignored. */
export function parseCaption(text: string): ParsedCaption {
  const words = text.toLowerCase().replace(/[,.]/g, ' ').split(/\s+/).filter(Boolean);
  const objects: ParsedObject[] = [];
  let current: Partial<ParsedObject> = {};
  let background: BackgroundName | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (has(SIZES, w)) current.size = w;
    else if (has(COLORS, w)) current.color = w;
    else if (has(SHAPES, w)) {
      objects.push({ ...current, shape: w });
      current = {};
    } else if (has(BACKGROUNDS, w) && words[i + 1] === 'background') background = w;
    else {
      const p = (Object.keys(PATTERN_WORD) as PatternName[]).find((k) => PATTERN_WORD[k] === w && w !== '');
      if (p) current.pattern = p;
    }
  }
  for (const o of objects) o.pattern ??= 'solid';
  return { objects, background };
}
