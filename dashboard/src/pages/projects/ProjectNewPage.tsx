// Create a project (SPEC §10 `projects/new`): name, optional slug, candidate models, timeout.
// The answer carries the first token once; it is shown in a modal before going to the project.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, api } from '../../api/client';
import type { Model, Project } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { CheckboxField, TextField } from '../../components/Field';
import { Card, EmptyState, ErrorState, Loading, PageHeader } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { SLUG_RE, errorField, slugPreview } from '../../lib/project';
import { NewTokenModal } from './NewTokenModal';
import './projects.css';

interface Errors { name?: string; slug?: string; models?: string; timeoutMs?: string; form?: string }

export default function ProjectNewPage() {
  const navigate = useNavigate();
  const toast = useToast();
  const { can } = useAuth();
  const models = useApi<Model[]>((signal) => api.get<Model[]>('/api/models', undefined, signal), []);
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [timeout, setTimeoutText] = useState('30000');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ project: Project; token: string } | null>(null);

  if (!can('project:write')) {
    return (
      <>
        <PageHeader title="Create project" />
        <div className="card"><EmptyState title="You may not create projects">Ask an administrator for the project:write permission. <Link to="/projects">Back to projects</Link></EmptyState></div>
      </>
    );
  }

  const validate = (): Errors => {
    const e: Errors = {};
    if (!name.trim()) e.name = 'Enter a name';
    if (slug && !SLUG_RE.test(slug)) e.slug = 'Use 1–64 lowercase letters, digits and "-"';
    const t = Number(timeout);
    if (timeout.trim() && (!Number.isInteger(t) || t <= 0)) e.timeoutMs = 'Enter a whole number of milliseconds greater than 0';
    return e;
  };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const e = validate();
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    try {
      const body: Record<string, unknown> = { name: name.trim(), models: picked.map((modelId) => ({ modelId })) };
      if (slug) body.slug = slug;
      if (timeout.trim()) body.timeoutMs = Number(timeout);
      const res = await api.post<Project & { token?: string }>('/api/projects', body);
      toast.success(`Project "${res.name}" created`);
      if (res.token) setCreated({ project: res, token: res.token });
      else navigate(`/projects/${encodeURIComponent(res.id)}/general`);
    } catch (err) {
      const f = err instanceof ApiError ? errorField(err.message) : null;
      if (err instanceof ApiError && err.code === 'conflict') setErrors({ [/slug/i.test(err.message) ? 'slug' : 'name']: err.message });
      else if (f === 'name' || f === 'slug' || f === 'timeoutMs') setErrors({ [f]: err instanceof Error ? err.message : String(err) });
      else if (f?.startsWith('models')) setErrors({ models: (err as Error).message });
      else setErrors({ form: (err as Error).message });
      toast.error(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string, on: boolean) => setPicked((p) => (on ? [...p, id] : p.filter((x) => x !== id)));

  return (
    <>
      <p className="project-back"><Link to="/projects">← Projects</Link></p>
      <PageHeader title="Create project" />
      <form onSubmit={submit} noValidate>
        <Card>
          {errors.form && <div className="form-error" role="alert">{errors.form}</div>}
          <div className="grid grid-2">
            <TextField label="Name" name="name" value={name} required autoFocus error={errors.name}
              onChange={(e) => setName(e.target.value)} />
            <TextField label="Slug" name="slug" value={slug} error={errors.slug}
              hint={slug ? 'Used in project-scoped URLs' : `Optional; generated from the name${name ? ` (${slugPreview(name) || 'project'})` : ''}`}
              onChange={(e) => setSlug(e.target.value.toLowerCase())} />
          </div>
          <TextField label="Timeout (ms)" name="timeoutMs" type="number" min={1} step={1} value={timeout} error={errors.timeoutMs}
            hint="Per-attempt time to the upstream's response headers" onChange={(e) => setTimeoutText(e.target.value)} />
          <fieldset>
            <legend>Models</legend>
            {models.loading && !models.data ? <Loading label="Loading models…" /> : models.error ? <ErrorState error={models.error} onRetry={() => void models.reload()} /> : !models.data?.length ? (
              <p className="muted">No models yet. <Link to="/models/new">Add a model</Link> first, or add models to the project later.</p>
            ) : (
              <div className="project-models-pick">
                {models.data.map((m) => (
                  <CheckboxField key={m.id} label={m.id} checked={picked.includes(m.id)} onChange={(e) => toggle(m.id, e.target.checked)} />
                ))}
              </div>
            )}
            {errors.models && <div className="field-error" role="alert">{errors.models}</div>}
            <div className="field-hint">The candidate pool, in the order picked; reorder it later in the Routing tab.</div>
          </fieldset>
          <div className="form-actions">
            <Link className="btn" to="/projects">Cancel</Link>
            <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Creating…' : 'Create project'}</button>
          </div>
        </Card>
      </form>
      {created && (
        <NewTokenModal token={created.token} title="Project created" closeLabel="Go to project"
          onClose={() => navigate(`/projects/${encodeURIComponent(created.project.id)}/general`)} />
      )}
    </>
  );
}
