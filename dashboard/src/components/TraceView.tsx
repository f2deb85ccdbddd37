// The request trace of one call (SPEC §4.7, §8.3) in four panels: router request, router
// response (with every policy's per-model scores as tables), model request and model response.
// Each entry shows its event name, a one-line summary and its details as collapsible JSON.
// Used by the usage detail page and, fed live from the stream, by the playground's debug panels.
import type { TraceEntry } from '../api/types';
import { PANELS, entrySummary, groupTrace, isErrorEntry, scoreTables, type IndexedEntry, type ScoreTable } from '../lib/usageTrace';
import './TraceView.css';

function formatCell(v: string | number | null): string {
  if (v === null) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 10000) / 10000);
  return v;
}

function ScoreTableView({ table }: { table: ScoreTable }) {
  return (
    <div className="trace-table">
      <div className="trace-table-title">{table.title}</div>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>{table.columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j} className={typeof cell === 'number' ? 'num' : undefined}>{formatCell(cell)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function EntryView({ item }: { item: IndexedEntry }) {
  const { entry } = item;
  const summary = entrySummary(entry);
  const tables = scoreTables(entry);
  const hasDetails = entry.details !== undefined && entry.details !== null &&
    !(typeof entry.details === 'object' && Object.keys(entry.details as object).length === 0);
  return (
    <li className={`trace-entry${isErrorEntry(entry) ? ' trace-entry-error' : ''}`}>
      <div className="trace-entry-head">
        <code className="trace-message">{entry.message ?? '(no message)'}</code>
        {summary && <span className="trace-summary">{summary}</span>}
      </div>
      {tables.map((t, i) => <ScoreTableView key={`${t.title}-${i}`} table={t} />)}
      {hasDetails && (
        <details className="trace-details">
          <summary>Details</summary>
          <pre>{JSON.stringify(entry.details, null, 2)}</pre>
        </details>
      )}
    </li>
  );
}

function Panel({ title, items }: { title: string; items: IndexedEntry[] }) {
  return (
    <section className="trace-panel" aria-label={title}>
      <h3>{title} <span className="muted trace-count">({items.length})</span></h3>
      {items.length === 0 ? (
        <p className="muted trace-empty">No events.</p>
      ) : (
        <ol className="trace-list">
          {items.map((item) => <EntryView key={item.index} item={item} />)}
        </ol>
      )}
    </section>
  );
}

export function TraceView({ entries }: { entries: TraceEntry[] }) {
  const groups = groupTrace(entries);
  return (
    <div className="trace-view" data-testid="trace-view">
      {PANELS.map((p) => <Panel key={p.id} title={p.title} items={groups[p.id]} />)}
      {groups.other.length > 0 && <Panel title="Other events" items={groups.other} />}
    </div>
  );
}

export default TraceView;
