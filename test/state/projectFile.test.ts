// The project-file schema (src/state/projectFile.ts, ranges from src/state/limits.ts): the studio's own export
// reads back unchanged; hostile files (zero crop, huge strokes, url() colours, sizes the UI does not offer,
// deep nesting) are refused naming the field, and the current project is kept; what is accepted is rebuilt from
// checked values only (unknown keys dropped, colours re-written).
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import { setField } from '../helpers/hostileBundle';
import { samplerNames } from '../../src/diffusion/index';
import { createStudioStore, parseColor, parseProjectFile, ProjectFileError } from '../../src/state/index';

function own(): Record<string, unknown> {
  const store = createStudioStore();
  const s = store.getState();
  s.setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 80, height: 64, originalWidth: 80, originalHeight: 64 });
  s.updateConcept('c1', { token: '<cat1>', classWord: 'cat' });
  s.commitOp({ kind: 'fill', at: imagePoint(3, 3) });
  s.commitOp({ kind: 'stroke', mode: 'add', radius: 12 as never, points: [imagePoint(1, 1), imagePoint(30, 40)] });
  return JSON.parse(s.exportProject()) as Record<string, unknown>;
}

const at = (o: unknown, dotted: string): unknown => dotted.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], o);

const refused = (f: unknown, field: RegExp) => {
  expect(() => parseProjectFile(JSON.stringify(f))).toThrow(ProjectFileError);
  expect(() => parseProjectFile(JSON.stringify(f))).toThrow(field);
};

describe('project file schema', () => {
  it("reads the studio's own export back to the same project", () => {
    const f = own();
    expect(JSON.parse(JSON.stringify(parseProjectFile(JSON.stringify(f))))).toEqual(f);
  });

  it.each(samplerNames())('keeps every registry sampler, and reads the three earlier ids as theirs: %s', (sampler) => {
    const f = own();
    setField(f, 'generation.sampler', sampler);
    expect(parseProjectFile(JSON.stringify(f)).generation.sampler).toBe(sampler);
  });

  it.each([['ddim', 'DDIM'], ['euler-a', 'Euler a'], ['ddpm', 'DDPM']])('reads an earlier file\'s sampler id %s as %s', (id, name) => {
    const f = own();
    setField(f, 'generation.sampler', id);
    expect(parseProjectFile(JSON.stringify(f)).generation.sampler).toBe(name);
  });

  const stroke = (n: number) => Array.from({ length: n }, (_, i) => ({ x: i % 500, y: 3 }));
  it.each([
    ['zero crop', 'reference.crop.size', 0, /"reference.crop.size"/],
    ['negative crop', 'reference.crop.size', -5, /"reference.crop.size"/],
    ['crop outside the image', 'reference.crop.x', 70, /"reference.crop.x"/],
    ['url() colour', 'concepts.0.color', 'url(http://127.0.0.1:5392/x)', /"concepts\[0\].color" must be a colour/],
    ['CSS expression colour', 'concepts.0.color', 'red;background:url(x)', /"concepts\[0\].color"/],
    ['huge radius', 'masks.c1.ops.1.radius', 1e6, /"masks.c1.ops\[1\].radius" must be a number in \[.*, 256\]/],
    ['20,000-point stroke', 'masks.c1.ops.1.points', stroke(20_000), /"masks.c1.ops\[1\].points" must list 0–10000 items/],
    ['too many points in all', 'masks.c1.ops', Array.from({ length: 6 }, () => ({ kind: 'polygon', mode: 'add', points: stroke(9000) })), /past 50000 mask points/],
    ['NaN coordinate', 'masks.c1.ops.0.at.x', 'NaN', /"masks.c1.ops\[0\].at.x"/],
    ['far coordinate', 'masks.c1.ops.0.at.x', 1e9, /"masks.c1.ops\[0\].at.x"/],
    ['size 4096', 'generation.size', 4096, /"generation.size"/],
    ['size 500 (not offered)', 'generation.size', 500, /"generation.size" must be one of 64, 128/],
    ['200 steps', 'generation.steps', 200, /"generation.steps"/],
    ['unknown sampler', 'generation.sampler', 'plms', /"generation.sampler"/],
    ['lr 1e6', 'training.settings.learningRate', 1e6, /"training.settings.learningRate"/],
    ['batch 0', 'training.settings.batchSize', 0, /"training.settings.batchSize"/],
    ['javascript: image', 'reference.dataUrl', 'javascript:alert(1)', /"reference.dataUrl"/],
    ['svg image', 'reference.dataUrl', 'data:image/svg+xml;base64,PHN2Zz4=', /"reference.dataUrl"/],
    ['duplicate concept ids', 'concepts.1', { id: 'c1', token: '<x>', classWord: 'x', color: '#ffffff' }, /"concepts\[1\].id" must be a unique/],
  ] as const)('refuses %s naming the field', (_name, dotted, value, field) => {
    const f = own();
    setField(f, dotted, value);
    refused(f, field);
  });

  it('refuses JSON nested thousands deep by its depth, without overflowing the stack', () => {
    const deep = `{"format":"disenstudio-project","version":1,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(() => parseProjectFile(deep)).toThrow(/nests 100001 levels deep/);
  });

  it('keeps only known fields and re-writes colours', () => {
    const f = own();
    setField(f, 'concepts.0.color', '#ABC');
    setField(f, 'concepts.0.style', 'background:url(x)');
    setField(f, 'generation.extra', { evil: true });
    f.sneaky = 1;
    const p = parseProjectFile(JSON.stringify(f));
    expect(p.concepts[0]).toEqual({ id: 'c1', token: '<cat1>', classWord: 'cat', color: '#aabbcc' });
    expect(at(p, 'generation.extra')).toBeUndefined();
    expect(at(p, 'sneaky')).toBeUndefined();
  });

  it('a refused import keeps the current project', () => {
    const store = createStudioStore();
    const before = store.getState().project;
    const f = own();
    setField(f, 'reference.crop.size', 0);
    expect(store.getState().importProject(JSON.stringify(f))).toBe(false);
    expect(store.getState().persistence.importError).toMatch(/"reference.crop.size"/);
    expect(store.getState().project).toBe(before);
  });

  it('parseColor accepts only hex colours', () => {
    expect(['#fff', '#A1b2C3', ' #123456 '].map(parseColor)).toEqual(['#ffffff', '#a1b2c3', '#123456']);
    expect(['red', 'url(x)', '#12345', '#1234567', 'var(--x)', 3, null].map(parseColor)).toEqual(Array(7).fill(undefined));
  });
});
