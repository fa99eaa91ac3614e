// The prompt field's token counter against a real store and a word tokenizer with 8 positions (6 content tokens):
// the count of the expanded prompt (class words inserted after their concept tokens), and the cut named once the
// prompt is longer than the encoder reads.
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { WordTokenizer } from '../../src/diffusion/text/WordTokenizer';
import { PromptField } from '../../src/ui/panels/PromptField';
import { tokenizerPort } from '../../src/workers/tokenizerPort';
import { renderWithStore } from './render';

const tok = new WordTokenizer(['<|startoftext|>', '<|endoftext|>', '<unk>', 'a', 'and', 'red', 'blue', 'circle', 'square'], { maxLength: 8 });

describe('the prompt token counter', () => {
  it('counts what the encoder sees and names where a long prompt is cut', () => {
    const { store } = renderWithStore(<PromptField />, { tokenizer: tokenizerPort(tok) });
    act(() => {
      store.getState().updateConcept('c1', { token: '<c1>', classWord: 'circle' });
      store.setState({ engine: { ...store.getState().engine, tokenizer: tokenizerPort(tok) } });
    });
    const area = screen.getByLabelText('Prompt');
    fireEvent.change(area, { target: { value: 'a red <c1>' } });
    // "a red <c1> circle": the class word counts
    expect(screen.getByTestId('token-budget').textContent).toBe('4 / 6 tokens');
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.change(area, { target: { value: 'a red <c1> and a blue square' } });
    expect(screen.getByRole('alert').textContent).toBe('8 / 6 tokens: the text encoder reads the first 6; the rest, from "blue", is cut.');
  });

  it('counts an enabled embedding\'s trigger as its vectors, and as text once it is switched off', () => {
    const { store } = renderWithStore(<PromptField />, { tokenizer: tokenizerPort(tok) });
    const glow = { id: 'glow', name: 'glow', fileName: 'glow.pt', kind: 'embedding' as const, size: 1, hash: 'abc', trigger: 'glow', vectors: 3, strength: 1, isEnabled: true };
    act(() => {
      store.setState({ engine: { ...store.getState().engine, tokenizer: tokenizerPort(tok) }, networks: { ...store.getState().networks, items: [glow] } });
    });
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'a red glow circle' } });
    expect(screen.getByTestId('token-budget').textContent).toBe('6 / 6 tokens');
    act(() => store.setState({ networks: { ...store.getState().networks, items: [{ ...glow, isEnabled: false }] } }));
    // switched off, "glow" is a word the tokenizer does not know: one <unk>
    expect(screen.getByTestId('token-budget').textContent).toBe('4 / 6 tokens');
  });

  it('names the words the model does not know', () => {
    const { store } = renderWithStore(<PromptField />, { tokenizer: tokenizerPort(tok) });
    act(() => store.setState({ engine: { ...store.getState().engine, tokenizer: tokenizerPort(tok) } }));
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'a red cat and a blue square' } });
    expect(screen.getByTestId('unknown-words').textContent).toContain('"cat"');
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'a red circle' } });
    expect(screen.queryByTestId('unknown-words')).toBeNull();
  });

  it('shows nothing without a tokenizer that counts', () => {
    const { store } = renderWithStore(<PromptField />);
    act(() => store.getState().updateGeneration({ prompt: 'a red circle' }));
    expect(screen.queryByTestId('token-budget')).toBeNull();
  });
});
