// The records table shared by the Usage page and a project's Logs tab: one row per call, the
// time links to the call's detail page (/usage/{id}); the whole row is clickable too.
import { Link, useNavigate } from 'react-router-dom';
import { Badge } from '../../components/States';
import { formatCost, formatDateTime, formatMs, formatNumber } from '../../lib/format';
import { shortDateTime } from '../../lib/usage';
import { outcomeLabel, outcomeTone, typeLabel, type UsageRow } from '../../lib/usage';

interface Props {
  records: UsageRow[];
  projectName?: (id: string | undefined) => string | undefined;
  showProject?: boolean;
  order?: 'asc' | 'desc';
  onToggleOrder?: () => void;
  caption: string;
}

export function UsageTable({ records, projectName, showProject = true, order, onToggleOrder, caption }: Props) {
  const navigate = useNavigate();
  return (
    <div className="table-wrap">
      <table className="table usage-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" aria-sort={order ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
              {onToggleOrder ? (
                <button type="button" className="btn-link sort-button" onClick={onToggleOrder}
                  aria-label={`Time, ${order === 'asc' ? 'oldest' : 'newest'} first; change order`}>
                  Time {order === 'asc' ? '▲' : '▼'}
                </button>
              ) : 'Time'}
            </th>
            {showProject && <th scope="col">Project</th>}
            <th scope="col">Model</th>
            <th scope="col">Type</th>
            <th scope="col">Outcome</th>
            <th scope="col" className="num">Tokens in</th>
            <th scope="col" className="num">Tokens out</th>
            <th scope="col" className="num">Cost</th>
            <th scope="col" className="num">Latency</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.id} className="clickable" onClick={(e) => {
              if ((e.target as HTMLElement).closest('a,button')) return;
              navigate(`/usage/${encodeURIComponent(r.id)}`);
            }}>
              <td className="nowrap"><Link to={`/usage/${encodeURIComponent(r.id)}`} title={formatDateTime(r.timestamp)}>{shortDateTime(r.timestamp)}</Link></td>
              {showProject && <td>{projectName?.(r.projectId) ?? r.projectSlug ?? r.projectId ?? '—'}</td>}
              <td className="usage-model">{r.modelId ?? '—'}</td>
              <td className="nowrap">{typeLabel(r)}</td>
              <td>
                <Badge tone={outcomeTone(r.outcome)}>{outcomeLabel(r.outcome)}</Badge>
                {r.errorMessage && <div className="usage-error" title={r.errorMessage}>{r.errorMessage}</div>}
              </td>
              <td className="num">{formatNumber(r.inputTokens)}</td>
              <td className="num">{formatNumber(r.outputTokens)}</td>
              <td className="num">{formatCost(r.cost)}</td>
              <td className="num">{formatMs(r.latencyMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Pager({ page, totalPages, totalRecords, onPage }: { page: number; totalPages: number; totalRecords: number; onPage: (p: number) => void }) {
  return (
    <nav className="pagination" aria-label="Pages">
      <span className="muted">{formatNumber(totalRecords)} record{totalRecords === 1 ? '' : 's'} · page {page} of {Math.max(1, totalPages)}</span>
      <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => onPage(1)}>First</button>
      <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => onPage(page - 1)}>Previous</button>
      <button type="button" className="btn btn-small" disabled={page >= totalPages} onClick={() => onPage(page + 1)}>Next</button>
      <button type="button" className="btn btn-small" disabled={page >= totalPages} onClick={() => onPage(totalPages)}>Last</button>
    </nav>
  );
}
