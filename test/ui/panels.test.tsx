// Panels against a real store: backend display, honest engine-unavailable state, concept editing and
// checks, prompt autocomplete and chips, generation wired to an EnginePort, keyboard shortcuts.
import { act, fireEvent, screen } from '@testing-library/react';
import { samplerNames } from '../../src/diffusion/index';
import { WordTokenizer } from '../../src/diffusion/text/WordTokenizer';
import { tokenizerPort } from '../../src/workers/tokenizerPort';
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import type { EnginePort, GenerateRequest } from '../../src/state/index';
import { useKeyboardShortcuts } from '../../src/ui/hooks/useKeyboardShortcuts';
import { useStudioStore } from '../../src/ui/index';
import { ConceptsPanel } from '../../src/ui/panels/ConceptsPanel';
import { GenerationPanel } from '../../src/ui/panels/GenerationPanel';
import { ModelPanel } from '../../src/ui/panels/ModelPanel';
import { TrainingPanel } from '../../src/ui/panels/TrainingPanel';
import { renderWithStore } from './render';

describe('ModelPanel', () => {
  it('says the backend is being detected, then shows the wasm fallback and why', () => {
    const { store } = renderWithStore(<ModelPanel />);
    expect(screen.getByText('Detecting backend…')).toBeTruthy();
    act(() => store.getState().setBackend({ ep: 'wasm', reason: 'wasm fallback: no navigator.gpu', isFallback: true }));
    expect(screen.getByTestId('backend').textContent).toBe('wasm fallback wasm fallback: no navigator.gpu');
    act(() => store.getState().setBackend({ ep: 'webgpu', adapter: 'google swiftshader', reason: 'WebGPU adapter found', isFallback: false }));
    expect(screen.getByTestId('backend').textContent).toBe('WebGPU google swiftshader');
    expect(screen.getByTestId('model-name').textContent).toMatch(/^No model is open yet/);
  });
});

describe('without an engine', () => {
  it('training and generation show the banner and disable their run buttons', () => {
    renderWithStore(
      <>
        <TrainingPanel />
        <GenerationPanel />
      </>,
    );
    expect(screen.getAllByTestId('engine-unavailable').map((e) => e.textContent)).toEqual([
      expect.stringMatching(/^No model is open yet: training and generation start once one is/),
      expect.stringMatching(/^No model is open yet: training and generation start once one is/),
    ]);
    expect((screen.getByRole('button', { name: 'Train' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Generate' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Load a reference image.')).toBeTruthy();
  });
});

describe('ConceptsPanel', () => {
  it('edits tokens with live checks and the prompt preview, within 1–4 concepts', () => {
    const { store } = renderWithStore(<ConceptsPanel />);
    expect((screen.getByRole('button', { name: 'Remove concept 1' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Token'), { target: { value: 'cat 1' } });
    expect(screen.getByText(/Token "cat 1" must look like <cat1>/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Token'), { target: { value: '<cat1>' } });
    fireEvent.change(screen.getByLabelText('Class word'), { target: { value: 'cat' } });
    expect(screen.getByLabelText('prompt preview').textContent).toBe('<cat1> → <cat1> cat');
    for (let k = 0; k < 3; k++) fireEvent.click(screen.getByRole('button', { name: /Add concept/ }));
    expect(screen.getByRole('button', { name: 'Add concept (4/4)' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getAllByRole('radio')[2]!);
    expect(store.getState().editor.activeConceptId).toBe('c3');
  });

  it('shows the multi-token warning when the tokenizer says so', () => {
    renderWithStore(<ConceptsPanel />, { tokenizer: { isSingleToken: (w) => w === 'dog' } });
    fireEvent.change(screen.getByLabelText('Class word'), { target: { value: 'doggo' } });
    expect(screen.getByText(/"doggo" is several tokens/)).toBeTruthy();
  });
});

describe('GenerationPanel with an engine port', () => {
  it('autocompletes tokens, shows chips and the expanded prompt, and sends the request', () => {
    const requests: GenerateRequest[] = [];
    const engine: EnginePort = {
      modelName: 'recording port',
      samplers: ['DDIM'],
      generate: (req) => (requests.push(req), new Promise(() => undefined)),
      train: () => new Promise(() => undefined),
    };
    const { store } = renderWithStore(<GenerationPanel engineSamplers={engine.samplers} />, { engine });
    act(() => store.getState().updateConcept('c1', { token: '<cat1>', classWord: 'cat' }));
    const prompt = screen.getByLabelText('Prompt', { selector: 'textarea' }) as HTMLTextAreaElement;
    fireEvent.change(prompt, { target: { value: 'a <c', selectionStart: 4 } });
    fireEvent.mouseDown(screen.getByRole('option', { name: '<cat1>' }));
    expect(prompt.value).toBe('a <cat1> ');
    expect(screen.getByText('<cat1> · not trained yet')).toBeTruthy();
    expect(screen.getByLabelText('expanded prompt').textContent).toBe('Text encoder sees: a <cat1> cat ');
    const sampler = screen.getByLabelText('Sampler') as HTMLSelectElement;
    expect([...sampler.options].map((o) => o.value)).toEqual(samplerNames());
    expect([...sampler.options].filter((o) => !o.disabled).map((o) => o.value)).toEqual(['DDIM']);
    fireEvent.click(screen.getByLabelText('Lock seed'));
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    expect(requests[0]).toMatchObject({ expandedPrompt: 'a <cat1> cat ', seed: 1, sampler: 'DDIM' });
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
  });
});

describe('keyboard shortcuts', () => {
  function Shortcuts() {
    useKeyboardShortcuts(useStudioStore());
    return <input aria-label="field" />;
  }

  it('undo/redo and tool keys act outside text fields only', () => {
    const { store } = renderWithStore(<Shortcuts />);
    act(() => store.getState().commitOp({ kind: 'fill', at: imagePoint(1, 1) }));
    fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    expect(store.getState().editor.masks.present.c1?.ops).toHaveLength(0);
    fireEvent.keyDown(window, { key: 'Z', ctrlKey: true, shiftKey: true });
    expect(store.getState().editor.masks.present.c1?.ops).toHaveLength(1);
    fireEvent.keyDown(window, { key: 'e' });
    expect(store.getState().editor.tool).toBe('eraser');
    fireEvent.keyDown(screen.getByLabelText('field'), { key: 'p' });
    expect(store.getState().editor.tool).toBe('eraser');
    fireEvent.keyDown(window, { key: ']' });
    expect(store.getState().editor.brushRadius).toBe(18);
  });
});

describe('placeholders speak the open model\'s language', () => {
  it('suggest world words for the default model and SD words for one\'s own', () => {
    const { store } = renderWithStore(
      <>
        <ConceptsPanel />
        <GenerationPanel />
        <TrainingPanel />
      </>,
    );
    act(() => store.getState().addConcept());
    const classWord = (): string | null => (screen.getAllByLabelText('Class word')[0] as HTMLElement).getAttribute('placeholder');
    const negative = (): string | null => screen.getByLabelText('Negative prompt').getAttribute('placeholder');
    // the class-word example is the open model's own (its tokenizer's first noun), the one its messages use
    const world = tokenizerPort(new WordTokenizer(['<|startoftext|>', '<|endoftext|>', '<unk>', 'a', 'red', 'star', 'circle']));
    act(() => store.setState((st) => ({ engine: { ...st.engine, tokenizer: world } })));
    expect([classWord(), negative()]).toEqual(['e.g. circle', 'e.g. striped']);
    act(() => store.getState().setModelInUse({ kind: 'snapshot', id: 'm1', name: 'sd15' }));
    act(() => store.setState((st) => ({ engine: { ...st.engine, tokenizer: null } })));
    expect([classWord(), negative()]).toEqual(['e.g. cat', 'blurry, low quality']);
    // the training panel's isolation switch shows the setting and changes it through the store
    const box = screen.getByLabelText('Isolate concepts') as HTMLInputElement;
    expect(box.checked).toBe(store.getState().training.settings.isolateConcepts);
    act(() => fireEvent.click(box));
    expect(store.getState().training.settings.isolateConcepts).toBe(box.checked);
    expect(store.getState().training.preset).toBe('custom');
  });
});
