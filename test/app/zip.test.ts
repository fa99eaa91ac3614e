// zipStored: the archive reads back with an independent reader (adm-zip) with names, bytes and CRCs intact; readStoredZip
// reads stored archives (ours and adm-zip's) and refuses compressed, damaged, truncated and unsafe ones by name.
import AdmZip from 'adm-zip';
import { describe, expect, it } from 'vitest';
import { readStoredZip, zipStored, ZipReadError } from '../../src/app/zip';

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

describe('readStoredZip', () => {
  const files = new Map([
    ['project.json', new TextEncoder().encode('{"format":"x"}')],
    ['packs/1/weights.safetensors', Uint8Array.from({ length: 500 }, (_, i) => (i * 13) & 255)],
  ]);

  it('reads back what zipStored wrote, and a stored archive adm-zip wrote', () => {
    expect(readStoredZip(zipStored(files), 'p.zip')).toEqual(files);
    const other = new AdmZip();
    other.addFile('a/b.txt', Buffer.from('hello'));
    other.getEntries()[0]!.header.method = 0;
    expect(new TextDecoder().decode(readStoredZip(new Uint8Array(other.toBuffer()), 'o.zip').get('a/b.txt'))).toBe('hello');
  });

  it('refuses, naming the archive and the entry: compressed, damaged, truncated, unsafe names, not a ZIP', () => {
    const deflated = new AdmZip();
    deflated.addFile('big.txt', Buffer.from('x'.repeat(1000)));
    expect(() => readStoredZip(new Uint8Array(deflated.toBuffer()), 'd.zip')).toThrow(/d\.zip: "big\.txt" is compressed \(method 8\)/);
    const zip = zipStored(files);
    const damaged = zip.slice();
    damaged[30 + 'project.json'.length + 2]! ^= 0xff;
    expect(() => readStoredZip(damaged, 'p.zip')).toThrow(ZipReadError);
    expect(() => readStoredZip(damaged, 'p.zip')).toThrow('p.zip: "project.json" is damaged (CRC mismatch)');
    expect(() => readStoredZip(zip.slice(0, zip.length - 10), 'cut.zip')).toThrow('cut.zip: not a ZIP archive');
    expect(() => readStoredZip(new TextEncoder().encode('{"json": true}'), 'j.zip')).toThrow('j.zip: not a ZIP archive');
    expect(() => readStoredZip(zipStored(new Map([['../evil', new Uint8Array(1)]])), 'e.zip')).toThrow(/e\.zip.*entry 1/);
  });
});
