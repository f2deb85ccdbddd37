// Usage (SPEC §10 `usage`): filters (date range, project, model, type, call type, outcome) run
// in the store through /api/usage; summary figures; the records, 100 per page, newest or oldest
// first, each linking to its trace; live mode polls every 2 s; CSV/NDJSON export of the
// current filters. The filters and page live in the URL, so a view can be reloaded or shared.
import { useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { Model, Project } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { SelectField, TextField } from '../../components/Field';
import { Card, EmptyState, ErrorState, Loading, PageHeader, StatCard } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useApi, useInterval } from '../../hooks/useApi';
import { formatCost, formatMs, formatNumber, formatPercent } from '../../lib/format';
import {
  CALL_TYPES, EMPTY_FILTERS, OUTCOMES, TYPES, activeFilterCount, cursorKey, dateRangeError, filtersFromSearch,
  filtersToQuery, filtersToSearch, outcomeLabel, pageParams, type UsageFilters, type UsagePage as UsageAnswer,
} from '../../lib/usage';
import { downloadUsageExport } from './exportUsage';
import { Pager, UsageTable } from './UsageTable';
import './usage.css';

const PAGE_SIZE = 100;
const LIVE_MS = 2000;

export default function UsagePage() {
  const { can } = useAuth();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(params), [params]);
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const [live, setLive] = useState(false);
  const [exporting, setExporting] = useState<string | null>(null);
  const rangeError = dateRangeError(filters);
  const query = useMemo(() => filtersToQuery(filters), [filters]);
  const queryKey = JSON.stringify(query);
  // Keyset cursors of the pages reached with Next: page n+1 resumes after page n's last record.
  const cursors = useRef(new Map<string, string>());

  // Each answer remembers where the page after it starts (for the page it was asked for).
  const usage = useApi(
    (signal) => (rangeError
      ? Promise.resolve(null)
      : api.get<UsageAnswer>('/api/usage', { ...query, ...pageParams(page, cursors.current.get(cursorKey(queryKey, page))), pageSize: PAGE_SIZE }, signal)
        .then((answer) => {
          if (answer?.nextCursor) cursors.current.set(cursorKey(queryKey, page + 1), answer.nextCursor);
          return answer;
        })),
    [queryKey, page, rangeError],
  );
  const projects = useApi((signal) => api.get<Project[]>('/api/projects', undefined, signal), []);
  const mayModels = can('model:read');
  const models = useApi((signal) => (mayModels ? api.get<Model[]>('/api/models', undefined, signal) : Promise.resolve([] as Model[])), [mayModels]);
  useInterval(() => void usage.reload(), live ? LIVE_MS : null);

  const projectName = useMemo(() => {
    const byId = new Map((projects.data ?? []).map((p) => [p.id, p.name]));
    return (id: string | undefined) => (id ? byId.get(id) : undefined);
  }, [projects.data]);

  // The URL may name the project by slug (links from a project page); the select lists ids.
  const projectValue = (projects.data ?? []).find((p) => p.slug === filters.project)?.id ?? filters.project;

  const modelOptions = useMemo(() => {
    const ids = new Set<string>((models.data ?? []).map((m) => m.id));
    for (const k of Object.keys(usage.data?.byModel ?? {})) ids.add(k);
    if (filters.model) ids.add(filters.model);
    return [...ids].sort();
  }, [models.data, usage.data, filters.model]);

  const update = (patch: Partial<UsageFilters>, nextPage = 1) => {
    setParams(filtersToSearch({ ...filters, ...patch }, nextPage), { replace: false });
  };
  const setPage = (p: number) => setParams(filtersToSearch(filters, p));

  const exportAs = async (format: 'csv' | 'ndjson') => {
    setExporting(format);
    try {
      const name = await downloadUsageExport(format, query);
      toast.success(`Downloaded ${name}`);
    } catch (e) {
      toast.error(`Export failed: ${(e as Error).message}`);
    } finally {
      setExporting(null);
    }
  };

  const data = usage.data;
  const s = data?.summary ?? {};
  const allCost = Math.max(Number(s.totalCost ?? 0),
    Object.values((data?.byModel ?? {}) as Record<string, { cost?: number }>).reduce((sum, m) => sum + (Number(m.cost) || 0), 0));
  const calls = s.totalCalls ?? 0;
  const filterCount = activeFilterCount(filters);

  return (
    <>
      <PageHeader title="Usage" actions={
        <div className="usage-actions">
          <label className="usage-live">
            <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} />
            Live (2 s)
            {live && <span className="live-dot" aria-hidden="true" />}
          </label>
          <button type="button" className="btn btn-small" onClick={() => void usage.reload()}>Refresh</button>
          <button type="button" className="btn btn-small" disabled={!!exporting || !!rangeError} onClick={() => void exportAs('csv')}>
            {exporting === 'csv' ? 'Exporting…' : 'Export CSV'}
          </button>
          <button type="button" className="btn btn-small" disabled={!!exporting || !!rangeError} onClick={() => void exportAs('ndjson')}>
            {exporting === 'ndjson' ? 'Exporting…' : 'Export NDJSON'}
          </button>
        </div>
      }>
        Every call through the gateway, with its cost and trace.
      </PageHeader>

      <Card title="Filters" actions={filterCount > 0 ? (
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setParams(filtersToSearch({ ...EMPTY_FILTERS, order: filters.order }))}>Clear filters</button>
      ) : undefined}>
        <form className="usage-filters" onSubmit={(e) => e.preventDefault()} aria-label="Usage filters">
          <TextField label="From date" type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => update({ from: e.target.value })} />
          <TextField label="To date" type="date" value={filters.to} min={filters.from || undefined} error={rangeError} onChange={(e) => update({ to: e.target.value })} />
          <SelectField label="Project" value={projectValue} onChange={(e) => update({ project: e.target.value })}>
            <option value="">All projects</option>
            {(projects.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            {projectValue && !(projects.data ?? []).some((p) => p.id === projectValue) && (
              <option value={projectValue}>{projectValue}</option>
            )}
          </SelectField>
          <SelectField label="Model" value={filters.model} onChange={(e) => update({ model: e.target.value })}>
            <option value="">All models</option>
            {modelOptions.map((m) => <option key={m} value={m}>{m}</option>)}
          </SelectField>
          <SelectField label="Type" value={filters.type} onChange={(e) => update({ type: e.target.value })}>
            <option value="">All types</option>
            {TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </SelectField>
          <SelectField label="Call type" value={filters.callType} onChange={(e) => update({ callType: e.target.value })}>
            <option value="">All call types</option>
            {CALL_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </SelectField>
          <SelectField label="Outcome" value={filters.outcome} onChange={(e) => update({ outcome: e.target.value })}>
            <option value="">All outcomes</option>
            {OUTCOMES.map((o) => <option key={o} value={o}>{outcomeLabel(o)}</option>)}
          </SelectField>
        </form>
      </Card>

      {usage.error && (data ? (
        <div className="form-error" role="alert">Could not refresh: {usage.error.message}</div>
      ) : <ErrorState error={usage.error} onRetry={() => void usage.reload()} />)}
      {!data && !usage.error && !rangeError && <Loading />}

      {data && (
        <>
          <div className="stats">
            {/* summary.totalCost counts successful calls only (SPEC §9.3); byModel has every outcome. */}
            <StatCard label="Cost" value={formatCost(allCost)}
              sub={allCost !== s.totalCost ? `${formatCost(s.totalCost)} on successful calls` : undefined} />
            <StatCard label="Calls" value={formatNumber(calls)} sub={`${formatNumber(s.completionCalls)} completion · ${formatNumber(s.routingCalls)} routing`} />
            <StatCard label="Success rate" value={calls ? formatPercent(s.successRate ?? (s.successCalls ?? 0) / calls) : '—'} />
            <StatCard label="Errors" value={formatNumber(s.errorCalls)} />
            <StatCard label="Avg latency" value={calls ? formatMs(s.avgLatencyMs) : '—'}
              sub={calls && s.latencyP95Ms !== undefined ? `p50 ${formatMs(s.latencyP50Ms)} · p95 ${formatMs(s.latencyP95Ms)} · p99 ${formatMs(s.latencyP99Ms)}` : undefined} />
          </div>
          <Card title="Records">
            {data.records.length === 0 ? (
              <EmptyState title={filterCount ? 'No calls match these filters' : 'No usage recorded yet'}>
                {filterCount ? 'Change or clear the filters to see more.' : 'Calls made with a project token appear here.'}
              </EmptyState>
            ) : (
              <>
                <UsageTable caption="Usage records" records={data.records} projectName={projectName} order={filters.order}
                  onToggleOrder={() => update({ order: filters.order === 'asc' ? 'desc' : 'asc' })} />
                <Pager page={Math.min(page, Math.max(1, data.pagination.totalPages))} totalPages={data.pagination.totalPages} totalRecords={data.pagination.totalRecords} onPage={setPage} />
              </>
            )}
          </Card>
        </>
      )}
    </>
  );
}
