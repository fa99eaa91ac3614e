// The one path rule (src/lib/paths.ts) and its copies in the self-contained bundle runners: the same case table
// (test/fixtures/paths/cases.json) through the TypeScript rule, run.mjs and run.py; then every path field of a
// bundle.json set to a path leaving the folder, against checkManifest, run.mjs, run.py (with a stub onnxruntime that
// records being imported) and the --import-bundle importer: each refuses naming the field, writes nothing outside
// the bundle and never shows a byte of the file the path points at.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cases from '../fixtures/paths/cases.json';
import { checkInsidePath, unsafePathReason } from '../../src/lib/paths';
import { UnsafePathError } from '../../src/lib/errors';
import { createNodeFileSource } from '../../src/diffusion/loaders/node';
import { checkManifest } from '../../src/train/bundle/manifest';
import { importBundleToFolder } from '../../tools/bundle/exportToFolder';
import { BUNDLE_PATH_FIELDS, manifestWithPath } from '../helpers/hostileBundle';
// @ts-expect-error run.mjs is plain JavaScript (self-contained runner), no declaration file
import * as runMjs from '../../tools/bundle/run.mjs';

const exec = promisify(execFile);
const RUN_PY = resolve('tools/bundle/run.py');
const RUN_MJS = resolve('tools/bundle/run.mjs');
const table = cases.cases as { path: unknown; ok: boolean }[];
let root: string;
/** a secret file beside the bundle: its bytes must never appear in a message */
const SECRET = 'TOPSECRET-bytes-1234';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'paths-'));
  await writeFile(join(root, 'secret.safetensors'), SECRET);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the path rule', () => {
  it.each(table.map((c) => [JSON.stringify(c.path), c] as const))('%s is accepted only when plain and inside (TypeScript)', (_n, c) => {
    expect(unsafePathReason(c.path) === undefined).toBe(c.ok);
    if (!c.ok) expect(() => checkInsidePath(c.path, 'b/bundle.json', 'state')).toThrow(UnsafePathError);
  });

  it('run.mjs carries the same rule', () => {
    const got = table.map((c) => (runMjs.unsafePathReason as (p: unknown) => string | undefined)(c.path) === undefined);
    expect(got).toEqual(table.map((c) => c.ok));
  });

  it('run.py carries the same rule (no onnxruntime or numpy needed)', async () => {
    const code = `import json,sys; sys.path.insert(0, ${JSON.stringify(resolve('tools/bundle'))}); import run; cs = json.load(open(${JSON.stringify(resolve('test/fixtures/paths/cases.json'))}))["cases"]; print(json.dumps([run.unsafe_path_reason(c["path"]) is None for c in cs]))`;
    const { stdout } = await exec('python3', ['-c', code]);
    expect(JSON.parse(stdout)).toEqual(table.map((c) => c.ok));
  });
});

const HOSTILE = ['../secret.safetensors', '../../y.json', '/etc/passwd', 'data/../../secret.safetensors'];

async function hostileBundle(field: (typeof BUNDLE_PATH_FIELDS)[number], path: string): Promise<string> {
  const dir = await mkdtemp(join(root, 'b-'));
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'bundle.json'), JSON.stringify(manifestWithPath(field, path)));
  return dir;
}

describe.each(BUNDLE_PATH_FIELDS.map((f) => [f]))('bundle.json "%s" leaving the folder', (field) => {
  it.each(HOSTILE.map((p) => [p]))('%s is refused by checkManifest naming the field', (path) => {
    expect(() => checkManifest(manifestWithPath(field, path), 'b')).toThrow(UnsafePathError);
    expect(() => checkManifest(manifestWithPath(field, path), 'b')).toThrow(`"${field}"`);
  });

  it('is refused by run.mjs and run.py before anything runs; nothing is written', async () => {
    const dir = await hostileBundle(field, HOSTILE[0] as string);
    const before = (await readdir(root)).sort();
    const stub = join(dir, 'stub');
    await mkdir(stub);
    await writeFile(join(stub, 'onnxruntime.py'), `open(${JSON.stringify(join(dir, 'ORT_IMPORTED'))}, 'w').close()\nraise ImportError('stub onnxruntime')\n`);
    for (const [cmd, args, env] of [['node', [RUN_MJS, dir], {}], ['python3', [RUN_PY, dir], { PYTHONPATH: stub }]] as const) {
      const r = await exec(cmd, [...args], { env: { ...process.env, ...env } }).then(() => undefined, (e: { stderr: string; code: number }) => e);
      expect(r?.code, `${cmd} exit`).toBe(1);
      expect(r?.stderr).toContain(`"${field}"`);
      expect(r?.stderr).not.toContain(SECRET);
    }
    expect(await readdir(dir)).not.toContain('ORT_IMPORTED');
    expect((await readdir(root)).sort()).toEqual(before);
  });
});

describe('personalize --import-bundle', () => {
  it.each([['state'], ['result.file'], ['result.losses']] as const)('refuses "%s" = ../../../../../etc/passwd naming the field, printing no byte of it', async (field) => {
    const dir = await hostileBundle(field, '../../../../../etc/passwd');
    const err = await importBundleToFolder(dir, { name: 'tiny', hash: 'abc123', unet: { get: () => undefined } as never }, join(dir, 'out')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsafePathError);
    expect((err as UnsafePathError).field).toBe(field);
    expect((err as Error).message).not.toMatch(/\d{12,}/);
  });

  it('a Node folder source refuses a path leaving its folder, whoever asks', async () => {
    const src = createNodeFileSource(join(root));
    await expect(src.read('../secret.safetensors')).rejects.toThrow(UnsafePathError);
    await expect(src.read('/etc/passwd')).rejects.toThrow(UnsafePathError);
    expect(new TextDecoder().decode(await src.read('secret.safetensors'))).toBe(SECRET);
  });
});
