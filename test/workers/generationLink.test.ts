// The page's link to the generation worker (workers/generationLink.ts) over a scripted stand-in Worker: answers and
// errors settle the request they belong to (generationKeys.ts), also when several requests of different kinds wait
// at once; a failed LoRA read must not reject a pack apply that is still pending.
import { afterEach, describe, expect, it } from 'vitest';
import type { FromGenerationWorker, ToGenerationWorker } from '../../src/workers/protocol';
import { openGenerationLink } from '../../src/workers/generationLink';
import { answerKey, settledKey } from '../../src/workers/generationKeys';

type Reply = (m: FromGenerationWorker) => void;
let script: (m: ToGenerationWorker, reply: Reply) => void = () => undefined;

class ScriptedWorker {
  onmessage: ((e: MessageEvent<FromGenerationWorker>) => void) | null = null;
  postMessage(m: ToGenerationWorker): void {
    script(m, (answer) => setTimeout(() => this.onmessage?.({ data: answer } as MessageEvent<FromGenerationWorker>), 0));
  }
  terminate(): void {}
}

const original = globalThis.Worker;
afterEach(() => {
  globalThis.Worker = original;
});

const LOAD: Extract<ToGenerationWorker, { type: 'load' }> = { type: 'load', baseUrl: '/models/x', files: [] };

describe('the generation link', () => {
  it('files every answer and error under the key of its request', () => {
    expect(answerKey(LOAD)).toBe('loaded');
    expect(answerKey({ type: 'packs', packs: [] })).toBe('packsApplied');
    expect(answerKey({ type: 'network', id: 'ink', fileName: 'ink.safetensors' })).toBe('network');
    expect(answerKey({ type: 'generate', id: 7, request: {} as never, conceptTokens: [] })).toBe('gen7');
    expect(settledKey({ type: 'error', key: 'network', message: 'x' })).toBe('network');
    expect(settledKey({ type: 'result', id: 7, pngs: [], seeds: [], width: 1, height: 1, attention: [] })).toBe('gen7');
    expect(settledKey({ type: 'progress', id: 7, stepIndex: 0, numSteps: 1 })).toBeUndefined();
  });

  it('rejects only the failed request while another kind waits: a bad LoRA file, then the packs applied', async () => {
    const held: { m: ToGenerationWorker; reply: Reply }[] = [];
    script = (m, reply) => {
      if (m.type === 'load') return reply({ type: 'loaded', modelName: 'tiny', backend: { ep: 'wasm' } as never, nativeSize: 64 });
      held.push({ m, reply });
    };
    globalThis.Worker = ScriptedWorker as unknown as typeof Worker;
    const link = await openGenerationLink(LOAD);
    const packs = link.call('packsApplied', { type: 'packs', packs: [] });
    const network = link.call('network', { type: 'network', id: 'bad', fileName: 'bad.safetensors', bytes: new Uint8Array(4) });
    await new Promise((r) => setTimeout(r, 0));
    expect(held.map((h) => h.m.type)).toEqual(['packs', 'network']);
    // the worker answers the LoRA read first, with an error
    const [first, second] = held as [(typeof held)[0], (typeof held)[0]];
    second.reply({ type: 'error', key: answerKey(second.m as Exclude<ToGenerationWorker, { type: 'cancel' }>), message: 'bad.safetensors: not a LoRA for SD 1.x' });
    await expect(network).rejects.toThrow('bad.safetensors: not a LoRA');
    first.reply({ type: 'packsApplied', tokens: ['<c1>'] });
    await expect(packs).resolves.toEqual({ type: 'packsApplied', tokens: ['<c1>'] });
    link.dispose();
  });

  it('a failed generation rejects that generation, not a pending pack apply', async () => {
    const held: { m: ToGenerationWorker; reply: Reply }[] = [];
    script = (m, reply) => (m.type === 'load' ? reply({ type: 'loaded', modelName: 'tiny', backend: { ep: 'wasm' } as never, nativeSize: 64 }) : void held.push({ m, reply }));
    globalThis.Worker = ScriptedWorker as unknown as typeof Worker;
    const link = await openGenerationLink(LOAD);
    const packs = link.call('packsApplied', { type: 'packs', packs: [] });
    const gen = link.call('gen3', { type: 'generate', id: 3, request: {} as never, conceptTokens: [] });
    await new Promise((r) => setTimeout(r, 0));
    held[1]?.reply({ type: 'error', id: 3, key: 'gen3', message: 'out of memory' });
    await expect(gen).rejects.toThrow('out of memory');
    held[0]?.reply({ type: 'packsApplied', tokens: [] });
    await expect(packs).resolves.toMatchObject({ type: 'packsApplied' });
    link.dispose();
  });
});
