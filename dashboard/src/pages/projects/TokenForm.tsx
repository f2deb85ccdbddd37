// Create / edit a project token: name, labels, token-level limits with their mode, and
// optional per-model limit overrides (SPEC §6.2 replace / extend / disable).
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import type { Limit, LimitsMode, ProjectModel, TokenInfo } from '../../api/types';
import { SelectField, TextField } from '../../components/Field';
import { LimitsEditor } from '../../components/LimitsEditor';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/Toasts';
import { describeLimit, effectiveModelLimits, normalizeLimits, validateLimits } from '../../lib/limits';
import { errorField, parseLabels } from '../../lib/project';

export interface TokenBody { name?: string; labels: string[]; limits: Limit[]; limitsMode: LimitsMode; models: ProjectModel[] }

const MODES: { value: LimitsMode; label: string }[] = [
  { value: 'replace', label: 'Replace — these limits instead of the inherited ones' },
  { value: 'extend', label: 'Extend — these limits on top of the inherited ones' },
  { value: 'disable', label: 'Disable — no limits at this level' },
];

interface Errors { name?: string; limits?: string; models?: string; form?: string }

// `pool` = the project's model refs (with their project-level limits); `globalLimits` = each
// model's own limits when the caller may read models (for the effective-limit preview).
export function TokenForm({ token, pool: poolRefs, globalLimits, onSubmit, onClose }: {
  token?: TokenInfo; pool: ProjectModel[]; globalLimits?: Record<string, Limit[]>;
  onSubmit: (body: TokenBody) => Promise<void>; onClose: () => void;
}) {
  const pool = poolRefs.map((m) => m.modelId);
  const [name, setName] = useState(token?.name ?? '');
  const [labels, setLabels] = useState((token?.labels ?? []).join(', '));
  const [limitsMode, setLimitsMode] = useState<LimitsMode>(token?.limitsMode ?? 'replace');
  const [limits, setLimits] = useState<Limit[]>(normalizeLimits(token?.limits));
  const [models, setModels] = useState<ProjectModel[]>(() => (token?.models ?? []).map((m) => ({ modelId: m.modelId, limitsMode: m.limitsMode ?? 'replace', limits: normalizeLimits(m.limits) })));
  const [pick, setPick] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  const freeModels = pool.filter((m) => !models.some((x) => x.modelId === m));

  const submit = async (ev?: FormEvent) => {
    ev?.preventDefault();
    const e: Errors = {};
    const l = validateLimits(limits);
    if (l) e.limits = l;
    for (const m of models) {
      const err = validateLimits(m.limits ?? []);
      if (err) { e.models = `${m.modelId}: ${err}`; break; }
    }
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    try {
      await onSubmit({
        ...(name.trim() ? { name: name.trim() } : {}),
        labels: parseLabels(labels), limits: normalizeLimits(limits), limitsMode,
        models: models.map((m) => ({ modelId: m.modelId, limitsMode: m.limitsMode, limits: normalizeLimits(m.limits) })),
      });
    } catch (err) {
      const msg = (err as Error).message;
      const f = err instanceof ApiError ? errorField(msg) : null;
      if (f === 'name') setErrors({ name: msg });
      else if (f?.startsWith('limits')) setErrors({ limits: msg });
      else if (f?.startsWith('models')) setErrors({ models: msg });
      else setErrors({ form: msg });
      toast.error(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const updateModel = (i: number, patch: Partial<ProjectModel>) => setModels((l) => l.map((m, j) => (j === i ? { ...m, ...patch } : m)));

  return (
    <Modal wide title={token ? 'Edit token' : 'Create token'} onClose={onClose}
      footer={<>
        <button type="button" className="btn" onClick={onClose}>Cancel</button>
        <button type="submit" form="token-form" className="btn btn-primary" disabled={busy}>{busy ? 'Saving…' : token ? 'Save token' : 'Create token'}</button>
      </>}>
      <form id="token-form" onSubmit={submit} noValidate>
        {errors.form && <div className="form-error" role="alert">{errors.form}</div>}
        <div className="grid grid-2">
          <TextField label="Token name" name="tokenName" value={name} error={errors.name} hint="Optional, e.g. production" onChange={(e) => setName(e.target.value)} />
          <TextField label="Labels" name="labels" value={labels} hint="Comma-separated, e.g. prod, web" onChange={(e) => setLabels(e.target.value)} />
        </div>
        <fieldset>
          <legend>Token limits</legend>
          <SelectField label="Limits mode" name="limitsMode" value={limitsMode} onChange={(e) => setLimitsMode(e.target.value as LimitsMode)}
            hint="How these limits combine with the project's and models' limits">
            {MODES.map((m) => <option key={m.value} value={m.value}>{m.label}</option>)}
          </SelectField>
          {limitsMode !== 'disable' && <LimitsEditor idPrefix="token-limit" value={limits} onChange={setLimits} />}
          {errors.limits && <div className="field-error" role="alert">{errors.limits}</div>}
        </fieldset>
        <fieldset>
          <legend>Per-model limits (optional)</legend>
          {models.length === 0 && <p className="muted">No per-model overrides.</p>}
          {models.map((m, i) => (
            <div key={m.modelId} className="model-override" role="group" aria-label={`Limits for ${m.modelId}`}>
              <div className="model-override-head">
                <code>{m.modelId}</code>
                <button type="button" className="btn btn-small btn-ghost" aria-label={`Remove limits for ${m.modelId}`}
                  onClick={() => setModels((l) => l.filter((_, j) => j !== i))}>Remove override</button>
              </div>
              <SelectField id={`token-model-${i}-mode`} label={`Mode for ${m.modelId}`} value={m.limitsMode ?? 'replace'}
                onChange={(e) => updateModel(i, { limitsMode: e.target.value as LimitsMode })}>
                {MODES.map((x) => <option key={x.value} value={x.value}>{x.label}</option>)}
              </SelectField>
              {m.limitsMode !== 'disable' && <LimitsEditor idPrefix={`token-model-${i}-limit`} value={m.limits ?? []} onChange={(l) => updateModel(i, { limits: l })} />}
            </div>
          ))}
          {errors.models && <div className="field-error" role="alert">{errors.models}</div>}
          {freeModels.length > 0 && (
            <div className="row">
              <SelectField id="token-model-add" label="Model" value={pick} onChange={(e) => setPick(e.target.value)}>
                <option value="">Choose a project model…</option>
                {freeModels.map((m) => <option key={m} value={m}>{m}</option>)}
              </SelectField>
              <button type="button" className="btn" disabled={!pick} onClick={() => {
                setModels((l) => [...l, { modelId: pick, limitsMode: 'replace', limits: [] }]);
                setPick('');
              }}>Add model limits</button>
            </div>
          )}
        </fieldset>
        {pool.length > 0 && (
          <fieldset>
            <legend>Effective per-model limits</legend>
            <p className="field-hint">
              What applies to each model for this token: the model’s own limits{globalLimits ? '' : ' (not visible to you)'}, then the
              project’s per-model settings, then the overrides above. Project budgets and the token limits above apply on top.
            </p>
            <div className="table-wrap">
              <table className="table" data-testid="effective-limits">
                <thead><tr><th>Model</th><th>Limits</th></tr></thead>
                <tbody>
                  {poolRefs.map((ref) => {
                    const eff = effectiveModelLimits(globalLimits?.[ref.modelId], ref, models.find((m) => m.modelId === ref.modelId));
                    return (
                      <tr key={ref.modelId}>
                        <td><code>{ref.modelId}</code></td>
                        <td>{eff.length ? eff.map(describeLimit).join('; ') : <span className="muted">none</span>}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </fieldset>
        )}
      </form>
    </Modal>
  );
}
