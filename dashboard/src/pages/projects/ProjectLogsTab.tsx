// A project's Logs tab (/projects/{id|slug}/logs): its most recent calls, newest first, with an
// auto-refresh interval (off / 5 s / 15 s / 60 s, remembered per browser); each call links to
// its trace (/usage/{id}).
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, api } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { SelectField } from '../../components/Field';
import { Card, EmptyState, ErrorState, Loading } from '../../components/States';
import { useApi, useInterval } from '../../hooks/useApi';
import { formatCost, formatNumber, formatPercent } from '../../lib/format';
import { REFRESH_CHOICES, type UsagePage } from '../../lib/usage';
import { Pager, UsageTable } from '../usage/UsageTable';
import '../usage/usage.css';

const PAGE_SIZE = 50;
const REFRESH_KEY = 'routerly.logs.refresh';

function savedRefresh(): string {
  try {
    const v = localStorage.getItem(REFRESH_KEY) ?? '';
    return REFRESH_CHOICES.some((c) => String(c.ms ?? '') === v) ? v : '';
  } catch {
    return '';
  }
}

export default function ProjectLogsTab() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const [page, setPage] = useState(1);
  const [refresh, setRefresh] = useState<string>(savedRefresh);
  const mayReport = can('report:read');
  const logs = useApi(
    (signal) => (mayReport ? api.get<UsagePage>('/api/usage', { project: id, period: 'all', page, pageSize: PAGE_SIZE }, signal) : Promise.resolve(null)),
    [id, page, mayReport],
  );
  const interval = refresh ? Number(refresh) : null;
  useInterval(() => void logs.reload(), interval);

  if (!mayReport) {
    return <EmptyState title="No access to usage reports">Your role does not include <code>report:read</code>, which the logs need.</EmptyState>;
  }

  const chooseRefresh = (v: string) => {
    setRefresh(v);
    try {
      localStorage.setItem(REFRESH_KEY, v);
    } catch {
      /* storage unavailable: the choice lasts for this visit */
    }
  };

  const data = logs.data;
  const s = data?.summary;
  const projectId = data?.records[0]?.projectId ?? id;
  return (
    <Card title="Recent requests" actions={<Link className="btn btn-small" to={`/usage?project=${encodeURIComponent(projectId)}`}>Open in Usage</Link>}>
      <div className="logs-toolbar">
        <div className="muted">
          {s && s.totalCalls ? `${formatNumber(s.totalCalls)} calls · ${formatCost(s.totalCost)} · ${formatPercent(s.successRate)} success` : null}
        </div>
        <div className="logs-controls">
          <SelectField label="Auto-refresh" value={refresh} onChange={(e) => chooseRefresh(e.target.value)}>
            {REFRESH_CHOICES.map((c) => <option key={c.label} value={String(c.ms ?? '')}>{c.label}</option>)}
          </SelectField>
          <button type="button" className="btn" onClick={() => void logs.reload()}>Refresh</button>
        </div>
      </div>
      {logs.error && (data ? (
        <div className="form-error" role="alert">Could not refresh: {logs.error.message}</div>
      ) : logs.error instanceof ApiError && logs.error.status === 404 ? (
        <EmptyState title="Project not found" />
      ) : <ErrorState error={logs.error} onRetry={() => void logs.reload()} />)}
      {!data && !logs.error && <Loading />}
      {data && (data.records.length === 0 ? (
        <EmptyState title="No requests yet">
          Calls made with one of this project's tokens appear here. Try one in the <Link to="/test">Playground</Link>.
        </EmptyState>
      ) : (
        <>
          <UsageTable caption="Recent requests of this project" records={data.records} showProject={false} />
          {data.pagination.totalPages > 1 && (
            <Pager page={data.pagination.page} totalPages={data.pagination.totalPages} totalRecords={data.pagination.totalRecords} onPage={setPage} />
          )}
        </>
      ))}
    </Card>
  );
}
