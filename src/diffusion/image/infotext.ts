// A1111 "infotext" (PNG tEXt `parameters`): prompt, "Negative prompt: …", then "k: v, k: v" on the last
// line. Values with "," ":" or newlines are JSON-quoted. Pure; no I/O. Reference: docs/ecosystem.md §5 and
// AUTOMATIC1111 modules/generation_parameters_copypaste.py (`quote`, `parse_generation_parameters`).

/** What a generated image records. `extra` entries follow "Model" in insertion order (e.g. "TI hashes"). */
export type GenerationParams = {
  prompt: string;
  negativePrompt: string;
  steps: number;
  /** A1111 sampler display name, e.g. "DPM++ 2M" (see schedulers/registry.ts); absent for samplers A1111 lacks. */
  sampler?: string;
  /** "Karras" etc.; omitted when the sampler's default ("Automatic"). */
  scheduleType?: string;
  cfgScale: number;
  seed: number;
  width: number;
  height: number;
  /** First 10 hex digits of the model's sha256 (A1111 "Model hash"). */
  modelHash?: string;
  model?: string;
  /** key → value appended after Model (e.g. "TI hashes", "Version", "RNG"). */
  extra?: Record<string, string>;
};

/** A parsed infotext: prompt parts plus every "k: v" parameter (key → unquoted value). */
export type ParsedInfotext = { prompt: string; negativePrompt: string; params: Record<string, string> };

/** A1111 `quote`: plain unless the value holds ",", ":" or a newline, then JSON. */
export function quoteInfotextValue(v: string): string {
  return /[,:\n]/.test(v) ? JSON.stringify(v) : v;
}

/** Formats the A1111 `parameters` text (create_infotext's layout: prompt, "Negative prompt: …", "k: v, …"). */
export function formatInfotext(p: GenerationParams): string {
  const pairs: [string, string | number | undefined][] = [
    ['Steps', p.steps],
    ['Sampler', p.sampler],
    ['Schedule type', p.scheduleType],
    ['CFG scale', p.cfgScale],
    ['Seed', p.seed],
    ['Size', `${p.width}x${p.height}`],
    ['Model hash', p.modelHash],
    ['Model', p.model],
    ...Object.entries(p.extra ?? {}),
  ];
  const line = pairs
    .filter((kv): kv is [string, string | number] => kv[1] !== undefined && kv[1] !== '')
    .map(([k, v]) => `${k}: ${quoteInfotextValue(String(v))}`)
    .join(', ');
  // Always a "Negative prompt:" line, empty or not: ComfyUI's A1111 import drops infotext without one.
  return `${p.prompt}\nNegative prompt: ${p.negativePrompt}\n${line}`;
}

const PARAM = /\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)/g;

function parseParams(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(PARAM)) {
    const raw = (m[2] as string).trim();
    let value = raw;
    if (raw.startsWith('"') && raw.endsWith('"')) {
      try {
        value = String(JSON.parse(raw));
      } catch {
        value = raw;
      }
    }
    Object.defineProperty(out, (m[1] as string).trim(), { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Parses infotext as A1111 does: a last line with fewer than 3 "k: v" pairs belongs to the prompt. */
export function parseInfotext(text: string): ParsedInfotext {
  const lines = text.trim().split('\n');
  let last = lines.pop() ?? '';
  if ([...last.matchAll(PARAM)].length < 3) {
    lines.push(last);
    last = '';
  }
  let prompt = '';
  let negativePrompt = '';
  let isNegative = false;
  for (let line of lines) {
    line = line.trim();
    if (line.startsWith('Negative prompt:')) {
      isNegative = true;
      line = line.slice(16).trim();
    }
    if (isNegative) negativePrompt += (negativePrompt ? '\n' : '') + line;
    else prompt += (prompt ? '\n' : '') + line;
  }
  return { prompt, negativePrompt, params: parseParams(last) };
}
