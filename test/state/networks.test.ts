// The LoRA / embedding list's store actions against a recording NetworksPort: files added in order (kind, modules,
// trigger), a refused file is a message naming it and the list keeps the others, a file of the same stem replaces
// its row with the row's settings, strength clamped to NETWORK_LIMITS, on/off, remove, settings saved, restore, and
// the generate and edit requests carrying the list; prompt chips and suggestions know LoRA tags and triggers.
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import { createStudioStore, NETWORK_LIMITS, NETWORKS_UNAVAILABLE, promptChips, tokenSuggestions, wordTriggers } from '../../src/state/index';
import type { EnginePort, GenerateRequest, NetworkChoice, NetworkInfo, NetworkItem } from '../../src/state/index';

function fakeEngine(kept: NetworkItem[] = []) {
  const requests: GenerateRequest[] = [];
  const saved: NetworkChoice[][] = [];
  const removed: string[] = [];
  const info = (fileName: string, bytes: Uint8Array): NetworkInfo => {
    const name = fileName.replace(/\.[^.]*$/, '');
    if (bytes[0] === 0) throw new Error(`${fileName}: key "lora_te2_x" is an SDXL LoRA key (second text encoder / SDXL UNet); this studio loads SD 1.x models only`);
    if (bytes[0] === 2) return { id: name, name, fileName, kind: 'embedding', size: bytes.length, hash: 'e'.repeat(12), trigger: name, vectors: 2 };
    return { id: name, name, fileName, kind: 'lora', size: bytes.length, hash: 'a'.repeat(12), modules: bytes[1] ?? 0, unknownKeys: 0 };
  };
  const engine: EnginePort = {
    modelName: 'recording port',
    samplers: ['DDIM'],
    generate: (req) => (requests.push(req), Promise.resolve([{ dataUrl: 'data:image/png;base64,BB', seed: req.seed, width: req.width, height: req.height }])),
    train: () => Promise.reject(new Error('not used')),
    networks: {
      restore: async () => ({ items: kept, refused: kept.length ? ['gone.safetensors: no LoRA key matches this model'] : [] }),
      add: async (fileName, bytes) => info(fileName, bytes),
      remove: async (id) => void removed.push(id),
      saveSettings: async (items) => void saved.push([...items]),
    },
  };
  return { engine, requests, saved, removed };
}

const lora = (modules: number, size = 10) => Uint8Array.from({ length: size }, (_, i) => (i === 0 ? 1 : i === 1 ? modules : 7));
const embedding = () => Uint8Array.of(2, 0, 0);

describe('when adding LoRA and embedding files', () => {
  it('lists them in order; a bad file is a message naming it and loses nothing else', async () => {
    const { engine, saved } = fakeEngine();
    const store = createStudioStore({ engine });
    await store.getState().addNetworkFiles([{ name: 'ink.safetensors', bytes: lora(3) }, { name: 'xl.safetensors', bytes: Uint8Array.of(0) }, { name: 'glow.safetensors', bytes: embedding() }]);
    const n = store.getState().networks;
    expect(n.items.map((i) => [i.name, i.kind, i.strength, i.isEnabled])).toEqual([['ink', 'lora', 1, true], ['glow', 'embedding', 1, true]]);
    expect(n.notice).toEqual({ kind: 'error', text: 'Not added: xl.safetensors: key "lora_te2_x" is an SDXL LoRA key (second text encoder / SDXL UNet); this studio loads SD 1.x models only' });
    expect(saved.at(-1)?.map((c) => c.id)).toEqual(['ink', 'glow']);
    await store.getState().addNetworkFiles([{ name: 'ink2.safetensors', bytes: lora(1) }]);
    expect(store.getState().networks.notice).toEqual({ kind: 'info', text: 'Added ink2 (LoRA, 1 module).' });
    // another bad file later keeps both rows
    await store.getState().addNetworkFiles([{ name: 'xl2.safetensors', bytes: Uint8Array.of(0) }]);
    expect(store.getState().networks.items.map((i) => i.id)).toEqual(['ink', 'glow', 'ink2']);
    expect(store.getState().networks.notice).toEqual({ kind: 'error', text: expect.stringContaining('xl2.safetensors') });
  });

  it('a file of the same stem replaces its row and keeps its strength and switch', async () => {
    const { engine } = fakeEngine();
    const store = createStudioStore({ engine });
    const s = store.getState();
    await s.addNetworkFiles([{ name: 'ink.safetensors', bytes: lora(3) }]);
    s.setNetworkStrength('ink', 0.4);
    s.setNetworkEnabled('ink', false);
    await s.addNetworkFiles([{ name: 'ink.safetensors', bytes: lora(5, 20) }]);
    expect(store.getState().networks.items).toMatchObject([{ id: 'ink', modules: 5, size: 20, strength: 0.4, isEnabled: false }]);
  });

  it('strength is clamped to NETWORK_LIMITS, NaN ignored; remove drops the row and saves', async () => {
    const { engine, saved, removed } = fakeEngine();
    const store = createStudioStore({ engine });
    const s = store.getState();
    await s.addNetworkFiles([{ name: 'ink.safetensors', bytes: lora(3) }, { name: 'ink2.safetensors', bytes: lora(1) }]);
    s.setNetworkStrength('ink', 7);
    expect(store.getState().networks.items[0]?.strength).toBe(NETWORK_LIMITS.strength.max);
    s.setNetworkStrength('ink', -9);
    expect(store.getState().networks.items[0]?.strength).toBe(NETWORK_LIMITS.strength.min);
    s.setNetworkStrength('ink', Number.NaN);
    expect(store.getState().networks.items[0]?.strength).toBe(-2);
    s.setNetworkStrength('ink', 0.85);
    expect(saved.at(-1)?.[0]).toEqual({ id: 'ink', name: 'ink', kind: 'lora', strength: 0.85, isEnabled: true });
    await s.removeNetwork('ink');
    expect(removed).toEqual(['ink']);
    expect(store.getState().networks.items.map((i) => i.id)).toEqual(['ink2']);
    expect(saved.at(-1)?.map((c) => c.id)).toEqual(['ink2']);
  });

  it('refuses files beyond NETWORK_LIMITS.files with a message', async () => {
    const { engine } = fakeEngine();
    const store = createStudioStore({ engine });
    const max = NETWORK_LIMITS.files.max;
    await store.getState().addNetworkFiles(Array.from({ length: max + 1 }, (_, i) => ({ name: `f${i}.safetensors`, bytes: lora(1) })));
    expect(store.getState().networks.items).toHaveLength(max);
    expect(store.getState().networks.notice?.text).toContain(`f${max}.safetensors: the list holds at most ${max} files`);
  });

  it('without an engine says so and changes nothing', async () => {
    const store = createStudioStore();
    await store.getState().addNetworkFiles([{ name: 'ink.safetensors', bytes: lora(3) }]);
    expect(store.getState().networks).toEqual({ items: [], isAdding: false, notice: { kind: 'error', text: NETWORKS_UNAVAILABLE } });
  });

  it('restores the kept list with its settings and names the files not loaded', async () => {
    const kept: NetworkItem = { id: 'ink', name: 'ink', fileName: 'ink.safetensors', kind: 'lora', size: 10, hash: 'a'.repeat(12), modules: 3, strength: 0.3, isEnabled: false };
    const { engine } = fakeEngine([kept]);
    const store = createStudioStore({ engine });
    await store.getState().restoreNetworks();
    expect(store.getState().networks.items).toEqual([kept]);
    expect(store.getState().networks.notice?.text).toContain('gone.safetensors');
  });
});

describe('when generating with the list', () => {
  it('text-to-image and the edit view send every file with its strength and switch', async () => {
    const { engine, requests } = fakeEngine();
    const store = createStudioStore({ engine });
    const s = store.getState();
    await s.addNetworkFiles([{ name: 'ink.safetensors', bytes: lora(3) }, { name: 'glow.safetensors', bytes: embedding() }]);
    s.setNetworkStrength('ink', 0.6);
    s.setNetworkEnabled('glow', false);
    s.updateGeneration({ prompt: 'a glow cat <lora:ink:0.2>', size: 64, isSeedLocked: true });
    await s.generate();
    const want = [{ id: 'ink', name: 'ink', kind: 'lora', strength: 0.6, isEnabled: true }, { id: 'glow', name: 'glow', kind: 'embedding', strength: 1, isEnabled: false }];
    expect(requests[0]?.networks).toEqual(want);
    expect(requests[0]?.prompt).toBe('a glow cat <lora:ink:0.2>');
    s.setReference({ name: 'ref.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
    s.editReference();
    s.commitEditOp({ kind: 'polygon', mode: 'add', points: [imagePoint(0, 0), imagePoint(32, 0), imagePoint(32, 32), imagePoint(0, 32)] });
    await s.generateEdit();
    expect(requests[1]?.networks).toEqual(want);
  });

  it('without files the request has no networks field', async () => {
    const { engine, requests } = fakeEngine();
    const store = createStudioStore({ engine });
    store.getState().updateGeneration({ prompt: 'a cat' });
    await store.getState().generate();
    expect(requests[0]).not.toHaveProperty('networks');
  });

  it('chips and suggestions know the LoRAs and the enabled embeddings', () => {
    const item = (id: string, kind: 'lora' | 'embedding', trigger?: string, isEnabled = true): NetworkItem => ({ id, name: id, fileName: `${id}.safetensors`, kind, size: 1, hash: 'x', strength: 1, isEnabled, ...(trigger ? { trigger, vectors: 1 } : {}) });
    const nets = [item('ink', 'lora'), item('glow', 'embedding', 'glow'), item('toy', 'embedding', '<toy>'), item('off', 'embedding', 'off', false)];
    expect(promptChips('a glow <toy> off cat <lora:ink:0.5> <lora:nope>', [], [], nets)).toEqual([
      { token: '<toy>', state: 'embedding' }, { token: 'glow', state: 'embedding' }, { token: '<lora:ink:0.5>', state: 'lora' }, { token: '<lora:nope:1>', state: 'unknown-lora' },
    ]);
    expect(promptChips('glowing', [], [], nets)).toEqual([]);
    expect(tokenSuggestions([], ['<cat1>'], nets)).toEqual(['<cat1>', '<toy>', '<lora:ink:1>']);
    expect(wordTriggers(nets)).toEqual(['glow']);
  });
});
