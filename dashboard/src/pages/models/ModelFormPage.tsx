// /models/new, /models/new?clone=<id> and /models/<id>: the model form. Catalogue presets
// (GET /api/providers) prefill upstream id, prices, context window and tiers; the id follows
// `<provider>/<model>` until typed over. Shapes: docs/management-api.md "Model".
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { Model, ProviderInfo } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { CheckboxField, SelectField, TextField } from '../../components/Field';
import { LimitsEditor } from '../../components/LimitsEditor';
import { ErrorState, Loading, PageHeader } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { normalizeLimits, validateLimits } from '../../lib/limits';
import {
  CAPABILITIES, CAPABILITY_LABELS, applyPreset, changeProvider, changeUpstream, emptyModelForm, formToBody,
  modelFieldOf, modelToForm, validateModelForm, type ModelErrors, type ModelFormState,
} from '../../lib/modelForm';
import { placeServerError } from '../../lib/settingsErrors';
import { ApiKeyPanel } from './ApiKeyPanel';
import { TiersEditor } from './TiersEditor';
import './models.css';

interface Loaded { providers: ProviderInfo[]; model: Model | null }

export default function ModelFormPage() {
  const { id: routeId } = useParams();
  const [search] = useSearchParams();
  const cloneId = routeId ? null : search.get('clone');
  const sourceId = routeId ?? cloneId;
  const editing = !!routeId;

  const { data, error, loading, reload } = useApi<Loaded>(async (signal) => {
    const [providers, model] = await Promise.all([
      api.get<ProviderInfo[]>('/api/providers', undefined, signal),
      sourceId ? api.get<Model>(`/api/models/${encodeURIComponent(sourceId)}`, undefined, signal) : Promise.resolve(null),
    ]);
    return { providers, model };
  }, [sourceId]);

  const title = editing ? `Edit model ${routeId}` : cloneId ? `Clone model ${cloneId}` : 'Add model';
  return (
    <div className="model-form-page">
      <PageHeader title={title} actions={<Link className="btn" to="/models">Back to models</Link>} />
      {loading && !data ? <Loading /> : error ? <ErrorState error={error} onRetry={() => void reload()} /> : data ? (
        <ModelForm key={sourceId ?? 'new'} loaded={data} editingId={routeId ?? null} cloneId={cloneId} />
      ) : null}
    </div>
  );
}

function ModelForm({ loaded, editingId, cloneId }: { loaded: Loaded; editingId: string | null; cloneId: string | null }) {
  const { providers } = loaded;
  const creating = editingId === null;
  const { can } = useAuth();
  const readOnly = !can('model:write');
  const toast = useToast();
  const navigate = useNavigate();
  const [form, setForm] = useState<ModelFormState>(() =>
    loaded.model ? modelToForm(loaded.model, providers, !!cloneId) : emptyModelForm(providers[0]?.id ?? 'openai', providers));
  const [errors, setErrors] = useState<ModelErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const provider = providers.find((p) => p.id === form.provider);
  const presets = provider?.models ?? [];
  const set = (patch: Partial<ModelFormState>) => setForm((f) => ({ ...f, ...patch }));
  useEffect(() => setErrors({}), [form.provider]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validateModelForm(form, providers, creating);
    const limitsProblem = validateLimits(form.limits);
    if (limitsProblem) found.limits = limitsProblem;
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) {
      setFormError('Please correct the highlighted fields.');
      return;
    }
    const body = formToBody({ ...form, limits: normalizeLimits(form.limits) }, creating, cloneId ?? undefined);
    setSaving(true);
    try {
      const saved = creating
        ? await api.post<Model>('/api/models', body)
        : await api.put<Model>(`/api/models/${encodeURIComponent(editingId)}`, body);
      toast.success(creating ? `Model ${saved.id} added.` : `Model ${saved.id} saved.`);
      navigate('/models');
    } catch (err) {
      const placed = placeServerError(err, modelFieldOf);
      if (placed.field) setErrors({ [placed.field]: placed.message });
      setFormError(placed.field ? 'The server rejected a field; see below.' : placed.message);
      toast.error(err as Error);
    } finally {
      setSaving(false);
    }
  };

  const catalogueEndpoint = provider?.endpoint ?? '';
  return (
    <form className="model-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Model">
      {formError && <div className="form-error" role="alert">{formError}</div>}
      <fieldset disabled={readOnly}>
        <legend>Model</legend>
        <div className="row">
          <SelectField label="Provider" id="model-provider" value={form.provider} error={errors.provider}
            onChange={(e) => setForm((f) => changeProvider(f, e.target.value, providers))}>
            {providers.map((p) => <option key={p.id} value={p.id}>{p.id}</option>)}
          </SelectField>
          <SelectField label="Preset" id="model-preset" value={form.preset}
            hint={presets.length ? 'Prefills upstream id, prices and context window.' : 'No catalogue models for this provider.'}
            onChange={(e) => setForm((f) => applyPreset(f, e.target.value, providers))}>
            <option value="">Custom model</option>
            {presets.map((m) => <option key={m.id} value={m.id}>{m.id}{m.embedding ? ' (embedding)' : ''}</option>)}
          </SelectField>
        </div>
        <div className="row">
          <TextField label="Upstream model" id="model-upstream" value={form.upstreamModelId} error={errors.upstreamModelId}
            placeholder="gpt-4o-mini" hint="The model name sent to the provider."
            onChange={(e) => setForm((f) => changeUpstream(f, e.target.value))} />
          <TextField label="Model id" id="model-id" value={form.id} error={errors.id}
            hint={creating ? 'Generated as <provider>/<model>; you can change it.' : 'Renaming updates the projects and tokens that use it.'}
            onChange={(e) => set({ id: e.target.value, idEdited: e.target.value !== '' })} />
          <TextField label="Display name" id="model-name" value={form.name} error={errors.name}
            hint="Optional; defaults to the id." onChange={(e) => set({ name: e.target.value })} />
        </div>
      </fieldset>

      <fieldset disabled={readOnly}>
        <legend>Connection</legend>
        <TextField label="Endpoint" id="model-endpoint" value={form.endpoint} error={errors.endpoint}
          placeholder={catalogueEndpoint || 'https://api.example.com/v1'}
          hint={catalogueEndpoint ? `Leave empty for the provider default (${catalogueEndpoint}).` : 'Required for this provider.'}
          onChange={(e) => set({ endpoint: e.target.value })} />
        {!readOnly && (
          <TextField label="API key" id="model-apikey" type="password" autoComplete="new-password" value={form.apiKey}
            error={errors.apiKey}
            hint={creating
              ? cloneId ? `Leave empty to copy the key of ${cloneId}.` : 'Stored encrypted; never shown again.'
              : 'Leave empty to keep the stored key.'}
            onChange={(e) => set({ apiKey: e.target.value })} />
        )}
        <TextField label="Timeout (ms)" id="model-timeout" type="number" inputMode="numeric" min={1000} max={3600000}
          value={form.timeout} error={errors.timeout} hint="Optional, 1000–3600000."
          onChange={(e) => set({ timeout: e.target.value })} />
      </fieldset>
      {!creating && !readOnly && editingId && <ApiKeyPanel modelId={editingId} hasKey={!!loaded.model?.hasApiKey} />}

      <fieldset disabled={readOnly}>
        <legend>Pricing (USD per 1M tokens)</legend>
        <div className="row">
          <TextField label="Input price" id="model-input" type="number" min={0} step="any" inputMode="decimal"
            value={form.input} error={errors.input} onChange={(e) => set({ input: e.target.value })} />
          <TextField label="Output price" id="model-output" type="number" min={0} step="any" inputMode="decimal"
            value={form.output} error={errors.output} onChange={(e) => set({ output: e.target.value })} />
          <TextField label="Cache read price" id="model-cache" type="number" min={0} step="any" inputMode="decimal"
            value={form.cache} error={errors.cache} hint="Optional." onChange={(e) => set({ cache: e.target.value })} />
          <TextField label="Cache write price" id="model-cache-write" type="number" min={0} step="any" inputMode="decimal"
            value={form.cacheWrite} error={errors.cacheWrite} hint="Optional." onChange={(e) => set({ cacheWrite: e.target.value })} />
        </div>
        <TextField label="Context window (tokens)" id="model-context" type="number" min={1} step={1} inputMode="numeric"
          value={form.contextWindow} error={errors.contextWindow} hint="Optional."
          onChange={(e) => set({ contextWindow: e.target.value })} />
        <TiersEditor tiers={form.tiers} error={errors.tiers} readOnly={readOnly} onChange={(tiers) => set({ tiers })} />
      </fieldset>

      <fieldset disabled={readOnly}>
        <legend>Capabilities</legend>
        <div className="caps">
          {CAPABILITIES.map((c) => (
            <CheckboxField key={c} label={CAPABILITY_LABELS[c]} id={`model-cap-${c}`} checked={form.capabilities[c]}
              onChange={(e) => set({ capabilities: { ...form.capabilities, [c]: e.target.checked } })} />
          ))}
          <CheckboxField label="Embedding model" id="model-embedding" checked={form.embedding}
            onChange={(e) => set({ embedding: e.target.checked })} />
        </div>
        {errors.capabilities && <div className="field-error" role="alert">{errors.capabilities}</div>}
      </fieldset>

      <fieldset disabled={readOnly}>
        <legend>Global limits</legend>
        <p className="muted">Apply to every project that uses this model.</p>
        <LimitsEditor idPrefix="model-limits" value={form.limits} onChange={(limits) => set({ limits })} disabled={readOnly} />
        {errors.limits && <div className="field-error" role="alert">{errors.limits}</div>}
      </fieldset>

      <fieldset disabled={readOnly}>
        <legend>State</legend>
        <CheckboxField label="Enabled (routable)" id="model-enabled" checked={form.enabled}
          onChange={(e) => set({ enabled: e.target.checked })} />
      </fieldset>

      {!readOnly && (
        <div className="form-actions">
          <Link className="btn" to="/models">Cancel</Link>
          <button type="submit" className="btn btn-primary" disabled={saving}>{saving ? 'Saving…' : 'Save'}</button>
        </div>
      )}
    </form>
  );
}
