// General tab: name, slug, timeout and project budgets (PUT partial), plus the connection
// snippet (base URL + a masked token) for the OpenAI and Anthropic SDKs.
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, api } from '../../api/client';
import type { Limit, Project, SystemInfo } from '../../api/types';
import { useConfirm } from '../../components/Confirm';
import { CopyButton } from '../../components/CopyButton';
import { TextField } from '../../components/Field';
import { LimitsEditor } from '../../components/LimitsEditor';
import { Card } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { describeLimit, normalizeLimits, validateLimits } from '../../lib/limits';
import { SLUG_RE, anthropicSnippet, curlSnippet, errorField, maskedToken, openAiSnippet } from '../../lib/project';
import { useProjectContext } from './ProjectLayout';

interface Errors { name?: string; slug?: string; timeoutMs?: string; budgets?: string; form?: string }

function baseUrlFrom(info: SystemInfo | undefined): string {
  const pub = info?.publicUrl;
  const root = typeof pub === 'string' && /^https?:\/\//.test(pub) ? pub : window.location.origin;
  return `${root.replace(/\/+$/, '')}/v1`;
}

function Snippet({ title, code }: { title: string; code: string }) {
  return (
    <div className="snippet-block">
      <div className="card-header"><h3>{title}</h3><CopyButton value={code} label={`Copy ${title}`} /></div>
      <pre><code>{code}</code></pre>
    </div>
  );
}

export default function ProjectGeneralTab() {
  const { project, setProject, canWrite, canAdmin } = useProjectContext();
  const toast = useToast();
  const confirm = useConfirm();
  const navigate = useNavigate();
  const info = useApi<SystemInfo>((signal) => api.get<SystemInfo>('/api/system/info', undefined, signal), []);
  const [name, setName] = useState(project.name);
  const [slug, setSlug] = useState(project.slug);
  const [timeout, setTimeoutText] = useState(project.timeoutMs ? String(project.timeoutMs) : '');
  const [budgets, setBudgets] = useState<Limit[]>(normalizeLimits(project.budgets));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setName(project.name);
    setSlug(project.slug);
    setTimeoutText(project.timeoutMs ? String(project.timeoutMs) : '');
    setBudgets(normalizeLimits(project.budgets));
  }, [project]);

  const save = async (ev: FormEvent) => {
    ev.preventDefault();
    const e: Errors = {};
    if (!name.trim()) e.name = 'Enter a name';
    if (!SLUG_RE.test(slug)) e.slug = 'Use 1–64 lowercase letters, digits and "-"';
    const t = Number(timeout);
    if (timeout.trim() && (!Number.isInteger(t) || t <= 0)) e.timeoutMs = 'Enter a whole number of milliseconds greater than 0';
    const b = validateLimits(budgets);
    if (b) e.budgets = b;
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    try {
      const body: Record<string, unknown> = { name: name.trim(), slug, budgets: normalizeLimits(budgets) };
      if (timeout.trim()) body.timeoutMs = t;
      const updated = await api.put<Project>(`/api/projects/${encodeURIComponent(project.id)}`, body);
      setProject(updated);
      toast.success('Project saved');
    } catch (err) {
      const msg = (err as Error).message;
      const f = err instanceof ApiError ? errorField(msg) : null;
      if (err instanceof ApiError && err.code === 'conflict') setErrors({ [/slug/i.test(msg) ? 'slug' : 'name']: msg });
      else if (f === 'name' || f === 'slug' || f === 'timeoutMs') setErrors({ [f]: msg });
      else if (f?.startsWith('budgets')) setErrors({ budgets: msg });
      else setErrors({ form: msg });
      toast.error(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    const ok = await confirm({ title: 'Delete project', message: `Delete project "${project.name}"? Its tokens stop working at once. Usage records are kept.`, confirmLabel: 'Delete' });
    if (!ok) return;
    try {
      await api.del(`/api/projects/${encodeURIComponent(project.id)}`);
      toast.success(`Project "${project.name}" deleted`);
      navigate('/projects');
    } catch (err) {
      toast.error(err as Error);
    }
  };

  const baseUrl = baseUrlFrom(info.data);
  const token = maskedToken(project.tokens?.[0]?.tokenSnippet);

  return (
    <div className="grid grid-2">
      <div>
        <form onSubmit={save} noValidate>
          <Card title="Settings">
            {errors.form && <div className="form-error" role="alert">{errors.form}</div>}
            <TextField label="Name" name="name" value={name} error={errors.name} disabled={!canWrite} onChange={(e) => setName(e.target.value)} />
            <TextField label="Slug" name="slug" value={slug} error={errors.slug} disabled={!canWrite}
              hint={<>Project-scoped URL: <code>/projects/{slug || '…'}/v1</code></>} onChange={(e) => setSlug(e.target.value.toLowerCase())} />
            <TextField label="Timeout (ms)" name="timeoutMs" type="number" min={1} step={1} value={timeout} error={errors.timeoutMs}
              disabled={!canWrite} hint="Per attempt, unless the model sets its own; empty = the global default"
              onChange={(e) => setTimeoutText(e.target.value)} />
            <fieldset>
              <legend>Budgets</legend>
              <p className="field-hint">Limits on all of this project’s traffic, across every model (calendar windows in UTC).</p>
              {canWrite ? <LimitsEditor idPrefix="budget" value={budgets} onChange={setBudgets} /> : budgets.length ? (
                <ul>{budgets.map((l, i) => <li key={i}>{describeLimit(l)}</li>)}</ul>
              ) : <p className="muted">No budgets.</p>}
              {errors.budgets && <div className="field-error" role="alert">{errors.budgets}</div>}
            </fieldset>
            {canWrite && (
              <div className="form-actions">
                <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Saving…' : 'Save'}</button>
              </div>
            )}
          </Card>
        </form>
        {canAdmin && (
          <Card title="Danger zone">
            <p className="muted">Deleting the project revokes all of its tokens. Usage records are kept.</p>
            <button type="button" className="btn btn-danger" onClick={() => void remove()}>Delete project</button>
          </Card>
        )}
      </div>
      <Card title="Connect">
        <p className="muted">
          Point an OpenAI- or Anthropic-compatible client at this base URL with a project token
          {project.tokens?.length ? ' (shown masked; the full value was shown once when created)' : ''}. <Link to="../tokens">Manage tokens</Link>
        </p>
        <div className="field">
          <span className="checks-label" id="connect-base-url-label">Base URL</span>
          <div className="token-value">
            <code aria-labelledby="connect-base-url-label" data-testid="connect-base-url">{baseUrl}</code>
            <CopyButton value={baseUrl} label="Copy URL" />
          </div>
        </div>
        <div className="field">
          <span className="checks-label" id="connect-token-label">Token</span>
          <div className="token-value"><code aria-labelledby="connect-token-label" data-testid="connect-token">{token}</code></div>
          <div className="field-hint">Replace the masked value in the examples below with your full token.</div>
        </div>
        <Snippet title="OpenAI SDK" code={openAiSnippet(baseUrl, token)} />
        <Snippet title="Anthropic SDK" code={anthropicSnippet(baseUrl, token)} />
        <Snippet title="curl" code={curlSnippet(baseUrl, token)} />
      </Card>
    </div>
  );
}
