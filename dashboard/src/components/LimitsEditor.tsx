// Editable list of usage limits (SPEC §6.1): each row is a metric, a window (calendar period or
// rolling amount + unit) and a value. Problems are shown inline; callers block saving with
// validateLimits() from lib/limits.
import { useId } from 'react';
import type { Limit, Metric, Period, RollingUnit } from '../api/types';
import { METRICS, PERIODS, ROLLING_UNITS, limitErrors, newLimit, withWindowType } from '../lib/limits';
import { SelectField, TextField } from './Field';
import './LimitsEditor.css';

interface Props { value: Limit[]; onChange: (l: Limit[]) => void; idPrefix?: string; disabled?: boolean }

function parseNumber(raw: string): number {
  return raw.trim() === '' ? Number.NaN : Number(raw);
}

function shown(n: number | undefined): number | string {
  return typeof n === 'number' && Number.isFinite(n) ? n : '';
}

export function LimitsEditor({ value, onChange, idPrefix, disabled }: Props) {
  const auto = useId();
  const prefix = idPrefix ?? `limits${auto.replace(/:/g, '')}`;
  const update = (i: number, patch: Partial<Limit> | ((l: Limit) => Limit)) => {
    onChange(value.map((l, j) => (j === i ? (typeof patch === 'function' ? patch(l) : { ...l, ...patch }) : l)));
  };
  return (
    <div className="limits-editor" data-testid={`${prefix}-editor`}>
      {value.length === 0 && <p className="muted limits-empty">No limits.</p>}
      {value.map((l, i) => {
        const err = limitErrors(l);
        const id = `${prefix}-${i}`;
        return (
          <div className="limits-row" key={i} role="group" aria-label={`Limit ${i + 1}`}>
            <SelectField id={`${id}-metric`} label="Metric" value={l.metric} disabled={disabled}
              onChange={(e) => update(i, { metric: e.target.value as Metric })}>
              {METRICS.map((m) => <option key={m.value} value={m.value}>{m.label}</option>)}
            </SelectField>
            <SelectField id={`${id}-window`} label="Window" value={l.windowType} disabled={disabled}
              onChange={(e) => update(i, (cur) => withWindowType(cur, e.target.value as Limit['windowType']))}>
              <option value="period">Calendar</option>
              <option value="rolling">Rolling</option>
            </SelectField>
            {l.windowType === 'period' ? (
              <SelectField id={`${id}-period`} label="Period" value={l.period ?? 'monthly'} disabled={disabled}
                onChange={(e) => update(i, { period: e.target.value as Period })}>
                {PERIODS.map((p) => <option key={p} value={p}>{p}</option>)}
              </SelectField>
            ) : (
              <>
                <TextField id={`${id}-amount`} label="Every" type="number" min={1} step={1} inputMode="numeric"
                  value={shown(l.rollingAmount)} error={err.rollingAmount} disabled={disabled}
                  onChange={(e) => update(i, { rollingAmount: parseNumber(e.target.value) })} />
                <SelectField id={`${id}-unit`} label="Unit" value={l.rollingUnit ?? 'day'} disabled={disabled}
                  onChange={(e) => update(i, { rollingUnit: e.target.value as RollingUnit })}>
                  {ROLLING_UNITS.map((u) => <option key={u} value={u}>{u}</option>)}
                </SelectField>
              </>
            )}
            <TextField id={`${id}-value`} label={l.metric === 'cost' ? 'Value (USD)' : 'Value'} type="number" min={0} step="any"
              inputMode="decimal" value={shown(l.value)} error={err.value} disabled={disabled}
              onChange={(e) => update(i, { value: parseNumber(e.target.value) })} />
            {!disabled && (
              <button type="button" className="btn btn-small btn-ghost limits-remove" aria-label={`Remove limit ${i + 1}`}
                onClick={() => onChange(value.filter((_, j) => j !== i))}>Remove</button>
            )}
          </div>
        );
      })}
      {!disabled && (
        <button type="button" className="btn btn-small" onClick={() => onChange([...value, newLimit()])}>Add limit</button>
      )}
    </div>
  );
}

export default LimitsEditor;
