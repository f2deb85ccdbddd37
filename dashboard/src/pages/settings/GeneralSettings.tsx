// Settings → General: the server-wide keys of PUT /api/settings (src/config/settings.cpp) and
// the global budgets.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { Limit, Settings } from '../../api/types';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/Field';
import { LimitsEditor } from '../../components/LimitsEditor';
import { Card, ErrorState, Loading } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { normalizeLimits, validateLimits } from '../../lib/limits';
import { placeServerError } from '../../lib/settingsErrors';
import {
  LOG_LEVELS, UPDATE_CHANNELS, generalFieldOf, generalToBody, settingsToGeneral, validateGeneral,
  type GeneralErrors, type GeneralForm,
} from '../../lib/settingsForm';

export function GeneralSettings() {
  const { data, error, loading, reload, setData } = useApi((signal) => api.get<Settings>('/api/settings', undefined, signal), []);
  if (loading && !data) return <Loading />;
  if (error && !data) return <ErrorState error={error} onRetry={() => void reload()} />;
  if (!data) return null;
  return (
    <div className="grid">
      <GeneralCard settings={data} onSaved={setData} />
      <BudgetsCard settings={data} onSaved={setData} />
    </div>
  );
}

function GeneralCard({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const toast = useToast();
  const [form, setForm] = useState<GeneralForm>(() => settingsToGeneral(settings));
  const [errors, setErrors] = useState<GeneralErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<GeneralForm>) => setForm((f) => ({ ...f, ...patch }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validateGeneral(form);
    setErrors(found);
    setFormError(Object.keys(found).length ? 'Please correct the highlighted fields.' : null);
    if (Object.keys(found).length) return;
    setSaving(true);
    try {
      const saved = await api.put<Settings>('/api/settings', generalToBody(form));
      onSaved(saved);
      setForm(settingsToGeneral(saved));
      toast.success('Settings saved.');
    } catch (err) {
      const placed = placeServerError(err, generalFieldOf);
      if (placed.field) setErrors({ [placed.field]: placed.message });
      setFormError(placed.field ? 'The server rejected a field; see below.' : placed.message);
      toast.error(err as Error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title="General">
      <form className="settings-form" onSubmit={(e) => void submit(e)} noValidate aria-label="General settings">
        {formError && <div className="form-error" role="alert">{formError}</div>}
        <TextField label="Public URL" id="settings-public-url" value={form.publicUrl} error={errors.publicUrl}
          hint="Base of the connection snippets (the API is at this URL + /v1)." onChange={(e) => set({ publicUrl: e.target.value })} />
        <div className="row">
          <SelectField label="Log level" id="settings-log-level" value={form.logLevel} error={errors.logLevel}
            hint="Applies after a restart." onChange={(e) => set({ logLevel: e.target.value })}>
            {LOG_LEVELS.map((l) => <option key={l} value={l}>{l}</option>)}
          </SelectField>
          <TextField label="Default timeout (ms)" id="settings-timeout" type="number" min={1000} max={3600000} inputMode="numeric"
            value={form.defaultTimeoutMs} error={errors.defaultTimeoutMs} onChange={(e) => set({ defaultTimeoutMs: e.target.value })} />
          <SelectField label="Update channel" id="settings-channel" value={form.channel} error={errors.channel}
            onChange={(e) => set({ channel: e.target.value })}>
            {[...new Set([...UPDATE_CHANNELS, form.channel])].map((c) => <option key={c} value={c}>{c}</option>)}
          </SelectField>
        </div>
        <TextAreaField label="CORS origins" id="settings-cors" rows={3} value={form.corsOrigins} error={errors.corsOrigins}
          hint='One per line; "*" allows every origin.' onChange={(e) => set({ corsOrigins: e.target.value })} />
        <div className="row">
          <TextField label="Budget alert threshold (%)" id="settings-threshold" type="number" min={1} max={100} inputMode="numeric"
            value={form.budgetAlertThreshold} error={errors.budgetAlertThreshold}
            hint="Notify when a budget reaches this share." onChange={(e) => set({ budgetAlertThreshold: e.target.value })} />
          <TextField label="Usage retention (days)" id="settings-retention" type="number" min={1} max={3650} inputMode="numeric"
            value={form.retentionDays} error={errors.retentionDays} placeholder="Keep forever"
            hint="Empty keeps usage records forever." onChange={(e) => set({ retentionDays: e.target.value })} />
          <TextField label="Max request body (bytes)" id="settings-max-body" type="number" min={1024} max={268435456} inputMode="numeric"
            value={form.maxBodyBytes} error={errors.maxBodyBytes} onChange={(e) => set({ maxBodyBytes: e.target.value })} />
        </div>
        <CheckboxField label="Dashboard enabled" id="settings-dashboard" checked={form.dashboardEnabled}
          hint="Turning it off hides this dashboard after the next restart; the API and CLI keep working."
          onChange={(e) => set({ dashboardEnabled: e.target.checked })} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => { setForm(settingsToGeneral(settings)); setErrors({}); setFormError(null); }}>Reset</button>
          <button type="submit" className="btn btn-primary" disabled={saving}>{saving ? 'Saving…' : 'Save'}</button>
        </div>
      </form>
    </Card>
  );
}

function BudgetsCard({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const toast = useToast();
  const [limits, setLimits] = useState<Limit[]>(() => normalizeLimits(settings.budgets as Limit[] | undefined));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    const problem = validateLimits(limits);
    setError(problem);
    if (problem) return;
    setSaving(true);
    try {
      const saved = await api.put<Settings>('/api/settings', { budgets: normalizeLimits(limits) });
      onSaved(saved);
      setLimits(normalizeLimits(saved.budgets as Limit[] | undefined));
      toast.success('Global budgets saved.');
    } catch (err) {
      setError((err as Error).message);
      toast.error(err as Error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title="Global budgets">
      <p className="muted">Limits on all traffic through this Routerly, whatever the project.</p>
      <LimitsEditor idPrefix="global-budgets" value={limits} onChange={setLimits} />
      {error && <div className="field-error" role="alert">{error}</div>}
      <div className="form-actions">
        <button type="button" className="btn btn-primary" disabled={saving} onClick={() => void save()}>
          {saving ? 'Saving…' : 'Update budgets'}
        </button>
      </div>
    </Card>
  );
}
