// A labelled number input that reports only finite values within [min, max]. Display and input only.
// Every field has a label.
type Props = { label: string; value: number; min: number; max: number; step?: number; onChange(v: number): void; disabled?: boolean };

export function NumberField({ label, value, min, max, step = 1, onChange, disabled }: Props) {
  return (
    <label>
      {label}
      <input
        type="number"
        value={value}
        min={min}
        max={max}
        step={step}
        disabled={disabled}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (e.target.value !== '' && Number.isFinite(v)) onChange(Math.min(max, Math.max(min, v)));
        }}
      />
    </label>
  );
}
