// A labelled number input that reports only finite values within [min, max]; `help` is its tooltip (what the value
// does). Display and input only. Every field has a label.
type Props = { label: string; value: number; min: number; max: number; step?: number; onChange(v: number): void; disabled?: boolean; help?: string };

export function NumberField({ label, value, min, max, step = 1, onChange, disabled, help }: Props) {
  return (
    <label title={help}>
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
