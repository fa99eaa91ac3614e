// The headers for static hosts (tools/hosting/headers.ts): the committed files say what the module says (run
// `npm run hosting:headers` after editing it), carry COOP/COEP, and the CSP names no remote origin and allows no
// inline script or eval (wasm compilation only).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, hostingFiles, studioHeaders } from '../../tools/hosting/headers';

describe('hosting headers', () => {
  it.each(Object.entries(hostingFiles()))('%s is up to date', (path, text) => {
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('isolates the page and admits only its own origin', () => {
    const h = studioHeaders();
    expect(h['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(h['Cross-Origin-Embedder-Policy']).toBe('require-corp');
    const csp = contentSecurityPolicy();
    const sources = csp.split(';').flatMap((d) => d.trim().split(/\s+/).slice(1));
    expect(sources.filter((s) => !["'self'", "'none'", "'wasm-unsafe-eval'", 'data:', 'blob:'].includes(s))).toEqual([]);
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    expect(contentSecurityPolicy('abc')).toContain("script-src 'self' 'wasm-unsafe-eval' 'nonce-abc'");
  });
});
