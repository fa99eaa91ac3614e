// Training option "K/V as LoRA, rank r" (TrainSettings.kvLoraRank → DisenDiffConfig.kvLora, src/train/graphs/kvLora.ts):
// off by default (released DisenDiff trains the full K/V); on, the rank starts at KV_LORA_DEFAULT_RANK.
// Reference: docs/lora-training.md.
import { KV_LORA_DEFAULT_RANK, TRAINING_LIMITS as TL } from '../../state/index';
import { useStudio, useStudioStore } from '../hooks/useStudio';
import { NumberField } from './NumberField';

export function KvLoraOption() {
  const s = useStudioStore().getState();
  const rank = useStudio((st) => st.training.settings.kvLoraRank);
  return (
    <div className="options">
      <label className="inline" title="Learn each cross-attention K/V update as two rank-r LoRA factors (W0 + up·down) instead of full matrices. Not the released method.">
        <input type="checkbox" checked={rank !== undefined} onChange={(e) => s.updateTraining({ kvLoraRank: e.target.checked ? KV_LORA_DEFAULT_RANK : undefined })} />
        K/V as LoRA, rank r
      </label>
      {rank !== undefined && <NumberField label="LoRA rank" value={rank} min={TL.kvLoraRank.min} max={TL.kvLoraRank.max} onChange={(v) => s.updateTraining({ kvLoraRank: v })} />}
      <p className="hint">Low-rank K/V updates: a pack about r/width the size (SD 1.5, r 16: 4%), exported as a kohya LoRA.</p>
    </div>
  );
}
