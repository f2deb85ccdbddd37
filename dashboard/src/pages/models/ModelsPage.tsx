// /models: every configured model with its prices and state; edit, clone, delete and
// enable/disable for users with model:write (SPEC §10).
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import type { Model } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useConfirm } from '../../components/Confirm';
import { Badge, EmptyState, ErrorState, Loading, PageHeader } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { formatNumber } from '../../lib/format';
import './models.css';

function price(n: number | undefined): string {
  if (n === undefined || n === null) return '—';
  return `$${n.toLocaleString('en-US', { maximumFractionDigits: 6 })}`;
}

export default function ModelsPage() {
  const { can } = useAuth();
  const canWrite = can('model:write');
  const confirm = useConfirm();
  const toast = useToast();
  const { data, error, loading, reload, setData } = useApi((signal) => api.get<Model[]>('/api/models', undefined, signal), []);
  const [busy, setBusy] = useState<string | null>(null);

  const remove = async (m: Model) => {
    const ok = await confirm({
      title: 'Delete model',
      message: <>Delete the model <strong>{m.id}</strong>? Projects must not use it any more.</>,
      confirmLabel: 'Delete',
    });
    if (!ok) return;
    setBusy(m.id);
    try {
      await api.del(`/api/models/${encodeURIComponent(m.id)}`);
      toast.success(`Model ${m.id} deleted.`);
      await reload();
    } catch (e) {
      toast.error(e as Error);
    } finally {
      setBusy(null);
    }
  };

  const toggle = async (m: Model) => {
    setBusy(m.id);
    try {
      const updated = await api.put<Model>(`/api/models/${encodeURIComponent(m.id)}`, { enabled: !m.enabled });
      if (data) setData(data.map((x) => (x.id === m.id ? updated : x)));
      toast.success(`Model ${m.id} ${updated.enabled ? 'enabled' : 'disabled'}.`);
    } catch (e) {
      toast.error(e as Error);
    } finally {
      setBusy(null);
    }
  };

  const actions = canWrite ? <Link className="btn btn-primary" to="/models/new">Add model</Link> : undefined;

  return (
    <div className="models-page">
      <PageHeader title="Models" actions={actions}>Upstream models the router can send requests to.</PageHeader>
      {loading && !data ? <Loading /> : error && !data ? <ErrorState error={error} onRetry={() => void reload()} /> : !data || data.length === 0 ? (
        <EmptyState title="No models yet">
          {canWrite ? <>Add a model to start routing requests. <Link to="/models/new">Add model</Link></> : 'An administrator has not added any models yet.'}
        </EmptyState>
      ) : (
        <div className="card table-wrap">
          <table className="table models-table">
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Provider</th>
                <th scope="col">Upstream model</th>
                <th scope="col" className="num">Input / 1M</th>
                <th scope="col" className="num">Output / 1M</th>
                <th scope="col" className="num">Context</th>
                <th scope="col">Status</th>
                <th scope="col">API key</th>
                {canWrite && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {data.map((m) => (
                <tr key={m.id} data-testid={`model-row-${m.id}`}>
                  <td><Link to={`/models/${encodeURIComponent(m.id)}`}>{m.id}</Link></td>
                  <td>{m.provider}</td>
                  <td>{m.upstreamModelId || <span className="muted">—</span>}</td>
                  <td className="num">{price(m.cost?.inputPerMillion)}</td>
                  <td className="num">{price(m.cost?.outputPerMillion)}</td>
                  <td className="num">{m.contextWindow ? formatNumber(m.contextWindow) : '—'}</td>
                  <td>{m.enabled ? <Badge tone="success">Enabled</Badge> : <Badge tone="warning">Disabled</Badge>}</td>
                  <td>{m.hasApiKey ? <Badge tone="info">Set</Badge> : <span className="muted">Not set</span>}</td>
                  {canWrite && (
                    <td>
                      <div className="models-actions">
                        <Link className="btn btn-small" to={`/models/${encodeURIComponent(m.id)}`} aria-label={`Edit ${m.id}`}>Edit</Link>
                        <Link className="btn btn-small" to={`/models/new?clone=${encodeURIComponent(m.id)}`} aria-label={`Clone ${m.id}`}>Clone</Link>
                        <button type="button" className="btn btn-small" disabled={busy === m.id} onClick={() => void toggle(m)}
                          aria-label={`${m.enabled ? 'Disable' : 'Enable'} ${m.id}`}>{m.enabled ? 'Disable' : 'Enable'}</button>
                        <button type="button" className="btn btn-small btn-danger" disabled={busy === m.id} onClick={() => void remove(m)}
                          aria-label={`Delete ${m.id}`}>Delete</button>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
