// Writes the headers files for static hosts from hosting/headers.ts (npm run hosting:headers; run from the repository root).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { hostingFiles } from './headers';

for (const [path, text] of Object.entries(hostingFiles())) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(path);
}
