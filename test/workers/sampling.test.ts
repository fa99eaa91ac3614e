// Samples during training, worker side and page side: snapshotProbe runs the attention probe and the pack snapshot
// on their own step grids through personalize()'s one probe hook; createSampler samples one snapshot at a time.
import { describe, expect, it } from 'vitest';
import type { Stepper } from '../../src/train/loop/types';
import { attentionEvery, createSampler, snapshotMaps } from '../../src/workers/trainingFeedback';
import { snapshotProbe } from '../../src/workers/trainingLoopHooks';

const stepper = {} as Stepper;

describe('snapshotProbe', () => {
  it('probes every gcd(attentionEvery, snapshotEvery) steps and does each job on its own grid', async () => {
    const snaps: number[] = [];
    const p = snapshotProbe({ attentionEvery: 4, snapshotEvery: 6 }, async (_s, step) => `maps@${step}`, async (_s, step) => void snaps.push(step));
    expect(p.every).toBe(2);
    const out = [];
    for (const step of [2, 4, 6, 8, 12]) out.push(await p.probe(stepper, step));
    expect(out).toEqual([undefined, 'maps@4', undefined, 'maps@8', 'maps@12']);
    expect(snaps).toEqual([6, 12]);
  });

  it('is off without either job, and snapshots alone without an attention probe', async () => {
    expect(snapshotProbe({}, undefined, async () => undefined).every).toBe(0);
    const snaps: number[] = [];
    const p = snapshotProbe({ attentionEvery: 3, snapshotEvery: 5 }, undefined, async (_s, step) => void snaps.push(step));
    expect(p.every).toBe(5);
    expect(await p.probe(stepper, 5)).toBeUndefined();
    expect(snaps).toEqual([5]);
  });
});

describe('createSampler', () => {
  it('samples one snapshot at a time, skipping those that arrive meanwhile', async () => {
    const started: string[] = [];
    let finish: (url: string) => void = () => undefined;
    const sampler = createSampler((files) => {
      started.push(Object.keys(files)[0]!);
      return new Promise((resolve) => (finish = resolve));
    });
    const emitted: { step: number; dataUrl: string }[] = [];
    expect(sampler.wasUsed).toBe(false);
    sampler.offer(2, { a: new Uint8Array() }, (s) => emitted.push(s));
    sampler.offer(4, { b: new Uint8Array() }, (s) => emitted.push(s));
    finish('data:image/png;base64,AA');
    await sampler.idle();
    sampler.offer(6, { c: new Uint8Array() }, (s) => emitted.push(s));
    finish('data:image/png;base64,BB');
    await sampler.idle();
    expect(started).toEqual(['a', 'c']);
    expect(emitted).toEqual([{ step: 2, dataUrl: 'data:image/png;base64,AA' }, { step: 6, dataUrl: 'data:image/png;base64,BB' }]);
    expect(sampler.wasUsed).toBe(true);
  });
});

describe('snapshotMaps', () => {
  it('splits the AttentionSnapshot rows into one [h, w] map per label, and ignores anything else', () => {
    const maps = Float32Array.from({ length: 12 }, (_, i) => i);
    const r = snapshotMaps({ step: 3, size: [2, 3], labels: ['<c1>', 'circle'], maps });
    expect(r?.step).toBe(3);
    expect(r?.maps.map((m) => [m.token, m.width, m.height, [...m.map]])).toEqual([['<c1>', 3, 2, [0, 1, 2, 3, 4, 5]], ['circle', 3, 2, [6, 7, 8, 9, 10, 11]]]);
    expect(snapshotMaps(undefined)).toBeUndefined();
    expect(snapshotMaps({ size: [2, 2], labels: [], maps: [1, 2] })).toBeUndefined();
    expect([attentionEvery(4), attentionEvery(250)]).toEqual([1, 25]);
  });
});

describe('studioTokenizer', () => {
  it('reads tokenizer/ of a folder, and vocab.json at the top beside a single-file checkpoint', async () => {
    const { studioTokenizer } = await import('../../src/workers/modelChoice');
    const enc = new TextEncoder();
    const vocab = enc.encode(JSON.stringify(['<|startoftext|>', '<|endoftext|>', '<unk>', 'a', 'circle']));
    const config = enc.encode(JSON.stringify({ tokenizer_class: 'WordTokenizer', model_max_length: 8 }));
    const choice = (bytes: Record<string, Uint8Array>) => ({ baseUrl: 'local:m', files: Object.keys(bytes), isDemo: false, label: 'm', bytes });
    const nested = await studioTokenizer(choice({ 'tokenizer/vocab.json': vocab, 'tokenizer/tokenizer_config.json': config }));
    const top = await studioTokenizer(choice({ 'model.safetensors': new Uint8Array(), 'vocab.json': vocab, 'tokenizer_config.json': config }));
    expect([nested.tokenToId('circle'), top.tokenToId('circle'), top.maxLength]).toEqual([4, 4, 8]);
  });
});
