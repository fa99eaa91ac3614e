// The project archive (state/projectBundle.ts + the persistence slice, with app/zip.ts as the archive port): a project
// exported with the packs in use imports in a fresh store with its concepts learned; a bad pack, a foreign archive or
// a stray file refuses the whole import and keeps the current project; JSON files still import. workers/packImport.ts
// checks real packs (train/pack encodePack) and names the bad one.
import { describe, expect, it } from 'vitest';
import { readStoredZip, zipStored } from '../../src/app/zip';
import { imagePoint } from '../../src/editor/index';
import { Rng } from '../../src/lib/random';
import { createStudioStore } from '../../src/state/index';
import type { EnginePort, PackFiles } from '../../src/state/index';
import { splitBundle } from '../../src/state/projectBundle';
import { encodePack } from '../../src/train/pack/io';
import type { ConceptPack } from '../../src/train/pack/types';
import { checkPacks } from '../../src/workers/packImport';

const archive = { write: zipStored, read: readStoredZip };

function realPack(token: string, seed: number): PackFiles {
  const rng = new Rng(seed);
  const pack: ConceptPack = {
    metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: { name: 'tiny', hash: 'ab'.repeat(32) }, createdAt: '2026-12-07T00:00:00Z', settings: { steps: 3, seed } },
    concepts: [{ token, classWord: 'circle', embedding: rng.normalArray(8) }],
    deltas: [{ name: 'mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight', shape: [4, 3], delta: rng.normalArray(12, 0.01) }],
  };
  return Object.fromEntries(encodePack(pack));
}

/** An engine that keeps packs: `inUse` is exported; importPacks checks them as the studio engine does. */
function packEngine(inUse: PackFiles[] = []) {
  const received: PackFiles[][] = [];
  const port: EnginePort = {
    modelName: 'packs', samplers: ['DDIM'],
    generate: () => Promise.reject(new Error('not used')), train: () => Promise.reject(new Error('not used')),
    packsInUse: async () => inUse,
    importPacks: async (packs, label) => {
      const tokens = await checkPacks(packs, label);
      received.push([...packs]);
      return tokens.flat();
    },
  };
  return { port, received };
}

function withWork(engine: EnginePort) {
  const store = createStudioStore({ engine, archive });
  const s = store.getState();
  s.setReference({ name: 'ref.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
  s.updateConcept('c1', { token: '<circle1>', classWord: 'circle' });
  s.commitOp({ kind: 'fill', at: imagePoint(1, 1) });
  return store;
}

describe('the project archive', () => {
  it('carries the packs in use: a fresh store imports the project with its concepts learned', async () => {
    const packs = [realPack('<circle1>', 1), realPack('<square2>', 2)];
    const bytes = (await withWork(packEngine(packs).port).getState().exportProjectArchive())!;
    const files = readStoredZip(bytes, 'p.zip');
    expect([...files.keys()]).toEqual(['project.json', 'packs/1/pack.json', 'packs/1/weights.safetensors', 'packs/2/pack.json', 'packs/2/weights.safetensors', 'README.txt']);
    expect(new TextDecoder().decode(files.get('README.txt'))).toContain('Import project…');

    const fresh = packEngine();
    const other = createStudioStore({ engine: fresh.port, archive });
    expect(await other.getState().importProjectFile('p.zip', bytes)).toBe(true);
    const s = other.getState();
    expect(s.project.reference?.name).toBe('ref.png');
    expect(s.project.concepts[0]!.token).toBe('<circle1>');
    expect(s.training.learnedTokens).toEqual(['<circle1>', '<square2>']);
    expect(s.persistence.persistenceMessage).toBe('Project imported with its trained concepts: <circle1>, <square2>.');
    expect(fresh.received).toEqual([packs]);
  });

  it('refuses the whole file when a pack is bad, naming it, and keeps the current project', async () => {
    const bad = { ...realPack('<square2>', 2) };
    bad['weights.safetensors'] = bad['weights.safetensors']!.slice(0, 40);
    const bytes = zipStored(splitToFiles(await exportedJson(), [realPack('<circle1>', 1), bad]));
    const target = packEngine();
    const store = createStudioStore({ engine: target.port, archive });
    store.getState().setReference({ name: 'mine.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
    expect(await store.getState().importProjectFile('p.zip', bytes)).toBe(false);
    expect(store.getState().project.reference?.name).toBe('mine.png');
    expect(store.getState().persistence.importError).toMatch(/^Not imported: .*p\.zip\/packs\/2/);
    expect(target.received).toEqual([]);
  });

  it('refuses an archive without project.json, a stray file, and a bad project.json', async () => {
    const store = createStudioStore({ engine: packEngine().port, archive });
    const json = await exportedJson();
    const cases: [Map<string, Uint8Array>, RegExp][] = [
      [new Map([['notes.txt', new Uint8Array(1)]]), /x\.zip: no project\.json inside/],
      [new Map([['project.json', new TextEncoder().encode(json)], ['packs/1/../../x', new Uint8Array(1)]]), /x\.zip/],
      [new Map([['project.json', new TextEncoder().encode(json)], ['extra/a.bin', new Uint8Array(1)]]), /"extra\/a\.bin" is not project\.json, README\.txt or a file of packs\/<n>\//],
      [new Map([['project.json', new TextEncoder().encode('{"format":"other"}')]]), /format/],
    ];
    for (const [files, message] of cases) {
      expect(await store.getState().importProjectFile('x.zip', zipStored(files))).toBe(false);
      expect(store.getState().persistence.importError).toMatch(message);
    }
    expect(() => splitBundle(new Map([['project.json', new Uint8Array()], ['packs/0/pack.json', new Uint8Array()]]), 'y.zip')).toThrow('y.zip: "packs/0/pack.json"');
  });

  it('still imports a JSON project file, and refuses any import while a run trains', async () => {
    const store = createStudioStore({ engine: packEngine().port, archive });
    expect(await store.getState().importProjectFile('p.json', new TextEncoder().encode(await exportedJson()))).toBe(true);
    expect(store.getState().project.reference?.name).toBe('ref.png');
    store.setState((s) => ({ training: { ...s.training, status: { kind: 'running' } } }));
    expect(await store.getState().importProjectFile('p.zip', zipStored(new Map([['project.json', new TextEncoder().encode(await exportedJson())]])))).toBe(false);
    expect(store.getState().persistence.importError).toContain('Locked while training');
  });

  it('says why when no archive port is connected', async () => {
    const store = createStudioStore({ engine: packEngine().port });
    expect(await store.getState().exportProjectArchive()).toBeNull();
    expect(store.getState().persistence.persistenceMessage).toContain('"Export project" writes the project alone');
  });
});

async function exportedJson(): Promise<string> {
  return withWork(packEngine().port).getState().exportProject();
}

function splitToFiles(projectJson: string, packs: PackFiles[]): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>([['project.json', new TextEncoder().encode(projectJson)]]);
  packs.forEach((p, i) => Object.entries(p).forEach(([n, b]) => files.set(`packs/${i + 1}/${n}`, b)));
  return files;
}
