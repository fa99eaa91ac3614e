// Vite app build + the vitest config (two projects: node for engine/state, dom for ui).
// Headers (tools/hosting/headers.ts): COOP/COEP make the page cross-origin isolated so onnxruntime-web can use wasm
// threads; the Content-Security-Policy admits only this origin and no inline script (the dev server's own injected
// scripts and styles carry a per-start nonce). The build leaves out the files under public/ the app never loads.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { studioHeaders } from './tools/hosting/headers';

/** public/ files that document or evaluate the models (model card, figures, the world evaluator); the app loads none */
export const NOT_SHIPPED = ['models/evaluator', 'models/default/MODEL_CARD.md', 'models/default/eval.json', 'models/default/loss_curve.png', 'models/default/samples.png'];

function dropUnloaded(): Plugin {
  let outDir = 'dist';
  return {
    name: 'disenstudio-drop-unloaded',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir;
    },
    closeBundle() {
      for (const p of NOT_SHIPPED) rmSync(join(outDir, p), { recursive: true, force: true });
    },
  };
}

const nonce = randomUUID().replace(/-/g, '');

export default defineConfig(({ command }) => ({
  plugins: [react(), dropUnloaded()],
  html: command === 'serve' ? { cspNonce: nonce } : {},
  server: { headers: studioHeaders(nonce) },
  preview: { headers: studioHeaders() },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
  build: { target: 'es2022' },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/ui/**'],
          testTimeout: 900_000,
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['test/ui/**/*.test.{ts,tsx}'],
        },
      },
    ],
  },
}));
