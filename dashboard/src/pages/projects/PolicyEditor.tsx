// One policy of the routing stack: header (rank, enable, move, remove) and its config form —
// structured fields per type (lib/policies), intents for semantic-intent, and an "advanced
// config" JSON editor for anything else.
import { useEffect, useState, type HTMLAttributes } from 'react';
import type { Policy } from '../../api/types';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/Field';
import { type Intent, type PolicyField, cleanPolicies, getPath, intentsOf, parseConfigJson, policyInfo, setPath, toDraftPolicies } from '../../lib/policies';
import { moveItem } from '../../lib/project';

interface Props {
  policy: Policy;
  index: number;
  count: number;
  allModels: string[];      // every configured model id (routing models may be outside the pool)
  poolModels: string[];     // the project's target models (intent candidate models)
  errors: Record<string, string>;
  canWrite: boolean;
  onChange: (p: Policy) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
  dragProps?: HTMLAttributes<HTMLLIElement>;
  handleProps?: HTMLAttributes<HTMLSpanElement>;
  dropTarget?: boolean;
}

function numberValue(v: unknown): string | number {
  return typeof v === 'number' && Number.isFinite(v) ? v : '';
}

function OrderedModels({ id, label, value, options, error, hint, disabled, onChange }: {
  id: string; label: string; value: string[]; options: string[]; error?: string; hint?: string; disabled: boolean; onChange: (v: string[]) => void;
}) {
  const [pick, setPick] = useState('');
  const free = options.filter((o) => !value.includes(o));
  return (
    <div className={`field${error ? ' field-invalid' : ''}`} role="group" aria-labelledby={`${id}-label`}>
      <span className="checks-label" id={`${id}-label`}>{label}</span>
      {value.length === 0 ? <span className="muted">None</span> : (
        <ol className="ordered-picks">
          {value.map((m, i) => (
            <li key={m}>
              <code>{m}</code>
              {!disabled && <>
                <button type="button" className="btn btn-small" disabled={i === 0} aria-label={`Move ${m} up`} onClick={() => onChange(moveItem(value, i, i - 1))}>↑</button>
                <button type="button" className="btn btn-small" disabled={i === value.length - 1} aria-label={`Move ${m} down`} onClick={() => onChange(moveItem(value, i, i + 1))}>↓</button>
                <button type="button" className="btn btn-small btn-ghost" aria-label={`Remove ${m}`} onClick={() => onChange(value.filter((x) => x !== m))}>Remove</button>
              </>}
            </li>
          ))}
        </ol>
      )}
      {!disabled && free.length > 0 && (
        <div className="row">
          <SelectField id={`${id}-add`} label={`Add to ${label.toLowerCase()}`} value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">Choose a model…</option>
            {free.map((m) => <option key={m} value={m}>{m}</option>)}
          </SelectField>
          <button type="button" className="btn" disabled={!pick} onClick={() => { onChange([...value, pick]); setPick(''); }}>Add</button>
        </div>
      )}
      {error ? <div className="field-error" role="alert">{error}</div> : hint && <div className="field-hint">{hint}</div>}
    </div>
  );
}

function IntentsEditor({ id, intents, poolModels, error, disabled, onChange }: {
  id: string; intents: Intent[]; poolModels: string[]; error?: string; disabled: boolean; onChange: (i: Intent[]) => void;
}) {
  const update = (i: number, patch: Partial<Intent>) => onChange(intents.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const nextName = () => {
    let n = intents.length + 1;
    while (intents.some((x) => x.name === `intent-${n}`)) n++;
    return `intent-${n}`;
  };
  return (
    <div className="policy-subsection">
      <h4>Intents</h4>
      {intents.length === 0 && <p className="muted">No intents yet.</p>}
      {intents.map((intent, i) => {
        const models = [...poolModels, ...intent.candidate_models.filter((m) => !poolModels.includes(m))];
        return (
          <div className="intent" key={i} role="group" aria-label={`Intent ${i + 1}`}>
            <div className="row">
              <TextField id={`${id}-intent-${i}-name`} label="Intent name" value={intent.name} disabled={disabled}
                onChange={(e) => update(i, { name: e.target.value })} />
              {!disabled && <button type="button" className="btn btn-small btn-ghost" aria-label={`Remove intent ${intent.name || i + 1}`}
                onClick={() => onChange(intents.filter((_, j) => j !== i))}>Remove intent</button>}
            </div>
            <TextAreaField id={`${id}-intent-${i}-examples`} label="Examples (one per line)" value={intent.examples.join('\n')} disabled={disabled}
              rows={3} onChange={(e) => update(i, { examples: e.target.value.split('\n') })} />
            <span className="checks-label">Candidate models</span>
            {models.length === 0 ? <p className="muted">Add target models to the project first.</p> : (
              <div className="checks">
                {models.map((m) => (
                  <CheckboxField key={m} id={`${id}-intent-${i}-model-${m}`} label={m} disabled={disabled} checked={intent.candidate_models.includes(m)}
                    onChange={(e) => update(i, { candidate_models: e.target.checked ? [...intent.candidate_models, m] : intent.candidate_models.filter((x) => x !== m) })} />
                ))}
              </div>
            )}
          </div>
        );
      })}
      {error && <div className="field-error" role="alert">{error}</div>}
      {!disabled && <button type="button" className="btn btn-small" onClick={() => onChange([...intents, { name: nextName(), examples: [], candidate_models: [] }])}>Add intent</button>}
    </div>
  );
}

function AdvancedConfig({ id, policy, disabled, onApply }: { id: string; policy: Policy; disabled: boolean; onApply: (config: Record<string, unknown>) => void }) {
  const apiForm = () => JSON.stringify(cleanPolicies([policy])[0].config ?? {}, null, 2);
  const [text, setText] = useState(apiForm);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  // Follow the structured fields while the JSON is not being edited.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => { if (!open) setText(apiForm()); }, [policy, open]);
  return (
    <details className="policy-subsection" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Advanced config (JSON)</summary>
      <TextAreaField id={`${id}-json`} label="Config JSON" value={text} error={error} rows={8} disabled={disabled}
        spellCheck={false} onChange={(e) => { setText(e.target.value); setError(null); }} />
      {!disabled && (
        <button type="button" className="btn btn-small" onClick={() => {
          const r = parseConfigJson(text);
          if ('error' in r) { setError(r.error); return; }
          const [draft] = toDraftPolicies([{ type: policy.type, enabled: policy.enabled, config: r.config }]);
          onApply(draft.config ?? {});
        }}>Apply JSON</button>
      )}
    </details>
  );
}

export function PolicyEditor({ policy, index, count, allModels, poolModels, errors, canWrite, onChange, onMove, onRemove, dragProps, handleProps, dropTarget }: Props) {
  const info = policyInfo(policy.type);
  const config = policy.config ?? {};
  const id = `policy-${policy.type}`;
  const setKey = (key: string, value: unknown) => onChange({ ...policy, config: setPath(config, key, value) });
  const known = new Set([...(info?.fields.map((f) => f.key) ?? []), 'intents']);
  const other = Object.entries(errors).filter(([k]) => !known.has(k));

  const renderField = (f: PolicyField) => {
    const v = getPath(config, f.key);
    const fid = `${id}-${f.key.replace(/\./g, '-')}`;
    const err = errors[f.key];
    const label = f.required ? `${f.label} *` : f.label;
    switch (f.kind) {
      case 'number':
      case 'integer':
        return <TextField key={f.key} id={fid} label={label} type="number" step={f.kind === 'integer' ? 1 : 'any'} min={f.min} max={f.max}
          value={numberValue(v)} error={err} hint={f.hint} disabled={!canWrite}
          onChange={(e) => setKey(f.key, e.target.value.trim() === '' ? undefined : Number(e.target.value))} />;
      case 'boolean': {
        const checked = typeof v === 'boolean' ? v : getPath(info?.defaults, f.key) === true;
        return <CheckboxField key={f.key} id={fid} label={f.label} checked={checked} hint={err ?? f.hint} disabled={!canWrite}
          onChange={(e) => setKey(f.key, e.target.checked)} />;
      }
      case 'select':
        return (
          <SelectField key={f.key} id={fid} label={label} value={typeof v === 'string' ? v : ''} error={err} hint={f.hint} disabled={!canWrite}
            onChange={(e) => setKey(f.key, e.target.value || undefined)}>
            {!f.required || typeof v !== 'string' ? <option value="">{f.required ? 'Choose…' : '(default)'}</option> : null}
            {f.options?.map((o) => <option key={o} value={o}>{o}</option>)}
          </SelectField>
        );
      case 'model': {
        const cur = typeof v === 'string' ? v : '';
        const opts = cur && !allModels.includes(cur) ? [cur, ...allModels] : allModels;
        return (
          <SelectField key={f.key} id={fid} label={label} value={cur} error={err} hint={f.hint} disabled={!canWrite}
            onChange={(e) => setKey(f.key, e.target.value)}>
            <option value="">Choose a model…</option>
            {opts.map((m) => <option key={m} value={m}>{m}</option>)}
          </SelectField>
        );
      }
      case 'models':
        return <OrderedModels key={f.key} id={fid} label={f.label} value={Array.isArray(v) ? (v as string[]) : []} error={err} hint={f.hint}
          options={allModels} disabled={!canWrite} onChange={(list) => setKey(f.key, list)} />;
      case 'text':
        return <TextAreaField key={f.key} id={fid} label={label} value={typeof v === 'string' ? v : ''} error={err} hint={f.hint} disabled={!canWrite}
          rows={3} onChange={(e) => setKey(f.key, e.target.value)} />;
      default:
        return <TextField key={f.key} id={fid} label={label} type={f.kind === 'secret' ? 'password' : 'text'} autoComplete="off"
          placeholder={f.placeholder} value={typeof v === 'string' ? v : ''} error={err} hint={f.hint} disabled={!canWrite}
          onChange={(e) => setKey(f.key, e.target.value)} />;
    }
  };

  const fields = info?.fields.filter((f) => !f.visible || f.visible(config)) ?? [];
  const simple = fields.filter((f) => f.kind !== 'models' && f.kind !== 'text');
  const wide = fields.filter((f) => f.kind === 'models' || f.kind === 'text');
  const hasErrors = Object.keys(errors).length > 0;

  return (
    <li className={`policy-item${policy.enabled ? '' : ' disabled'}${hasErrors ? ' has-error' : ''}${dropTarget ? ' drop-target' : ''}`}
      data-testid={`policy-${policy.type}`} {...dragProps}>
      <div className="policy-head">
        <span className="policy-rank" title="Position (first = highest weight)" {...handleProps}>{index + 1}</span>
        <h3>{info?.label ?? policy.type}</h3>
        <code className="muted">{policy.type}</code>
        <div className="policy-actions">
          <CheckboxField id={`${id}-enabled`} label="Enabled" checked={policy.enabled} disabled={!canWrite}
            onChange={(e) => onChange({ ...policy, enabled: e.target.checked })} />
          {canWrite && <>
            <button type="button" className="btn btn-small" disabled={index === 0} aria-label={`Move ${policy.type} up`} onClick={() => onMove(index - 1)}>Move up</button>
            <button type="button" className="btn btn-small" disabled={index === count - 1} aria-label={`Move ${policy.type} down`} onClick={() => onMove(index + 1)}>Move down</button>
            <button type="button" className="btn btn-small btn-danger" aria-label={`Remove ${policy.type} policy`} onClick={onRemove}>Remove</button>
          </>}
        </div>
      </div>
      {info && <p className="policy-desc">{info.description}</p>}
      {errors.type && <div className="form-error" role="alert">{errors.type}</div>}
      {other.filter(([k]) => k !== 'type').map(([k, m]) => <div key={k} className="form-error" role="alert">{m}</div>)}
      {fields.length === 0 && policy.type !== 'semantic-intent' ? <p className="muted">No configuration.</p> : (
        <>
          {simple.length > 0 && <div className="policy-fields">{simple.map(renderField)}</div>}
          {wide.map(renderField)}
        </>
      )}
      {policy.type === 'semantic-intent' && (
        <IntentsEditor id={id} intents={intentsOf(config)} poolModels={poolModels} error={errors.intents} disabled={!canWrite}
          onChange={(list) => setKey('intents', list)} />
      )}
      {(fields.length > 0 || Object.keys(config).length > 0) && (
        <AdvancedConfig id={id} policy={policy} disabled={!canWrite} onApply={(c) => onChange({ ...policy, config: c })} />
      )}
    </li>
  );
}
