// MODEL_CARD.md of the default model, filled with the measured figures of the run (state.json), the
// parameter counts of the shipped folder and the evaluator figures. The section "What the samples show" is
// written by a person after looking at samples.png; the generator leaves a marker there.
import { BASE_CLIP_TEXT, BASE_UNET, BASE_VAE, KL_WEIGHT_NOTE, SIZE_NOTE } from './cardNotes';
import type { RunState } from './checkpoint';
import { clock } from './progress';
import { PROMPT_SET_NOTE } from '../eval/baseFigures';
import type { EvalFigures } from '../eval/baseFigures';
import type { SetScores } from '../../src/eval/index';
import { GRID_PROMPTS, GRID_SEEDS, SAMPLING } from './samples';
import { BASE_COUNT_WEIGHTS, BASE_MIN_SNR_GAMMA } from '../../src/train/base/config';

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const pct = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(1)} %`);

function figuresTable(f: EvalFigures): string {
  const rows: [string, keyof SetScores][] = [['text alignment', 'textAlignment'], ['shape accuracy', 'shapeAccuracy'], ['colour accuracy', 'colorAccuracy'], ['two-object accuracy', 'twoObjectAccuracy'], ['HELD_OUT-pair accuracy', 'heldOutAccuracy']];
  const rec = f.reconstructedCeiling;
  return [
    `| figure | generated |${rec ? ' VAE reconstructions (ceiling through the VAE) |' : ''} rendered scenes (ceiling) |`,
    `|---|---|${rec ? '---|' : ''}---|`,
    ...rows.map(([label, k]) => `| ${label} | ${pct(f.generated[k])} |${rec ? ` ${pct(rec[k])} |` : ''} ${pct(f.renderedCeiling[k])} |`),
  ].join('\n');
}

export type CardInput = { state: RunState; counts: Record<string, number>; bytes: number; figures?: EvalFigures; stoppedEarly: boolean };

/** The card as Markdown. */
export function modelCard(c: CardInput): string {
  const s = c.state;
  const total = c.counts.unet! + c.counts.text_encoder! + c.counts.vae!;
  return `# DisenStudio default model (\`public/models/default/\`)

A tiny Stable-Diffusion-architecture text-to-image model for the generated world (src/world): 64×64 RGB scenes of
1–3 coloured, patterned shapes on a named background. Trained from scratch on 2 CPU cores with DisenStudio's own
graph builder, autodiff and AdamW graphs (src/train/engine TrainingSession) in onnxruntime-node:
\`npm run train:base\` (tools/trainBase/). It is a demonstration model: small, fast, and only as good as the
training time allowed (figures below).

## Data recipe
- Every training image is a fresh seeded scene: \`sampleScene(rng)\` (HELD_OUT colour–shape pairs excluded),
  \`renderScene(scene, 64, 3)\`, caption \`captionOf(scene)\`; batch *i* of stage *s* uses its own Rng
  (src/train/base/data.ts), so a resumed run sees the same data. Run seed ${s.seed}. No images are stored.
- Object counts: stage A draws 1–3 objects uniformly; stage B draws 1, 2 or 3 objects with probabilities
  ${BASE_COUNT_WEIGHTS.join(' / ')} (single objects, which the shape and colour bars score, get more of the data).
- Captions are dropped (replaced by "") with probability 0.1 in stage B, for classifier-free guidance.${s.pool ? `
- From stage B step ${s.poolFrom ?? 0}, batches are drawn from a sliding pool of ${s.pool.toLocaleString('en')} encoded scenes (16 new
  every 4 steps, tools/trainBase/pool.ts): each scene is used about 4 times, each time with its own noise, timestep
  and caption dropout, and rendering + encoding cost a quarter of fresh batches.` : ''}

## Architecture and parameter counts
| part | config | parameters |
|---|---|---|
| AutoencoderKL | ${BASE_VAE} | ${c.counts.vae!.toLocaleString('en')} |
| CLIP-style text encoder | ${BASE_CLIP_TEXT} | ${c.counts.text_encoder!.toLocaleString('en')} |
| UNet2DConditionModel | ${BASE_UNET} | ${c.counts.unet!.toLocaleString('en')} |
| total | | ${total.toLocaleString('en')} |

Tokenizer: word level (src/diffusion/text/WordTokenizer), \`tokenizer/vocab.json\` is the id-ordered word list
(specials, grammar words, world attributes, then 16 \`<spare-i>\` rows), 32 tokens per prompt.
Latent scaling_factor ${s.scalingFactor.toFixed(5)} = 1 / std of the posterior means after stage A.
Weights are F32 safetensors; the folder is ${(c.bytes / 1e6).toFixed(2)} MB.

## Training
| | stage A: VAE | stage A′: decoder fine-tune | stage B: text encoder + UNet |
|---|---|---|---|
| objective | mean\\|x̂−x\\| + mean(x̂−x)² + ${KL_WEIGHT_NOTE}·KL | mean\\|D(μ)−x\\| + mean(D(μ)−x)², encoder frozen | ε-prediction MSE weighted by Min-SNR-${BASE_MIN_SNR_GAMMA} (w_t = min(SNR_t, ${BASE_MIN_SNR_GAMMA})/SNR_t, Hang et al. 2023), DDPM scaled_linear β 0.00085–0.012, T = 1000 |
| batch | 8 | 8 | 16 |
| optimizer steps | ${s.vaeDone} of ${s.vaeSteps} planned | ${s.decoderDone ?? 0} of ${s.decoderSteps ?? 0} planned | ${s.unetDone} of ${s.unetSteps} planned |
| wall time (2 threads) | ${clock(s.vaeSeconds)} | ${clock(s.decoderSeconds ?? 0)} | ${clock(s.unetSeconds)} |
| loss, first 50 steps | ${mean(s.vaeLoss.slice(0, 50)).toFixed(4)} | ${mean((s.decoderLoss ?? []).slice(0, 50)).toFixed(4)} | ${mean(s.unetLoss.slice(0, 50)).toFixed(4)} |
| loss, last 100 steps | ${mean(s.vaeLoss.slice(-100)).toFixed(4)} | ${mean((s.decoderLoss ?? []).slice(-100)).toFixed(4)} | ${mean(s.unetLoss.slice(-100)).toFixed(4)} |

AdamW (β 0.9/0.999, weight decay 0.01, gradient clip 1), learning rate 1e-3 (stage A′: 5e-4) with 50 warm-up steps
and cosine decay to 10 % over the planned steps${s.unetDecayEnd !== undefined && s.unetDecayEnd < s.unetSteps ? ` (stage B: cosine to 10 % at step ${s.unetDecayEnd}, then constant at 10 %,
\`--unet-decay-end ${s.unetDecayEnd}\`)` : ''}. Stage A′ trains only the decoder on the frozen encoder's posterior
means, as SD's ft-MSE decoder was trained: the latent space (and so stage B) does not change.${s.objectWeight ? ` From stage B step
${s.objectWeightFrom ?? 0} the squared error is weighted ${1 + s.objectWeight}× on the latent cells an object covers (dilated by one
cell; 1 elsewhere: \`--object-weight ${s.objectWeight}\`, src/train/base/data.ts objectMap), so the few cells that carry an outline
outweigh the flat background; a deliberate deviation from SD's unweighted loss.` : ''} Wall time is the sum of the step times (data rendering, VAE encoding and
the fused forward+backward+update run), measured on this project's shared 2-core build machine.${c.stoppedEarly ? `

**Stopped early:** the run was interrupted at the time limit of the session; the shipped weights are the last
checkpoint (stage B step ${s.unetDone} of ${s.unetSteps}), so the cosine schedule never reached its end.` : ''}

![loss curve](loss_curve.png)

\`loss_curve.png\`: left stage A, right stage B; x = optimizer step, y = log10 loss (scaled to each panel's
range; dotted lines at powers of ten); grey = per-step loss, blue = 50-step moving mean.

## Samples
![samples](samples.png)

\`samples.png\`: rows = prompts, columns = seeds ${GRID_SEEDS.join(', ')}; ${SAMPLING.sampler}, ${SAMPLING.steps} steps, CFG ${SAMPLING.guidanceScale}, images ×2 nearest-neighbour.
${GRID_PROMPTS.map((p, i) => `${i + 1}. "${p}"${i === GRID_PROMPTS.length - 1 ? ' (a HELD_OUT pair: never seen in training)' : ''}`).join('\n')}

### What the samples show
<!-- observations -->

## Evaluator figures
${c.figures ? `src/eval's world evaluator (public/models/evaluator/) on the first ${c.figures.prompts} prompts of
${PROMPT_SET_NOTE}; ${c.figures.sampling.sampler} ${c.figures.sampling.steps} steps, CFG ${c.figures.sampling.guidanceScale}. The same numbers
as \`npm run eval:base -- --json --n ${c.figures.prompts}\` (tools/eval/baseFigures.ts); the ceiling columns score the rendered
scenes and their reconstructions through this model's VAE (\`--reconstructed\`: the most a perfect denoiser could show).

${figuresTable(c.figures)}` : 'Not measured (the evaluator was not available when this folder was exported).'}

## Limits
- Loading: the folder's tokenizer is a word list (\`tokenizer_class: "WordTokenizer"\`, no merges.txt);
  \`loadDiffusersFolder\` builds a WordTokenizer for it (checked: loads, 32 tokens, no unknown words).
- Only the world's vocabulary is known; other words become \`<unk>\` with a warning.
- ${SIZE_NOTE}.
`;
}
