// Settings → About: version, runtime, directories and uptime (GET /api/system/info), the
// health probe (GET /health) and the update check (GET /api/system/update-check).
import { Fragment, useState } from 'react';
import { api } from '../../api/client';
import type { SystemInfo } from '../../api/types';
import { Badge, Card, ErrorState, Loading } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { formatDateTime } from '../../lib/format';
import { formatUptime } from '../../lib/settingsForm';

interface Health { status: string; version?: string; timestamp?: string; store?: string }
interface UpdateCheck { available: boolean; currentVersion?: string; latestVersion?: string; channel?: string; checkedAt?: string }

const LABELS: Record<string, string> = {
  version: 'Version', nodeVersion: 'Runtime', platform: 'Platform', configDir: 'Config directory',
  dataDir: 'Data directory', uptimeSeconds: 'Uptime', channel: 'Update channel', isDocker: 'In a container',
};

function show(key: string, v: unknown): string {
  if (key === 'uptimeSeconds' && typeof v === 'number') return formatUptime(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v === null || v === undefined || v === '') return '—';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function AboutSettings() {
  const toast = useToast();
  const info = useApi((signal) => api.get<SystemInfo>('/api/system/info', undefined, signal), []);
  const health = useApi((signal) => api.get<Health>('/health', undefined, signal), []);
  const [update, setUpdate] = useState<UpdateCheck | null>(null);
  const [checking, setChecking] = useState(false);

  const check = async () => {
    setChecking(true);
    try {
      const res = await api.get<UpdateCheck>('/api/system/update-check');
      setUpdate(res);
      toast.info(res.available ? `Version ${res.latestVersion} is available.` : 'Routerly is up to date.');
    } catch (err) {
      toast.error(err as Error);
    } finally {
      setChecking(false);
    }
  };

  const entries = info.data
    ? [...Object.keys(LABELS).filter((k) => k in info.data!), ...Object.keys(info.data).filter((k) => !(k in LABELS) && k !== 'updateInfo')]
    : [];
  return (
    <div className="grid grid-2">
      <Card title="System">
        {info.loading && !info.data ? <Loading /> : info.error && !info.data ? <ErrorState error={info.error} onRetry={() => void info.reload()} /> : (
          <dl className="settings-info" data-testid="system-info">
            {entries.map((k) => (
              <Fragment key={k}>
                <dt>{LABELS[k] ?? k}</dt>
                <dd>{show(k, info.data?.[k])}</dd>
              </Fragment>
            ))}
          </dl>
        )}
      </Card>
      <Card title="Health" actions={<button type="button" className="btn btn-small" onClick={() => void health.reload()}>Refresh</button>}>
        {health.loading && !health.data ? <Loading /> : health.error && !health.data ? <ErrorState error={health.error} onRetry={() => void health.reload()} /> : health.data && (
          <dl className="settings-info" data-testid="health">
            <dt>Status</dt>
            <dd><Badge tone={health.data.status === 'ok' ? 'success' : 'error'}>{health.data.status}</Badge></dd>
            <dt>Store</dt>
            <dd><Badge tone={health.data.store === 'ok' ? 'success' : 'error'}>{health.data.store ?? '—'}</Badge></dd>
            <dt>Checked</dt>
            <dd>{formatDateTime(health.data.timestamp)}</dd>
          </dl>
        )}
      </Card>
      <Card title="Updates">
        <p className="muted">Routerly never contacts outside hosts on its own; install new versions with your package manager or image.</p>
        {update && (
          <dl className="settings-info" data-testid="update-check">
            <dt>Status</dt>
            <dd>{update.available ? <Badge tone="warning">Update available</Badge> : <Badge tone="success">Up to date</Badge>}</dd>
            <dt>Current version</dt><dd>{update.currentVersion ?? '—'}</dd>
            <dt>Latest version</dt><dd>{update.latestVersion ?? '—'}</dd>
            <dt>Channel</dt><dd>{update.channel ?? '—'}</dd>
            <dt>Checked</dt><dd>{formatDateTime(update.checkedAt)}</dd>
          </dl>
        )}
        <div className="form-actions">
          <button type="button" className="btn" disabled={checking} onClick={() => void check()}>{checking ? 'Checking…' : 'Check for updates'}</button>
        </div>
      </Card>
    </div>
  );
}
