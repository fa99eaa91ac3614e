// The generation panel's LoRA / embedding list against a real store and a recording NetworksPort: a picked file
// becomes a row (kind, size, modules, trigger), a refused one an alert naming it; the strength slider, the switch and
// Remove call the store; a drop adds files (a PNG drop goes on to the panel); the prompt's chips and autocomplete know the LoRA and the embedding trigger.
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { EnginePort, NetworkInfo } from '../../src/state/index';
import { GenerationPanel } from '../../src/ui/panels/GenerationPanel';
import { renderWithStore } from './render';

function engine(): EnginePort {
  return {
    modelName: 'recording port',
    samplers: ['DDIM'],
    generate: () => new Promise(() => undefined),
    train: () => new Promise(() => undefined),
    networks: {
      restore: async () => ({ items: [], refused: [] }),
      add: async (fileName, bytes): Promise<NetworkInfo> => {
        if (fileName.startsWith('xl')) throw new Error(`${fileName}: "clip_l"/"clip_g" tensors are an SDXL embedding; this studio loads SD 1.x models only`);
        const name = fileName.replace(/\.safetensors$/, '');
        return fileName.startsWith('glow')
          ? { id: name, name, fileName, kind: 'embedding', size: bytes.length, hash: '0'.repeat(12), trigger: 'glow', vectors: 2 }
          : { id: name, name, fileName, kind: 'lora', size: bytes.length, hash: '1'.repeat(12), modules: 4, unknownKeys: 1, firstUnknownKey: 'lora_unet_x.alpha' };
      },
      remove: async () => undefined,
      saveSettings: async () => undefined,
    },
  };
}

const file = (name: string, size: number) => new File([new Uint8Array(size)], name);

describe('NetworksPanel', () => {
  it('lists picked files, refuses a bad one by name, and wires strength, switch and remove to the store', async () => {
    const { store } = renderWithStore(<GenerationPanel />, { engine: engine() });
    fireEvent.change(screen.getByTestId('network-input'), { target: { files: [file('ink.safetensors', 2048), file('xl.safetensors', 8), file('glow.safetensors', 512)] } });
    await waitFor(() => expect(store.getState().networks.items).toHaveLength(2));
    expect(screen.getByRole('alert').textContent).toContain('xl.safetensors: "clip_l"/"clip_g" tensors are an SDXL embedding');
    expect(screen.getByRole('listitem', { name: 'LoRA ink' }).textContent).toContain('LoRA · 2.00 KiB · 4 modules matched · 1 unknown key (first: lora_unet_x.alpha)');
    expect(screen.getByRole('listitem', { name: 'Embedding glow' }).textContent).toContain('embedding · 512 B · trigger "glow" · 2 vectors');

    fireEvent.change(screen.getByLabelText('Strength of ink'), { target: { value: '-0.35' } });
    expect(store.getState().networks.items[0]?.strength).toBe(-0.35);
    fireEvent.click(screen.getAllByRole('checkbox', { name: 'ink' })[0]!);
    expect(store.getState().networks.items[0]?.isEnabled).toBe(false);
    expect((screen.getByLabelText('Strength of ink') as HTMLInputElement).disabled).toBe(true);

    const prompt = screen.getByLabelText('Prompt', { selector: 'textarea' }) as HTMLTextAreaElement;
    fireEvent.change(prompt, { target: { value: 'a glow cat <l', selectionStart: 13 } });
    fireEvent.mouseDown(screen.getByRole('option', { name: '<lora:ink:1>' }));
    expect(prompt.value).toBe('a glow cat <lora:ink:1> ');
    expect(screen.getByText('<lora:ink:1> · LoRA')).toBeTruthy();
    expect(screen.getByText('glow · embedding')).toBeTruthy();
    fireEvent.change(prompt, { target: { value: 'a gl', selectionStart: 4 } });
    expect(screen.getByRole('option', { name: 'glow' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Remove ink' }));
    await waitFor(() => expect(store.getState().networks.items.map((i) => i.id)).toEqual(['glow']));
    await act(async () => undefined);
    expect(screen.queryByRole('listitem', { name: 'LoRA ink' })).toBeNull();
  });

  it('a dropped .safetensors file joins the list; a dropped PNG is left to the panel (its settings)', async () => {
    const seen: string[] = [];
    const { store } = renderWithStore(<GenerationPanel />, { engine: engine(), pngSettings: { read: () => (seen.push('png'), undefined) } });
    const list = screen.getByRole('group', { name: 'LoRAs and embeddings' });
    fireEvent.drop(list, { dataTransfer: { files: [file('ink.safetensors', 64)] } });
    await waitFor(() => expect(store.getState().networks.items.map((i) => i.id)).toEqual(['ink']));
    fireEvent.drop(list, { dataTransfer: { files: [file('shot.png', 8)] } });
    await waitFor(() => expect(seen).toEqual(['png']));
    expect(store.getState().networks.items.map((i) => i.id)).toEqual(['ink']);
  });
});
