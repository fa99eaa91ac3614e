// zipStored: the archive reads back with an independent reader (adm-zip) with names, bytes and CRCs intact.
import AdmZip from 'adm-zip';
import { describe, expect, it } from 'vitest';
import { zipStored } from '../../src/app/zip';

describe('zipStored', () => {
  it('round-trips two files through adm-zip', () => {
    const files = new Map([
      ['pack-1/pack.json', new TextEncoder().encode('{"a":1}')],
      ['pack-1/weights.safetensors', Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 255)],
    ]);
    const zip = new AdmZip(Buffer.from(zipStored(files)));
    const entries = zip.getEntries();
    expect(entries.map((e) => e.entryName)).toEqual(['pack-1/pack.json', 'pack-1/weights.safetensors']);
    expect(zip.readAsText('pack-1/pack.json')).toBe('{"a":1}');
    expect([...zip.readFile('pack-1/weights.safetensors')!]).toEqual([...files.get('pack-1/weights.safetensors')!]);
  });
});
