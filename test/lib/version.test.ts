// The studio's version has one source in code (src/lib/version.ts), which must say what package.json says; every
// ONNX model the project builds and every PNG's infotext record it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STUDIO_VERSION } from '../../src/lib/version';
import { GraphBuilder, modelOf } from '../../src/onnx/index';

describe('STUDIO_VERSION', () => {
  it('is package.json\'s version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(STUDIO_VERSION).toBe(pkg.version);
  });

  it('is the producer version of the one model wrapper, which GraphBuilder.toModel uses', () => {
    const b = new GraphBuilder('g');
    const m = b.toModel({ producerName: 'p', opset: 18, metadata: { k: 'v' } });
    expect(m).toEqual(modelOf(b.graph, { producerName: 'p', opset: 18, metadata: { k: 'v' } }));
    expect(m).toMatchObject({ irVersion: 8, producerName: 'p', producerVersion: STUDIO_VERSION, opsetImports: [{ domain: '', version: 18 }], metadata: { k: 'v' } });
    expect(modelOf(b.graph).producerName).toBe('disenstudio');
  });
});
