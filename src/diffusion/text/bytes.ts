// GPT-2/CLIP byte-level alphabet: every byte maps to a printable unicode char so BPE never sees
// whitespace or control bytes. Pure; no I/O. Reference: openai/CLIP clip/simple_tokenizer.py
// `bytes_to_unicode` (printable ranges !..~, ¡..¬, ®..ÿ keep their code point; others → 256 + n).

function printableRanges(): number[] {
  const out: number[] = [];
  const push = (a: number, b: number): void => {
    for (let c = a; c <= b; c++) out.push(c);
  };
  push(0x21, 0x7e);
  push(0xa1, 0xac);
  push(0xae, 0xff);
  return out;
}

/** byte value → char, in CLIP's vocabulary order (this order = ids 0…255 of the CLIP vocab). */
export function bytesToUnicode(): Map<number, string> {
  const bs = printableRanges();
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n);
      n++;
    }
  }
  return new Map(bs.map((b, i) => [b, String.fromCodePoint(cs[i] as number)]));
}
