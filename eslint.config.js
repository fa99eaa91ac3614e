// Lint: TypeScript rules plus the layer rules of house-style.md §10, enforced per folder with
// no-restricted-imports, and import-x/no-cycle. `npm run lint`.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const ui = ['react', 'react-dom', 'konva', 'react-konva'];
const ort = ['onnxruntime-web', 'onnxruntime-node', 'onnxruntime-common'];
const folder = (names) => names.map((n) => `**/${n}/**`);

/** One no-restricted-imports override per folder: [files, banned packages, banned src folders]. */
const layer = (files, paths, folders) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', {
      paths: paths.map((name) => ({ name, message: `not allowed in ${files[0]} (house-style.md §10)` })),
      patterns: folders.length ? [{ group: folder(folders), message: `layer rule: ${files[0]} must not import these folders (house-style.md §10)` }] : [],
    }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'public/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-cycle': 'error',
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'use the seeded Rng in src/lib/random.ts' }],
      'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  layer(['src/lib/**'], [...ui, 'zustand', ...ort], ['onnx', 'runtime', 'diffusion', 'train', 'editor', 'state', 'ui', 'app', 'workers']),
  layer(['src/onnx/**'], [...ui, 'zustand', ...ort], ['runtime', 'diffusion', 'train', 'editor', 'state', 'ui', 'app', 'workers']),
  layer(['src/runtime/**'], [...ui, 'zustand'], ['diffusion', 'train', 'editor', 'state', 'ui', 'app', 'workers']),
  layer(['src/diffusion/schedulers/**'], [...ui, 'zustand', ...ort], ['onnx', 'runtime', 'train', 'editor', 'state', 'ui', 'app', 'workers']),
  layer(['src/diffusion/**'], [...ui, 'zustand', ...ort], ['train', 'editor', 'state', 'ui', 'app', 'workers']),
  layer(['src/train/**'], [...ui, 'zustand', ...ort], ['editor', 'state', 'ui', 'app', 'workers']),
  layer(['src/editor/**'], [...ui, 'zustand', ...ort], ['onnx', 'runtime', 'diffusion', 'train', 'state', 'ui', 'app', 'workers']),
  layer(['src/state/**'], [...ui, ...ort], ['onnx', 'ui', 'app', 'workers']),
  layer(['src/ui/**'], [...ort, 'zustand/vanilla'], ['onnx', 'runtime', 'train', 'diffusion', 'app', 'workers']),
);
