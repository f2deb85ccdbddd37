// One usage record (/usage/{id}): its fields, the other calls of the same request (routing
// calls, failed attempts — GET /api/traces/{traceId}), and its stored trace in four panels.
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, api } from '../../api/client';
import type { Project } from '../../api/types';
import { CopyButton } from '../../components/CopyButton';
import { Card, EmptyState, ErrorState, Loading, PageHeader, Badge } from '../../components/States';
import { TraceView } from '../../components/TraceView';
import { useApi } from '../../hooks/useApi';
import { formatCost, formatDateTime, formatMs, formatNumber } from '../../lib/format';
import { outcomeLabel, outcomeTone, typeLabel, type UsageRow } from '../../lib/usage';
import type { TraceEntry } from '../../lib/usageTrace';
import { UsageTable } from './UsageTable';
import './usage.css';

type FullRecord = UsageRow & { trace?: TraceEntry[] };
interface TraceAnswer { traceId: string; trace: TraceEntry[]; records: UsageRow[] }

function Field({ label, children }: { label: string; children: ReactNode }) {
  return <div><dt>{label}</dt><dd>{children}</dd></div>;
}

export default function UsageDetailPage() {
  const { id = '' } = useParams();
  const record = useApi((signal) => api.get<FullRecord>(`/api/usage/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const traceId = record.data?.traceId;
  const related = useApi(
    (signal) => (traceId ? api.get<TraceAnswer>(`/api/traces/${encodeURIComponent(traceId)}`, undefined, signal) : Promise.resolve(null)),
    [traceId],
  );
  const projects = useApi((signal) => api.get<Project[]>('/api/projects', undefined, signal).catch(() => [] as Project[]), []);

  const header = (
    <PageHeader title="Call detail" actions={<Link className="btn btn-small" to="/usage">Back to usage</Link>}>
      {id}
    </PageHeader>
  );
  if (record.error) {
    const missing = record.error instanceof ApiError && record.error.status === 404;
    return <>{header}{missing ? <EmptyState title="This call was not found">It may have been purged by the retention setting, or belong to a project you cannot see.</EmptyState> : <ErrorState error={record.error} onRetry={() => void record.reload()} />}</>;
  }
  if (!record.data) return <>{header}<Loading /></>;

  const r = record.data;
  const project = (projects.data ?? []).find((p) => p.id === r.projectId);
  const projectRef = project?.slug ?? r.projectSlug ?? r.projectId;
  const others = (related.data?.records ?? []).filter((x) => x.id !== r.id);
  const trace = Array.isArray(r.trace) ? r.trace : [];

  return (
    <>
      {header}
      <Card title="Call">
        <dl className="usage-fields">
          <Field label="Time">{formatDateTime(r.timestamp)}</Field>
          <Field label="Outcome"><Badge tone={outcomeTone(r.outcome)}>{outcomeLabel(r.outcome)}</Badge></Field>
          {r.errorMessage && <Field label="Error"><span className="usage-error-text">{r.errorMessage}</span></Field>}
          <Field label="Project">
            {projectRef ? <Link to={`/projects/${encodeURIComponent(projectRef)}/logs`}>{project?.name ?? r.projectSlug ?? r.projectId}</Link> : '—'}
          </Field>
          <Field label="Model">{r.modelId ?? '—'}</Field>
          <Field label="Provider">{r.provider ?? '—'}</Field>
          <Field label="Type">{typeLabel(r)}{r.stream !== undefined && ` · ${r.stream ? 'stream' : 'no stream'}`}</Field>
          <Field label="Tokens in / out">
            {formatNumber(r.inputTokens)} / {formatNumber(r.outputTokens)}{r.tokensEstimated ? ' (estimated)' : ''}
          </Field>
          {(r.cachedInputTokens || r.cacheCreationInputTokens) ? (
            <Field label="Cached / cache write tokens">{formatNumber(r.cachedInputTokens)} / {formatNumber(r.cacheCreationInputTokens)}</Field>
          ) : null}
          <Field label="Cost">
            {formatCost(r.cost)}
            {(r.costInput !== undefined || r.costOutput !== undefined) && <span className="muted"> (in {formatCost(r.costInput)}, out {formatCost(r.costOutput)})</span>}
          </Field>
          {(r.priceInput !== undefined || r.priceOutput !== undefined) && (
            <Field label="Price per 1M tokens">in ${r.priceInput ?? 0} · out ${r.priceOutput ?? 0}</Field>
          )}
          <Field label="Latency">{formatMs(r.latencyMs)}</Field>
          <Field label="Time to first token">{formatMs(r.ttftMs)}</Field>
          {r.tokensPerSec !== undefined && <Field label="Tokens per second">{formatNumber(r.tokensPerSec)}</Field>}
          {r.cacheHit && <Field label="Semantic cache">hit{r.cacheSimilarity !== undefined && ` (similarity ${r.cacheSimilarity})`}</Field>}
          {r.traceId && (
            <Field label="Trace id"><code>{r.traceId}</code> <CopyButton value={r.traceId} label="Copy trace id" /></Field>
          )}
          {r.tokenId && <Field label="Token id"><code>{r.tokenId}</code></Field>}
        </dl>
      </Card>

      {others.length > 0 && (
        <Card title="Other calls of this request">
          <UsageTable caption="Other calls of this request" records={others} showProject={false} />
        </Card>
      )}

      <Card title="Trace">
        {trace.length ? <TraceView entries={trace} /> : <EmptyState title="No trace stored for this call" />}
      </Card>
    </>
  );
}
