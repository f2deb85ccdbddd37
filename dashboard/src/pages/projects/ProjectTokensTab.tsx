// Tokens tab: the project's tokens by snippet and labels; create (value shown once), edit
// labels and limits, revoke (after confirmation).
import { useState } from 'react';
import { api } from '../../api/client';
import type { Limit, Model, TokenInfo } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useApi } from '../../hooks/useApi';
import { useConfirm } from '../../components/Confirm';
import { Badge, Card, EmptyState } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { formatDateTime } from '../../lib/format';
import { describeLimit } from '../../lib/limits';
import { NewTokenModal } from './NewTokenModal';
import { useProjectContext } from './ProjectLayout';
import { TokenForm, type TokenBody } from './TokenForm';

export default function ProjectTokensTab() {
  const { project, reload, canWrite } = useProjectContext();
  const toast = useToast();
  const confirm = useConfirm();
  const [editing, setEditing] = useState<TokenInfo | 'new' | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const tokens = project.tokens ?? [];
  const { can } = useAuth();
  const canReadModels = can('model:read');
  const modelsApi = useApi<Model[] | null>((signal) => (canReadModels ? api.get<Model[]>('/api/models', undefined, signal) : Promise.resolve(null)), [canReadModels]);
  const globalLimits = modelsApi.data ? Object.fromEntries(modelsApi.data.map((m): [string, Limit[]] => [m.id, m.limits ?? []])) : undefined;
  const base = `/api/projects/${encodeURIComponent(project.id)}/tokens`;

  const submit = async (body: TokenBody) => {
    if (editing === 'new') {
      const res = await api.post<{ token: string; tokenInfo: TokenInfo }>(base, body);
      setEditing(null);
      setCreated(res.token);
      toast.success('Token created');
    } else if (editing) {
      await api.put<TokenInfo>(`${base}/${encodeURIComponent(editing.id)}`, body);
      setEditing(null);
      toast.success('Token saved');
    }
    await reload();
  };

  const revoke = async (t: TokenInfo) => {
    const ok = await confirm({
      title: 'Revoke token',
      message: `Revoke token ${t.name ? `"${t.name}" ` : ''}(${t.tokenSnippet}…)? Applications using it stop working at once.`,
      confirmLabel: 'Revoke',
    });
    if (!ok) return;
    try {
      await api.del(`${base}/${encodeURIComponent(t.id)}`);
      toast.success('Token revoked');
      await reload();
    } catch (e) {
      toast.error(e as Error);
    }
  };

  return (
    <Card title="Tokens" actions={canWrite ? <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>Create token</button> : undefined}>
      <p className="muted">Applications authenticate to the proxy with a project token (<code>Authorization: Bearer sk-rt-…</code>). Values are shown only once, when created.</p>
      {tokens.length === 0 ? (
        <EmptyState title="No tokens">{canWrite ? 'Create a token to call this project from your applications.' : 'This project has no tokens.'}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="tokens-table">
            <thead>
              <tr><th>Name</th><th>Token</th><th>Labels</th><th>Limits</th><th>Created</th>{canWrite && <th><span className="sr-only">Actions</span></th>}</tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name || <span className="muted">(unnamed)</span>}</td>
                  <td><code className="token-snippet">{t.tokenSnippet}…</code></td>
                  <td><div className="labels">{t.labels?.length ? t.labels.map((l) => <Badge key={l} tone="info">{l}</Badge>) : <span className="muted">—</span>}</div></td>
                  <td title={(t.limits ?? []).map(describeLimit).join('\n')}>
                    {t.limitsMode === 'disable' ? 'disabled' : `${t.limits?.length ?? 0} (${t.limitsMode ?? 'replace'})`}
                    {t.models?.length ? <span className="muted"> · {t.models.length} per-model</span> : null}
                  </td>
                  <td>{formatDateTime(t.createdAt)}</td>
                  {canWrite && (
                    <td className="num">
                      <div className="policy-actions">
                        <button type="button" className="btn btn-small" aria-label={`Edit token ${t.name ?? t.tokenSnippet}`} onClick={() => setEditing(t)}>Edit</button>
                        <button type="button" className="btn btn-small btn-danger" aria-label={`Revoke token ${t.name ?? t.tokenSnippet}`} onClick={() => void revoke(t)}>Revoke</button>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && <TokenForm token={editing === 'new' ? undefined : editing} pool={project.models ?? []} globalLimits={globalLimits} onSubmit={submit} onClose={() => setEditing(null)} />}
      {created && <NewTokenModal token={created} onClose={() => setCreated(null)} />}
    </Card>
  );
}
