// Overview (SPEC §10 `overview`): totals of the chosen period (cost, calls, success rate,
// errors, models, projects) and charts of cost and calls over time, by model and by project,
// all from one /api/usage answer (summary, series, byModel, byProject).
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { Model, Project } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { BreakdownChart } from '../../components/charts/BreakdownChart';
import { TimeSeriesChart } from '../../components/charts/TimeSeriesChart';
import { Card, EmptyState, ErrorState, Loading, PageHeader, StatCard } from '../../components/States';
import { useApi } from '../../hooks/useApi';
import { formatCost, formatNumber, formatPercent } from '../../lib/format';
import { PERIODS, breakdownRows, fillSeries, isPeriodKey, periodRange, type PeriodKey, type UsagePage } from '../../lib/usage';
import './overview.css';

export function PeriodSelector({ value, onChange }: { value: PeriodKey; onChange: (p: PeriodKey) => void }) {
  return (
    <div className="period-selector" role="group" aria-label="Period">
      {PERIODS.map((p) => (
        <button key={p.key} type="button" className={`btn btn-small${p.key === value ? ' btn-primary' : ''}`}
          aria-pressed={p.key === value} onClick={() => onChange(p.key)}>
          {p.label}
        </button>
      ))}
    </div>
  );
}

export default function OverviewPage() {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const raw = params.get('period');
  const period: PeriodKey = isPeriodKey(raw) ? raw : '30d';
  const mayReport = can('report:read');
  const mayModels = can('model:read');

  // The range is fixed when the period is chosen (or reloaded), so the chart axis and the
  // query agree.
  const usage = useApi(async (signal) => {
    if (!mayReport) return null;
    const range = periodRange(period);
    const page = await api.get<UsagePage>('/api/usage', { ...range.query, pageSize: 1 }, signal);
    return { page, range };
  }, [period, mayReport]);
  const models = useApi((signal) => (mayModels ? api.get<Model[]>('/api/models', undefined, signal) : Promise.resolve(null)), [mayModels]);
  const projects = useApi((signal) => api.get<Project[]>('/api/projects', undefined, signal), []);

  const projectName = useMemo(() => {
    const names = new Map((projects.data ?? []).map((p) => [p.id, p.name]));
    return (id: string) => names.get(id);
  }, [projects.data]);

  const view = useMemo(() => {
    if (!usage.data) return null;
    const { page, range } = usage.data;
    return {
      summary: page.summary ?? {},
      series: fillSeries(page.series, range.bucket, range.from, range.to),
      byModel: breakdownRows(page.byModel as Record<string, Record<string, unknown>>),
      byProject: breakdownRows(page.byProject as Record<string, Record<string, unknown>>, (id) => projectName(id)),
      bucket: range.bucket,
    };
  }, [usage.data, projectName]);

  const setPeriod = (p: PeriodKey) => {
    const next = new URLSearchParams(params);
    next.set('period', p);
    setParams(next, { replace: true });
  };

  const header = (
    <PageHeader title="Overview" actions={mayReport ? (
      <>
        <PeriodSelector value={period} onChange={setPeriod} />
        <button type="button" className="btn btn-small" onClick={() => { void usage.reload(); void projects.reload(); void models.reload(); }}>Refresh</button>
      </>
    ) : undefined}>
      Cost and traffic through the gateway.
    </PageHeader>
  );

  if (!mayReport) {
    return (
      <>
        {header}
        <EmptyState title="No access to usage reports">
          Your role does not include <code>report:read</code>. Open <Link to="/projects">Projects</Link> instead.
        </EmptyState>
      </>
    );
  }
  if (usage.error && !usage.data) return <>{header}<ErrorState error={usage.error} onRetry={() => void usage.reload()} /></>;
  if (!view) return <>{header}<Loading /></>;

  const s = view.summary;
  const calls = s.totalCalls ?? 0;
  const allCost = Math.max(s.totalCost ?? 0, view.byModel.reduce((sum, r) => sum + r.cost, 0));
  const unit = view.bucket === 'hour' ? 'per hour' : 'per day';
  return (
    <>
      {header}
      {usage.error && <div className="form-error" role="alert">Could not refresh: {usage.error.message}</div>}
      <div className="stats" aria-busy={usage.loading}>
        {/* SPEC §9.3: summary.totalCost counts successful calls only, while the breakdowns
            include failed calls that still consumed tokens; the card shows both so it agrees
            with the charts below. */}
        <StatCard label="Cost" value={formatCost(allCost)}
          sub={allCost !== s.totalCost ? `${formatCost(s.totalCost)} on successful calls` : `${formatCost(s.routingCost)} routing`} />
        <StatCard label="Calls" value={formatNumber(calls)} sub={`${formatNumber(s.routingCalls)} routing`} />
        <StatCard label="Success rate" value={calls ? formatPercent(s.successRate ?? (s.successCalls ?? 0) / calls) : '—'} />
        <StatCard label="Errors" value={formatNumber(s.errorCalls)} />
        {mayModels && <StatCard label="Models" value={models.data ? formatNumber(models.data.length) : '…'} />}
        <StatCard label="Projects" value={projects.data ? formatNumber(projects.data.length) : '…'} />
      </div>
      {calls === 0 ? (
        <Card>
          <EmptyState title="No usage in this period yet">
            Calls made with a project token appear here. Create a project and a token under{' '}
            <Link to="/projects">Projects</Link>, then try it in the <Link to="/test">Playground</Link>
            {period !== 'all' && <> — or look at <button type="button" className="btn-link" onClick={() => setPeriod('all')}>all time</button></>}.
          </EmptyState>
        </Card>
      ) : (
        <>
          <div className="grid grid-2">
            <Card title={`Cost over time (${unit})`}>
              <TimeSeriesChart label="Cost over time" data={view.series} format={formatCost} kind="area"
                series={[{ key: 'cost', name: 'Cost', color: 0 }]} />
            </Card>
            <Card title={`Calls over time (${unit})`}>
              <TimeSeriesChart label="Calls over time" data={view.series} format={formatNumber} kind="bar"
                series={[{ key: 'success', name: 'Succeeded', color: 1 }, { key: 'errors', name: 'Failed', color: 'danger' }]} />
            </Card>
          </div>
          <div className="grid grid-2">
            <Card title="Cost by model">
              <BreakdownChart label="Cost by model" rows={view.byModel} metric="cost" format={formatCost} />
            </Card>
            <Card title="Calls by model">
              <BreakdownChart label="Calls by model" rows={view.byModel} metric="calls" format={formatNumber} />
            </Card>
          </div>
          <div className="grid grid-2">
            <Card title="Cost by project">
              {view.byProject.length ? (
                <BreakdownChart label="Cost by project" rows={view.byProject} metric="cost" format={formatCost} />
              ) : <EmptyState title="No project usage" />}
            </Card>
            <Card title="Models in this period">
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr><th scope="col">Model</th><th scope="col" className="num">Calls</th><th scope="col" className="num">Errors</th><th scope="col" className="num">Tokens in / out</th><th scope="col" className="num">Cost</th></tr>
                  </thead>
                  <tbody>
                    {view.byModel.map((r) => (
                      <tr key={r.key}>
                        <td><Link to={`/usage?model=${encodeURIComponent(r.key)}`}>{r.label}</Link></td>
                        <td className="num">{formatNumber(r.calls)}</td>
                        <td className="num">{formatNumber(r.errors)}</td>
                        <td className="num">{formatNumber(r.inputTokens)} / {formatNumber(r.outputTokens)}</td>
                        <td className="num">{formatCost(r.cost)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Card>
          </div>
        </>
      )}
    </>
  );
}
