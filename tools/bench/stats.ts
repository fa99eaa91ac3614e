// Small statistics shared by the benchmarks (pure).

/** The upper median of `xs` (the middle element after sorting; for an even count the higher of the two). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}
