// Lint: TypeScript rules plus the layer rules of docs/house-style.md §10 and of each src/*/CONTEXT.md. `npm run lint`.
// Every layer rule is one of three kinds, and each file falls in exactly one block of each kind (flat config: when
// two blocks set the same rule for a file, the later REPLACES the earlier, so nested folders are carved out of
// their parents with `ignores`):
//   1. packages  — @typescript-eslint/no-restricted-imports per folder (react, konva, zustand, onnxruntime, node:*);
//   2. DOM       — no-restricted-globals where a CONTEXT.md says "no DOM" (and in the pure schedulers and losses);
//   3. folders   — import-x/no-restricted-paths zones, one rule for the whole tree: which src/ folders a folder may
//                  import, and "index.ts is the only way in" for the folders whose index.ts says so.
// test/lint/layers.test.ts proves each rule with a fixture in test/lint/fixtures/ that must fail.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const ui = ['react', 'react-dom', 'konva', 'react-konva'];
const ort = ['onnxruntime-web', 'onnxruntime-node', 'onnxruntime-common'];
const ref = '(docs/house-style.md §10, the folder\'s CONTEXT.md)';

// ---- 1. packages -------------------------------------------------------------------------------------------
/** One package block: `files` (minus `ignores`) must not import `paths`; `patterns` are import-string globs. */
const packages = (files, paths, { ignores = [], patterns = [] } = {}) => ({
  files,
  ignores,
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', {
      paths: paths.map((name) => ({ name, message: `${name} is not allowed in ${files[0]} ${ref}` })),
      patterns: patterns.map((p) => (Array.isArray(p) ? { group: p[0], message: `${p[1]} ${ref}` } : p)),
    }],
  },
});
const noNode = [['node:*'], 'browser code must not import Node built-ins'];
const noNodeBut = (file) => [['node:*'], `Node built-ins live only in ${file} in this folder`];
/** The one file per folder allowed to import Node built-ins (its CONTEXT.md says so). */
const NODE_FILES = { diffusion: 'src/diffusion/loaders/node.ts', train: 'src/train/loop/nodeCheckpointStore.ts' };
const noThirdParty = { regex: '^[^.]', message: `src/lib imports no third-party package ${ref}` };

// ---- 2. DOM ------------------------------------------------------------------------------------------------
/** Browser-page globals: a folder that "has no DOM" must not touch them (the capitalised ones as types too). */
const DOM = ['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'indexedDB', 'fetch',
  'HTMLElement', 'HTMLCanvasElement', 'HTMLImageElement', 'Image', 'ImageData', 'ImageBitmap', 'createImageBitmap',
  'OffscreenCanvas', 'requestAnimationFrame', 'FileReader', 'alert', 'Worker'];
/** A Web Worker has no page: the globals a worker cannot have (navigator, indexedDB, fetch … it does have). */
const PAGE = ['window', 'document', 'localStorage', 'sessionStorage', 'HTMLElement', 'HTMLCanvasElement',
  'HTMLImageElement', 'Image', 'alert', 'requestAnimationFrame'];
const noGlobals = (files, names, why) => ({
  files,
  rules: {
    'no-restricted-globals': ['error', ...names.map((name) => ({ name, message: `${name}: ${why} ${ref}` }))],
    '@typescript-eslint/no-restricted-types': ['error', { types: Object.fromEntries(names.filter((n) => /^[A-Z]/.test(n)).map((n) => [n, `${n}: ${why} ${ref}`])) }],
  },
});

// ---- properties: one source each ------------------------------------------------------------------------
const RANDOM = { object: 'Math', property: 'random', message: 'use the seeded Rng in src/lib/random.ts' };
const IDB_OPEN = { object: 'indexedDB', property: 'open', message: 'open IndexedDB through src/workers/idb.ts openIdbStore (the one list of databases and versions)' };
const properties = [RANDOM, IDB_OPEN];

// ---- 3. folders --------------------------------------------------------------------------------------------
const TOP = ['lib', 'onnx', 'runtime', 'diffusion', 'train', 'editor', 'state', 'ui', 'eval', 'world', 'workers', 'app'];
const others = (...keep) => TOP.filter((f) => !keep.includes(f));
/** `target` must not import from these src folders. */
const banned = {
  lib: others('lib'),
  onnx: others('onnx', 'lib'),
  runtime: others('runtime', 'lib', 'onnx'),
  diffusion: ['train', 'editor', 'state', 'ui', 'eval', 'world', 'workers', 'app'],
  train: ['editor', 'state', 'ui', 'eval', 'workers', 'app'],
  editor: others('editor', 'lib'),
  state: ['onnx', 'ui', 'eval', 'world', 'workers', 'app'],
  ui: ['onnx', 'runtime', 'diffusion', 'train', 'eval', 'world', 'workers', 'app'],
  eval: ['diffusion', 'editor', 'state', 'ui', 'workers', 'app'],
  world: others('world', 'lib'),
  workers: ['ui', 'app'],
  app: [],
};
const layerZones = Object.entries(banned).flatMap(([target, from]) => from.map((f) => ({
  target: `./src/${target}`, from: `./src/${f}`, message: `layer rule: src/${target} must not import src/${f} ${ref}`,
})));
/** Schedulers are pure maths: lib only, not even the rest of src/diffusion. */
const schedulerZones = [...others('lib', 'diffusion').map((f) => `./src/${f}`), ...['text', 'weights', 'image', 'loaders', 'pipeline'].map((f) => `./src/diffusion/${f}`)]
  .map((from) => ({ target: './src/diffusion/schedulers', from, message: `layer rule: schedulers import src/lib only (no I/O, no runtime) ${ref}` }));
/** Sub-folders whose CONTEXT.md lists what they import: train/engine (lib, onnx, runtime interfaces) and train/bundle
 *  (lib, onnx, runtime, diffusion, train/engine, train/loop, train/pack). `from` is every other src/ folder and sibling. */
const TRAIN_PARTS = ['attention', 'base', 'bundle', 'data', 'engine', 'feeds', 'graphs', 'loop', 'losses', 'memory', 'pack'];
const TRAIN_FILES = ['config.ts', 'concepts.ts', 'index.ts'];
const onlyFrom = (target, folders, parts) => [
  ...TOP.filter((f) => !folders.includes(f) && f !== 'train').map((f) => `./src/${f}`),
  ...TRAIN_PARTS.filter((p) => !parts.includes(p)).map((p) => `./src/train/${p}`),
  ...TRAIN_FILES.map((f) => `./src/train/${f}`),
].map((from) => ({ target: `./src/train/${target}`, from, message: `layer rule: src/train/${target} imports ${[...folders, ...parts.filter((p) => p !== target).map((p) => `train/${p}`)].join(', ')} only (its CONTEXT.md)` }));
const trainPartZones = [...onlyFrom('engine', ['lib', 'onnx', 'runtime'], ['engine']), ...onlyFrom('bundle', ['lib', 'onnx', 'runtime', 'diffusion'], ['bundle', 'engine', 'loop', 'pack'])];
/** Folders whose index.ts says it is the only way in (for every other src/ folder, workers/ and app/ included). */
const ENTRY_ONLY = ['onnx', 'editor', 'diffusion', 'state', 'train', 'ui', 'eval', 'world'];
const entryZones = ENTRY_ONLY.flatMap((folder) => others(folder).map((t) => ({
  target: `./src/${t}`, from: `./src/${folder}`, except: folder === 'ui' ? ['./index.ts', './styles.css'] : ['./index.ts'],
  message: `import src/${folder} through its index.ts only (the folder's entry file)`,
})));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'public/**', 'test/lint/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/extensions': ['.ts', '.tsx', '.js'], 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } } },
    rules: {
      'import-x/no-cycle': 'error',
      'no-restricted-properties': ['error', ...properties],
      'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/**'], rules: { 'import-x/no-restricted-paths': ['error', { zones: [...layerZones, ...schedulerZones, ...trainPartZones, ...entryZones] }] } },
  packages(['src/lib/**'], [...ui, 'zustand', ...ort], { patterns: [noThirdParty] }),
  packages(['src/onnx/**'], [...ui, 'zustand', ...ort], { patterns: [noNode] }),
  packages(['src/runtime/**'], [...ui, 'zustand']),
  // Node built-ins only in the one file each folder's CONTEXT.md names (diffusion/loaders/node.ts, train/loop/nodeCheckpointStore.ts)
  packages(['src/diffusion/**'], [...ui, 'zustand', ...ort], { ignores: [NODE_FILES.diffusion], patterns: [noNodeBut('src/diffusion/loaders/node.ts')] }),
  packages([NODE_FILES.diffusion], [...ui, 'zustand', ...ort]),
  packages(['src/train/**'], [...ui, 'zustand', ...ort], { ignores: [NODE_FILES.train], patterns: [noNodeBut('src/train/loop/nodeCheckpointStore.ts')] }),
  packages([NODE_FILES.train], [...ui, 'zustand', ...ort]),
  packages(['src/editor/**'], [...ui, 'zustand', ...ort], { patterns: [noNode] }),
  packages(['src/state/**'], [...ui, 'zustand', ...ort], { patterns: [noNode] }),
  packages(['src/ui/**'], [...ort, 'zustand/vanilla'], { patterns: [noNode] }),
  packages(['src/eval/**'], [...ui, 'zustand', ...ort], { patterns: [[['node:*'], 'src/eval does no file I/O']] }),
  packages(['src/world/**'], [...ui, 'zustand', ...ort], { patterns: [noNode] }),
  packages(['src/workers/**'], [...ui, 'zustand', ...ort], { patterns: [noNode] }),
  packages(['src/app/**'], [...ort], { patterns: [noNode] }),
  noGlobals(['src/lib/**', 'src/onnx/**', 'src/editor/**', 'src/world/**', 'src/diffusion/schedulers/**', 'src/train/losses/**'], DOM, 'this folder has no DOM (pure TypeScript)'),
  noGlobals(['src/workers/**'], PAGE, 'workers run in a Web Worker: there is no page'),
  { files: ['src/workers/idb.ts'], rules: { 'no-restricted-properties': ['error', RANDOM] } },
);
