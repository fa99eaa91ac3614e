// LoRA and embedding list of the generation panel: add files (each read by the engine against the loaded model,
// NetworksPort.add), strength per LoRA (NETWORK_LIMITS), on/off, remove, and the list restored for the model at load.
// A refused file is a message naming it; the rest of the list is untouched. Settings are kept through the port.
// Reference: ports.ts NetworksPort, docs/lora.md.
import { describeError } from '../../lib/errors';
import { fileStem } from '../../diffusion/index';
import { NETWORK_LIMITS } from '../limits';
import type { NetworkChoice, NetworkInfo, NetworkItem } from '../ports';
import type { SliceContext } from './sliceTypes';

export type NetworksActions = {
  /** reads each file in turn; refused ones are listed in `networks.notice`, the others join (or replace, by stem) the list */
  addNetworkFiles(files: readonly { readonly name: string; readonly bytes: Uint8Array }[]): Promise<void>;
  removeNetwork(id: string): Promise<void>;
  /** clamped to NETWORK_LIMITS.strength; a non-finite value is ignored */
  setNetworkStrength(id: string, strength: number): void;
  setNetworkEnabled(id: string, isEnabled: boolean): void;
  /** the list the engine kept for the loaded model (called when a model is ready) */
  restoreNetworks(): Promise<void>;
};

export const NETWORKS_UNAVAILABLE = 'LoRA and embedding files need the engine; it is not loaded (yet).';

/** The request's view of the list (GenerateRequest.networks). */
export function networkChoices(items: readonly NetworkItem[]): NetworkChoice[] {
  return items.map(({ id, name, kind, strength, isEnabled }) => ({ id, name, kind, strength, isEnabled }));
}

/** "ink (LoRA, 3 modules)", "glow (embedding, 2 vectors)": what an added file is. */
export function describeNetwork(n: NetworkInfo): string {
  return n.kind === 'lora' ? `${n.name} (LoRA, ${n.modules ?? 0} module${n.modules === 1 ? '' : 's'})` : `${n.name} (embedding "${n.trigger ?? n.name}", ${n.vectors ?? 1} vector${n.vectors === 1 ? '' : 's'})`;
}

export function createNetworksSlice({ set, get, deps }: SliceContext): NetworksActions {
  const setNets = (patch: Partial<ReturnType<typeof get>['networks']>): void => set((s) => ({ networks: { ...s.networks, ...patch } }));
  const save = (): void => {
    void deps.engine?.networks?.saveSettings(networkChoices(get().networks.items)).catch((e: unknown) => setNets({ notice: { kind: 'error', text: `The LoRA list could not be kept in browser storage: ${describeError(e)}` } }));
  };
  const update = (id: string, patch: Partial<NetworkItem>): void => {
    if (!get().networks.items.some((i) => i.id === id)) return;
    setNets({ items: get().networks.items.map((i) => (i.id === id ? { ...i, ...patch } : i)) });
    save();
  };
  return {
    async addNetworkFiles(files) {
      const port = deps.engine?.networks;
      if (!port) return setNets({ notice: { kind: 'error', text: NETWORKS_UNAVAILABLE } });
      setNets({ isAdding: true });
      const added: string[] = [];
      const refused: string[] = [];
      for (const f of files) {
        const items = get().networks.items;
        const isNew = !items.some((i) => i.fileName === f.name || i.id === fileStem(f.name));
        if (isNew && items.length >= NETWORK_LIMITS.files.max) {
          refused.push(`${f.name}: the list holds at most ${NETWORK_LIMITS.files.max} files; remove one first.`);
          continue;
        }
        try {
          const info = await port.add(f.name, f.bytes);
          const old = get().networks.items.find((i) => i.id === info.id);
          const item: NetworkItem = { ...info, strength: old?.strength ?? 1, isEnabled: old?.isEnabled ?? true };
          setNets({ items: old ? get().networks.items.map((i) => (i.id === info.id ? item : i)) : [...get().networks.items, item] });
          added.push(describeNetwork(info) + (info.unknownKeys ? `: ${info.unknownKeys} key${info.unknownKeys === 1 ? '' : 's'} match no weight of this model` : ''));
        } catch (e) {
          refused.push(`Not added: ${describeError(e)}`);
        }
      }
      // a refusal is the message (the rows show what was added); else what was added
      const notice = refused.length ? { kind: 'error' as const, text: refused.join(' ') } : added.length ? { kind: 'info' as const, text: `Added ${added.join('; ')}.` } : null;
      setNets({ isAdding: false, notice });
      if (added.length) save();
    },
    async removeNetwork(id) {
      const port = deps.engine?.networks;
      const item = get().networks.items.find((i) => i.id === id);
      if (!port || !item) return;
      try {
        await port.remove(id);
        setNets({ items: get().networks.items.filter((i) => i.id !== id), notice: { kind: 'info', text: `Removed ${item.name}.` } });
        save();
      } catch (e) {
        setNets({ notice: { kind: 'error', text: `${item.name} could not be removed: ${describeError(e)}` } });
      }
    },
    setNetworkStrength(id, strength) {
      if (!Number.isFinite(strength)) return;
      const { min, max } = NETWORK_LIMITS.strength;
      update(id, { strength: Math.min(max, Math.max(min, strength)) });
    },
    setNetworkEnabled(id, isEnabled) {
      update(id, { isEnabled });
    },
    async restoreNetworks() {
      const port = deps.engine?.networks;
      if (!port) return;
      try {
        const { items, refused } = await port.restore();
        setNets({ items, notice: refused.length ? { kind: 'error', text: `Kept files not loaded: ${refused.join(' ')}` } : null });
      } catch (e) {
        setNets({ notice: { kind: 'error', text: `The kept LoRA list could not be read: ${describeError(e)}` } });
      }
    },
  };
}
