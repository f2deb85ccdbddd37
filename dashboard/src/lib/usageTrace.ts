// Trace entries (SPEC §4.7, §8.3) grouped for display: the four panels, and the per-model score
// tables hidden in routing events (policy results, the recap, llm-policy scores, the final
// ranking), so a user can read why a model was chosen without reading JSON.

import type { TraceEntry } from '../api/types';

export type { TraceEntry };

export type PanelId = 'router-request' | 'router-response' | 'request' | 'response';

export const PANELS: { id: PanelId; title: string }[] = [
  { id: 'router-request', title: 'Router request' },
  { id: 'router-response', title: 'Router response' },
  { id: 'request', title: 'Model request' },
  { id: 'response', title: 'Model response' },
];

export interface IndexedEntry {
  index: number; // position in the original trace (stable key, emission order)
  entry: TraceEntry;
}

// Entries per panel in emission order; entries with an unknown panel go to `other`.
export function groupTrace(entries: TraceEntry[] | null | undefined): Record<PanelId, IndexedEntry[]> & { other: IndexedEntry[] } {
  const out = { 'router-request': [], 'router-response': [], request: [], response: [], other: [] } as Record<PanelId, IndexedEntry[]> & { other: IndexedEntry[] };
  (entries ?? []).forEach((entry, index) => {
    if (!entry || typeof entry !== 'object') return;
    const panel = entry.panel as PanelId;
    const bucket = PANELS.some((p) => p.id === panel) ? out[panel] : out.other;
    bucket.push({ index, entry });
  });
  return out;
}

export interface ScoreTable {
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const scalar = (v: unknown): string | number | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return JSON.stringify(v);
};

const ARRAY_TITLES: Record<string, string> = {
  routing: 'Scores',
  scores: 'Scores',
  final: 'Final ranking',
  excludedByLimits: 'Excluded by limits',
  tiedWinners: 'Tied winners',
};

// A table of an array of objects that name a model: one row per item, columns = the union of
// their scalar keys ("model" first). Nested arrays/objects are shown as compact JSON.
function modelArrayTable(title: string, items: Obj[]): ScoreTable {
  const columns: string[] = [];
  for (const it of items) for (const k of Object.keys(it)) if (!columns.includes(k)) columns.push(k);
  columns.sort((a, b) => (a === 'rank' ? -1 : b === 'rank' ? 1 : a === 'model' ? -1 : b === 'model' ? 1 : 0));
  return { title, columns, rows: items.map((it) => columns.map((c) => scalar(it[c]))) };
}

// router:recap → one matrix: a row per model, a column per policy (its point), then the final
// score and rank.
function recapTable(details: Obj): ScoreTable | null {
  const policies = Array.isArray(details.policies) ? details.policies.filter(isObj) : [];
  const final = Array.isArray(details.final) ? details.final.filter(isObj) : [];
  if (!policies.length && !final.length) return null;
  const models: string[] = [];
  const add = (m: unknown) => {
    if (typeof m === 'string' && !models.includes(m)) models.push(m);
  };
  final.forEach((f) => add(f.model));
  policies.forEach((p) => (Array.isArray(p.scores) ? p.scores : []).filter(isObj).forEach((s) => add(s.model)));
  const columns = ['model', ...policies.map((p) => `${String(p.type ?? '?')} (×${scalar(p.weight) ?? '?'})`), 'final score', 'rank'];
  const rows = models.map((model) => {
    const cells: (string | number | null)[] = [model];
    for (const p of policies) {
      const s = (Array.isArray(p.scores) ? p.scores : []).filter(isObj).find((x) => x.model === model);
      cells.push(s ? scalar(s.point) : null);
    }
    const f = final.find((x) => x.model === model);
    cells.push(f ? scalar(f.score) : null, f ? scalar(f.rank) : null);
    return cells;
  });
  rows.sort((a, b) => (Number(a[a.length - 1] ?? Infinity) || Infinity) - (Number(b[b.length - 1] ?? Infinity) || Infinity));
  return { title: 'Scores by policy', columns, rows };
}

// Every score table an entry's details hold. Empty for entries without per-model data.
export function scoreTables(entry: TraceEntry): ScoreTable[] {
  const details = entry.details;
  if (!isObj(details)) return [];
  const tables: ScoreTable[] = [];
  if (entry.message === 'router:recap') {
    const t = recapTable(details);
    if (t) tables.push(t);
    const excluded = details.excluded;
    if (isObj(excluded) && Object.keys(excluded).length) {
      tables.push({ title: 'Excluded', columns: ['model', 'by'], rows: Object.entries(excluded).map(([m, by]) => [m, Array.isArray(by) ? by.join(', ') : scalar(by)]) });
    }
    return tables;
  }
  for (const [key, value] of Object.entries(details)) {
    if (!Array.isArray(value)) continue;
    const items = value.filter(isObj);
    if (items.length && items.length === value.length && items.some((i) => typeof i.model === 'string')) {
      tables.push(modelArrayTable(ARRAY_TITLES[key] ?? key, items));
    }
  }
  if (entry.message === 'router:excludes' && isObj(details.excluded)) {
    tables.push({ title: 'Excluded', columns: ['model', 'by'], rows: Object.entries(details.excluded).map(([m, by]) => [m, Array.isArray(by) ? by.join(', ') : scalar(by)]) });
  }
  return tables;
}

// A one-line summary of an entry for the panel list (model, tokens, cost, error …).
export function entrySummary(entry: TraceEntry): string {
  const d = entry.details;
  if (!isObj(d)) return '';
  const parts: string[] = [];
  const model = d.modelId ?? d.model ?? d.routingModel;
  if (typeof model === 'string' && model) parts.push(model);
  if (typeof d.provider === 'string') parts.push(d.provider);
  if (typeof d.stream === 'boolean') parts.push(d.stream ? 'stream' : 'no stream');
  if (typeof d.inputTokens === 'number' || typeof d.outputTokens === 'number') parts.push(`${d.inputTokens ?? 0} in / ${d.outputTokens ?? 0} out tokens`);
  if (typeof d.latencyMs === 'number') parts.push(`${d.latencyMs} ms`);
  if (typeof d.totalCostUsd === 'number') parts.push(`$${d.totalCostUsd}`);
  if (Array.isArray(d.candidates)) parts.push(`${d.candidates.length} candidate${d.candidates.length === 1 ? '' : 's'}`);
  if (typeof d.reason === 'string') parts.push(d.reason);
  if (typeof d.error === 'string') parts.push(d.error);
  if (typeof d.note === 'string') parts.push(d.note);
  return parts.join(' · ');
}

// True when the entry reports a failure (shown in the danger colour).
export function isErrorEntry(entry: TraceEntry): boolean {
  const m = entry.message ?? '';
  return /(^|:)error(:|$)/.test(m) || m === 'model:skipped' || m.endsWith(':misconfigured');
}
