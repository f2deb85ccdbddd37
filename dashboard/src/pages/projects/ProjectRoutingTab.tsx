// Routing tab (SPEC §10 `projects/{id}/routing`): the ordered policy stack with per-policy
// config, and the ordered target models with their routing prompt hints. Nothing is stored
// until Save, which PUTs {policies, models}; server validation errors land next to the field.
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../../api/client';
import type { Model, Policy, Project, ProjectModel } from '../../api/types';
import { useConfirm } from '../../components/Confirm';
import { SelectField, TextAreaField } from '../../components/Field';
import { Badge, Card, EmptyState } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { type PolicyType, availableTypes, cleanPolicies, newPolicy, policyInfo, toDraftPolicies, validatePolicies } from '../../lib/policies';
import { type RoutingErrorTarget, moveItem, routingErrorTarget } from '../../lib/project';
import { PolicyEditor } from './PolicyEditor';
import { useProjectContext } from './ProjectLayout';
import { useDragReorder } from './useDragReorder';

function toServerError(err: unknown): RoutingErrorTarget {
  const message = (err as Error).message;
  return err instanceof ApiError && err.code === 'validation_error' ? routingErrorTarget(message) : { list: 'form', index: -1, key: '', message };
}

function sameJson(a: unknown, b: unknown) {
  return JSON.stringify(a) === JSON.stringify(b);
}

export default function ProjectRoutingTab() {
  const { project, setProject, canWrite } = useProjectContext();
  const toast = useToast();
  const confirm = useConfirm();
  const modelsApi = useApi<Model[]>((signal) => api.get<Model[]>('/api/models', undefined, signal), []);
  const [policies, setPolicies] = useState<Policy[]>(() => toDraftPolicies(project.policies));
  const [targets, setTargets] = useState<ProjectModel[]>(() => project.models ?? []);
  const [showErrors, setShowErrors] = useState(false);
  const [serverError, setServerError] = useState<RoutingErrorTarget | null>(null);
  const [addType, setAddType] = useState('');
  const [addModel, setAddModel] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setPolicies(toDraftPolicies(project.policies));
    setTargets(project.models ?? []);
    setShowErrors(false);
    setServerError(null);
  }, [project]);

  const allModels = useMemo(() => {
    const ids = (modelsApi.data ?? []).map((m) => m.id);
    for (const t of targets) if (!ids.includes(t.modelId)) ids.push(t.modelId);
    return ids;
  }, [modelsApi.data, targets]);
  const pool = targets.map((t) => t.modelId);
  const localErrors = useMemo(() => validatePolicies(policies), [policies]);
  const dirty = !sameJson(cleanPolicies(policies), cleanPolicies(toDraftPolicies(project.policies))) || !sameJson(targets, project.models ?? []);
  const free = availableTypes(policies);
  const freeModels = allModels.filter((m) => !pool.includes(m));

  const policyErrors = (i: number): Record<string, string> => {
    const out = { ...(showErrors ? localErrors[i] ?? {} : {}) };
    if (serverError?.list === 'policies' && serverError.index === i) out[serverError.key] = serverError.message;
    return out;
  };

  const edit = (fn: () => void) => { fn(); setServerError(null); };
  const policyDrag = useDragReorder(canWrite, (from, to) => edit(() => setPolicies((list) => moveItem(list, from, to))));
  const targetDrag = useDragReorder(canWrite, (from, to) => edit(() => setTargets((list) => moveItem(list, from, to))));

  const removePolicy = async (i: number) => {
    const p = policies[i];
    const ok = await confirm({ title: 'Remove policy', message: `Remove the "${policyInfo(p.type)?.label ?? p.type}" policy? Its settings are lost when you save.`, confirmLabel: 'Remove' });
    if (ok) edit(() => setPolicies((list) => list.filter((_, j) => j !== i)));
  };
  const removeTarget = async (i: number) => {
    const t = targets[i];
    const ok = await confirm({ title: 'Remove model', message: `Remove "${t.modelId}" from this project's target models? Takes effect when you save.`, confirmLabel: 'Remove' });
    if (ok) edit(() => setTargets((list) => list.filter((_, j) => j !== i)));
  };

  const save = async () => {
    setShowErrors(true);
    if (Object.keys(localErrors).length) {
      toast.error('Fix the highlighted policy settings before saving');
      return;
    }
    setBusy(true);
    setServerError(null);
    try {
      const models = targets.map((t) => {
        const out: ProjectModel = { modelId: t.modelId };
        if (t.prompt?.trim()) out.prompt = t.prompt.trim();
        if (t.limitsMode) out.limitsMode = t.limitsMode;
        if (t.limits) out.limits = t.limits;
        return out;
      });
      const updated = await api.put<Project>(`/api/projects/${encodeURIComponent(project.id)}`, { policies: cleanPolicies(policies), models });
      setProject(updated);
      toast.success('Routing saved');
    } catch (err) {
      setServerError(toServerError(err));
      toast.error(err as Error);
    } finally {
      setBusy(false);
    }
  };

  // One form (Enter in a field saves, and the API-key fields belong to a form as browsers expect).
  return (
    <form noValidate onSubmit={(e) => { e.preventDefault(); void save(); }}>
      {serverError?.list === 'form' && <div className="form-error" role="alert">{serverError.message}</div>}
      <Card title="Policies" actions={dirty ? <Badge tone="warning">Unsaved changes</Badge> : undefined}>
        <p className="muted">
          Enabled policies score every target model; the first policy weighs most. With a single target model no policy runs.
        </p>
        {policies.length === 0 ? (
          <EmptyState title="No policies">Without policies, models are tried in the target order below.</EmptyState>
        ) : (
          <ol className="policy-list" aria-label="Policy stack">
            {policies.map((p, i) => (
              <PolicyEditor key={p.type} policy={p} index={i} count={policies.length} allModels={allModels} poolModels={pool}
                errors={policyErrors(i)} canWrite={canWrite}
                onChange={(np) => edit(() => setPolicies((list) => list.map((x, j) => (j === i ? np : x))))}
                onMove={(to) => edit(() => setPolicies((list) => moveItem(list, i, to)))}
                onRemove={() => void removePolicy(i)} dragProps={policyDrag.itemProps(i)} handleProps={policyDrag.handleProps(i)} dropTarget={policyDrag.isOver(i)} />
            ))}
          </ol>
        )}
        {canWrite && free.length > 0 && (
          <div className="row">
            <SelectField id="add-policy-type" label="Policy type" value={addType} onChange={(e) => setAddType(e.target.value)}
              hint={addType ? policyInfo(addType)?.description : undefined}>
              <option value="">Choose a policy…</option>
              {free.map((p) => <option key={p.type} value={p.type}>{p.label} ({p.type})</option>)}
            </SelectField>
            <button type="button" className="btn" disabled={!addType} onClick={() => {
              edit(() => setPolicies((list) => [...list, newPolicy(addType as PolicyType)]));
              setAddType('');
            }}>Add policy</button>
          </div>
        )}
      </Card>

      <Card title="Target models">
        <p className="muted">The candidate pool, in order (order breaks ties). The prompt hint guides the LLM router only; it is never sent to the model.</p>
        {targets.length === 0 ? (
          <EmptyState title="No target models">Requests to this project fail until it has at least one model.</EmptyState>
        ) : (
          <ol className="target-list" aria-label="Target models">
            {targets.map((t, i) => {
              const err = serverError?.list === 'models' && serverError.index === i ? serverError.message : null;
              const known = !modelsApi.data || modelsApi.data.some((m) => m.id === t.modelId);
              return (
                <li key={t.modelId} className={`target-item${err ? ' has-error' : ''}${targetDrag.isOver(i) ? ' drop-target' : ''}`}
                  data-testid={`target-${t.modelId}`} {...targetDrag.itemProps(i)}>
                  <div className="target-head">
                    <span className="policy-rank" {...targetDrag.handleProps(i)}>{i + 1}</span>
                    <h3><code>{t.modelId}</code></h3>
                    {!known && <Badge tone="error">unknown model</Badge>}
                    {t.limits?.length ? <Badge tone="info">{t.limits.length} limit{t.limits.length === 1 ? '' : 's'} ({t.limitsMode ?? 'replace'})</Badge> : null}
                    {canWrite && (
                      <div className="policy-actions">
                        <button type="button" className="btn btn-small" disabled={i === 0} aria-label={`Move ${t.modelId} up`} onClick={() => edit(() => setTargets((l) => moveItem(l, i, i - 1)))}>Move up</button>
                        <button type="button" className="btn btn-small" disabled={i === targets.length - 1} aria-label={`Move ${t.modelId} down`} onClick={() => edit(() => setTargets((l) => moveItem(l, i, i + 1)))}>Move down</button>
                        <button type="button" className="btn btn-small btn-danger" aria-label={`Remove model ${t.modelId}`} onClick={() => void removeTarget(i)}>Remove</button>
                      </div>
                    )}
                  </div>
                  <TextAreaField id={`target-${i}-prompt`} label={`Prompt hint for ${t.modelId}`} value={t.prompt ?? ''} rows={2} disabled={!canWrite}
                    error={err} placeholder="e.g. Best for code and long reasoning"
                    onChange={(e) => edit(() => setTargets((l) => l.map((x, j) => (j === i ? { ...x, prompt: e.target.value } : x))))} />
                </li>
              );
            })}
          </ol>
        )}
        {canWrite && (modelsApi.error ? (
          <p className="muted">Could not load the model list ({modelsApi.error.message}).</p>
        ) : freeModels.length > 0 ? (
          <div className="row">
            <SelectField id="add-target-model" label="Model to add" value={addModel} onChange={(e) => setAddModel(e.target.value)}>
              <option value="">Choose a model…</option>
              {freeModels.map((m) => <option key={m} value={m}>{m}</option>)}
            </SelectField>
            <button type="button" className="btn" disabled={!addModel} onClick={() => {
              edit(() => setTargets((l) => [...l, { modelId: addModel }]));
              setAddModel('');
            }}>Add model</button>
          </div>
        ) : modelsApi.data && modelsApi.data.length === 0 ? (
          <p className="muted">No models configured yet. <Link to="/models/new">Add a model</Link>.</p>
        ) : null)}
      </Card>

      {canWrite && (
        <div className="form-actions sticky-actions">
          <button type="button" className="btn" disabled={!dirty || busy} onClick={() => {
            setPolicies(toDraftPolicies(project.policies)); setTargets(project.models ?? []); setServerError(null); setShowErrors(false);
          }}>Discard changes</button>
          <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Saving…' : 'Save'}</button>
        </div>
      )}
    </form>
  );
}
