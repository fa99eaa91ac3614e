// Model panel: the folder picker hands the picked files to the composition root, the load notice shows
// progress as a status and a refusal as an alert, and a model kept in browser storage can be forgotten.
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ModelPanel } from '../../src/ui/panels/ModelPanel';
import { renderWithStore } from './render';

describe('ModelPanel model folder', () => {
  it('passes the picked files on and shows the notice', () => {
    const picked: File[][] = [];
    const { store } = renderWithStore(<ModelPanel onLoadModel={(files) => picked.push(files)} />);
    const input = screen.getByLabelText('Model folder') as HTMLInputElement;
    expect(input.getAttribute('webkitdirectory')).toBe('');
    const file = new File(['{}'], 'model_index.json', { type: 'application/json' });
    fireEvent.change(input, { target: { files: [file] } });
    expect(picked.map((f) => f.map((x) => x.name))).toEqual([['model_index.json']]);
    act(() => store.getState().setModelNotice({ kind: 'info', text: 'Reading "m": 1/3 files…' }));
    expect(screen.getByRole('status').textContent).toBe('Reading "m": 1/3 files…');
    act(() => store.getState().setModelNotice({ kind: 'error', text: 'Could not load the model in "m": bad header. The model in use did not change.' }));
    expect(screen.getByRole('alert').textContent).toMatch(/did not change/);
  });

  it('has no picker when the app gives no loader', () => {
    renderWithStore(<ModelPanel />);
    expect(screen.queryByRole('button', { name: 'Load model folder…' })).toBeNull();
  });
});

describe('ModelPanel kept model', () => {
  it('names the model kept in browser storage and forgets it through the store', async () => {
    const { store } = renderWithStore(<ModelPanel onLoadModel={() => undefined} />);
    expect(screen.queryByRole('button', { name: 'Forget cached model' })).toBeNull();
    act(() => store.getState().setModelInUse({ kind: 'snapshot', id: 's1', name: 'my-model' }));
    expect(screen.getByTestId('kept-model').textContent).toContain('Kept in browser storage: my-model');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Forget cached model' })));
    expect(store.getState().project.model).toEqual({ kind: 'default' });
    expect(screen.queryByTestId('kept-model')).toBeNull();
    expect(screen.getByRole('status').textContent).toMatch(/^Forgot "my-model"/);
  });
});
