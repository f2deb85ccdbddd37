// Context-length pricing tiers of a model: above N context tokens, these prices apply.
import type { TierRow } from '../../lib/modelForm';
import { TextField } from '../../components/Field';

interface Props { tiers: TierRow[]; error?: string; readOnly: boolean; onChange: (tiers: TierRow[]) => void }

export function TiersEditor({ tiers, error, readOnly, onChange }: Props) {
  const update = (i: number, patch: Partial<TierRow>) => onChange(tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  return (
    <div className="tiers" role="group" aria-label="Pricing tiers">
      <h3>Pricing tiers</h3>
      {tiers.length === 0 && <p className="muted">No tiers: the prices above apply at every context length.</p>}
      {tiers.map((t, i) => (
        <div className="tier-row" key={i} role="group" aria-label={`Tier ${i + 1}`}>
          <TextField label="Above (context tokens)" id={`tier-${i}-above`} type="number" min={1} step={1} inputMode="numeric"
            value={t.above} onChange={(e) => update(i, { above: e.target.value })} />
          <TextField label="Input price" id={`tier-${i}-input`} type="number" min={0} step="any" inputMode="decimal"
            value={t.input} onChange={(e) => update(i, { input: e.target.value })} />
          <TextField label="Output price" id={`tier-${i}-output`} type="number" min={0} step="any" inputMode="decimal"
            value={t.output} onChange={(e) => update(i, { output: e.target.value })} />
          <TextField label="Cache price" id={`tier-${i}-cache`} type="number" min={0} step="any" inputMode="decimal"
            value={t.cache} onChange={(e) => update(i, { cache: e.target.value })} />
          {!readOnly && (
            <button type="button" className="btn btn-small btn-ghost" aria-label={`Remove tier ${i + 1}`}
              onClick={() => onChange(tiers.filter((_, j) => j !== i))}>Remove</button>
          )}
        </div>
      ))}
      {error && <div className="field-error" role="alert">{error}</div>}
      {!readOnly && (
        <button type="button" className="btn btn-small"
          onClick={() => onChange([...tiers, { above: '200000', input: '', output: '', cache: '' }])}>Add tier</button>
      )}
    </div>
  );
}
