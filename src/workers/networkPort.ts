// The studio engine's LoRA / embedding port (state/ports.ts NetworksPort) over the generation worker: files read there
// one at a time (answers keyed 'network'), the files the worker holds remembered for replay after a restart, and
// kept in IndexedDB per model folder (networkStore.ts), read again when the engine starts. Main thread only.
// Reference: generation.worker.ts (the 'network' message), networkSet.ts.
import type { NetworkItem, NetworksPort } from '../state/index';
import { fileStem } from '../diffusion/index';
import type { FromGenerationWorker, ToGenerationWorker } from './protocol';
import type { GenerationLink } from './generationLink';
import { deleteNetworkFile, restoreNetworks, saveNetworkFile, saveNetworkList } from './networkStore';

export type NetworkMessage = Extract<ToGenerationWorker, { type: 'network' }>;
type Restored = Awaited<ReturnType<NetworksPort['restore']>>;

/**
 * The LoRA / embedding list's port: files read in the generation worker (one at a time), kept in IndexedDB per model
 * folder (networkStore.ts), and read again from there when the engine starts (`restored`).
 */
export function networksPort(link: GenerationLink, held: Map<string, NetworkMessage>, baseUrl: string, restored: Restored): NetworksPort {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const p = queue.then(job);
    queue = p.catch(() => undefined);
    return p;
  };
  return {
    restore: async () => restored,
    add: (fileName, bytes) => serial(async () => {
      const m: NetworkMessage = { type: 'network', id: fileStem(fileName), fileName, bytes };
      const r = (await link.call('network', m)) as Extract<FromGenerationWorker, { type: 'network' }>;
      if (!r.info) throw new Error(`${fileName}: the generation worker gave no answer for it`);
      held.set(r.info.id, m);
      // usable now even when browser storage refuses it (quota); the next load then names it as not kept
      await saveNetworkFile(baseUrl, r.info.id, bytes).catch(() => undefined);
      return r.info;
    }),
    remove: (id) => serial(async () => {
      await link.call('network', { type: 'network', id, fileName: '' });
      held.delete(id);
      await deleteNetworkFile(baseUrl, id);
    }),
    saveSettings: (items) => saveNetworkList(baseUrl, items.map((i) => ({ ...i, fileName: held.get(i.id)?.fileName ?? i.name }))),
  };
}

/** Reads the files kept for this model into the generation worker: the list with its settings, and why any was refused. */
export async function restoreNetworkFiles(link: GenerationLink, held: Map<string, NetworkMessage>, baseUrl: string): Promise<Restored> {
  const items: NetworkItem[] = [];
  const { found, missing } = await restoreNetworks(baseUrl).catch((e: unknown) => ({ found: [], missing: [`(the kept list could not be read: ${e instanceof Error ? e.message : String(e)})`] }));
  const refused = missing.map((f) => `${f}: its bytes are no longer in this browser's storage; add it again.`);
  for (const { kept, bytes } of found) {
    const m: NetworkMessage = { type: 'network', id: kept.id, fileName: kept.fileName, bytes };
    try {
      const r = (await link.call('network', m)) as Extract<FromGenerationWorker, { type: 'network' }>;
      if (!r.info) continue;
      held.set(r.info.id, m);
      items.push({ ...r.info, strength: kept.strength, isEnabled: kept.isEnabled });
    } catch (e) {
      refused.push(e instanceof Error ? e.message : String(e));
    }
  }
  return { items, refused };
}

