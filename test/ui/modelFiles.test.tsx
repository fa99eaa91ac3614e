// Model panel, loose files: besides the folder picker there is a files picker (no webkitdirectory) for a single
// .safetensors checkpoint plus vocab.json and merges.txt; what it picks reaches onLoadModel unchanged.
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ModelPanel } from '../../src/ui/panels/ModelPanel';
import { renderWithStore } from './render';

describe('ModelPanel model files', () => {
  it('offers a files picker next to the folder picker and passes the picked files on', () => {
    const picked: string[][] = [];
    renderWithStore(<ModelPanel onLoadModel={(files) => picked.push(files.map((f) => f.name))} />);
    const input = screen.getByLabelText('Model files') as HTMLInputElement;
    expect(input.hasAttribute('webkitdirectory')).toBe(false);
    expect(input.accept.split(',')).toEqual(expect.arrayContaining(['.safetensors', '.json', '.txt']));
    expect((screen.getByLabelText('Model folder') as HTMLInputElement).getAttribute('webkitdirectory')).toBe('');
    const files = ['v1-5.safetensors', 'vocab.json', 'merges.txt'].map((n) => new File(['x'], n));
    fireEvent.change(input, { target: { files } });
    expect(picked).toEqual([['v1-5.safetensors', 'vocab.json', 'merges.txt']]);
    expect(screen.getByRole('button', { name: 'Load model files…' })).toBeTruthy();
  });
});
