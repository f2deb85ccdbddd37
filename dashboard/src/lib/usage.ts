// Pure helpers behind the Overview, Usage and project Logs pages: how a chosen period or a set
// of filters becomes /api/usage query parameters, and how the aggregates the server returns
// (summary, byModel, byProject, series — docs/management-api.md "Usage query") become rows and
// chart points. Everything here is free of React so it can be unit-tested.

// ---- Shapes of GET /api/usage as the server really answers them ---------------------------

export interface UsageSummaryData {
  totalCost: number;
  totalCalls: number;
  successCalls: number;
  errorCalls: number;
  successRate: number; // 0..1
  routingCalls: number;
  completionCalls: number;
  routingCost: number;
  completionCost: number;
  avgLatencyMs: number;
  latencyP50Ms?: number; // percentiles: midpoints of log-spaced buckets (within ~7.5 %)
  latencyP95Ms?: number;
  latencyP99Ms?: number;
}

export interface UsageRow {
  id: string;
  timestamp: string;
  projectId?: string;
  projectSlug?: string;
  tokenId?: string;
  modelId?: string;
  provider?: string;
  type?: string;
  callType?: string;
  outcome: string;
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  cacheCreationInputTokens?: number;
  tokensEstimated?: boolean;
  cost?: number;
  costInput?: number;
  costOutput?: number;
  priceInput?: number;
  priceOutput?: number;
  latencyMs?: number;
  ttftMs?: number;
  tokensPerSec?: number;
  stream?: boolean;
  errorMessage?: string;
  traceId?: string;
  cacheHit?: boolean;
  cacheSimilarity?: number;
  [k: string]: unknown;
}

export interface SeriesPoint {
  bucket: string;
  calls: number;
  errors: number;
  cost: number;
  inputTokens: number;
  outputTokens: number;
}

export interface UsagePage {
  summary: Partial<UsageSummaryData>;
  byModel?: Record<string, Partial<BreakdownFields>>;
  byProject?: Record<string, Partial<BreakdownFields> & { slug?: string }>;
  series?: SeriesPoint[];
  timeline?: [string, number][];
  records: UsageRow[];
  // Where the page after this one starts (keyset cursor); null on a page that is not full.
  nextCursor?: string | null;
  pagination: { page: number; pageSize: number; totalRecords: number; totalPages: number };
}

// ---- Paging ----------------------------------------------------------------------------------

// The paging parameters of page `page` (1-based): the page's keyset cursor when an earlier
// answer gave it (cheap at any depth, and stable while new records arrive), else its number
// (an offset: what First/Last and jumps use). Cursors are remembered per query and page.
export function pageParams(page: number, cursor: string | undefined): Query {
  return page > 1 && cursor ? { cursor } : { page };
}

export function cursorKey(queryKey: string, page: number): string {
  return `${queryKey}#${page}`;
}

interface BreakdownFields {
  calls: number;
  cost: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
}

export type Query = Record<string, string | number | undefined>;

// ---- Overview period ------------------------------------------------------------------------

export type PeriodKey = 'today' | '7d' | '30d' | 'month' | 'all';
export type Bucket = 'hour' | 'day';

export const PERIODS: { key: PeriodKey; label: string }[] = [
  { key: 'today', label: 'Today' },
  { key: '7d', label: '7 days' },
  { key: '30d', label: '30 days' },
  { key: 'month', label: 'This month' },
  { key: 'all', label: 'All time' },
];

export function isPeriodKey(v: string | null | undefined): v is PeriodKey {
  return PERIODS.some((p) => p.key === v);
}

export interface PeriodRange {
  query: Query; // period/from/bucket for /api/usage
  from: Date | null; // start of the range (null = since the first record)
  to: Date; // end of the range (now)
  bucket: Bucket;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

// The period buttons use the browser's local calendar (the server's own `daily`/`monthly` are
// UTC days), so every bounded period is sent as `period=custom` with an ISO instant. The series
// is hourly when the range spans at most two days, daily otherwise.
export function periodRange(key: PeriodKey, now: Date = new Date()): PeriodRange {
  let from: Date | null;
  switch (key) {
    case 'today':
      from = new Date(now.getFullYear(), now.getMonth(), now.getDate());
      break;
    case '7d':
      from = new Date(now.getTime() - 7 * DAY_MS);
      break;
    case '30d':
      from = new Date(now.getTime() - 30 * DAY_MS);
      break;
    case 'month':
      from = new Date(now.getFullYear(), now.getMonth(), 1);
      break;
    default:
      from = null;
  }
  const bucket: Bucket = from && now.getTime() - from.getTime() <= 2 * DAY_MS ? 'hour' : 'day';
  const query: Query = from ? { period: 'custom', from: from.toISOString(), bucket } : { period: 'all', bucket };
  return { query, from, to: now, bucket };
}

// ---- Usage page filters ---------------------------------------------------------------------

export interface UsageFilters {
  from: string; // YYYY-MM-DD (local date) or ''
  to: string;
  project: string; // project id or ''
  model: string;
  type: string; // chat | responses | messages | embeddings
  callType: string; // completion | routing
  outcome: string; // success | error | timeout | budget_exceeded
  order: 'desc' | 'asc';
}

export const EMPTY_FILTERS: UsageFilters = {
  from: '', to: '', project: '', model: '', type: '', callType: '', outcome: '', order: 'desc',
};

export const FILTER_KEYS = ['from', 'to', 'project', 'model', 'type', 'callType', 'outcome', 'order'] as const;

export const OUTCOMES = ['success', 'error', 'timeout', 'budget_exceeded'];
export const TYPES = ['chat', 'responses', 'messages', 'embeddings', 'completions', 'images', 'audio', 'moderations'];
export const CALL_TYPES = ['completion', 'routing'];

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// A local calendar date as the instant its day starts (or, with endOfDay, its last millisecond).
export function localDateInstant(date: string, endOfDay: boolean): string | undefined {
  const m = DATE_RE.exec(date);
  if (!m) return undefined;
  const d = endOfDay
    ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999)
    : new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function filtersFromSearch(params: URLSearchParams): UsageFilters {
  const get = (k: string) => params.get(k) ?? '';
  const pick = (k: string, allowed: string[]) => (allowed.includes(get(k)) ? get(k) : '');
  return {
    from: DATE_RE.test(get('from')) ? get('from') : '',
    to: DATE_RE.test(get('to')) ? get('to') : '',
    project: get('project'),
    model: get('model'),
    type: pick('type', TYPES),
    callType: pick('callType', CALL_TYPES),
    outcome: pick('outcome', OUTCOMES),
    order: get('order') === 'asc' ? 'asc' : 'desc',
  };
}

// The URL search string of a filter set (defaults omitted), so the page state survives reloads.
export function filtersToSearch(filters: UsageFilters, page = 1): URLSearchParams {
  const out = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = filters[k];
    if (v && !(k === 'order' && v === 'desc')) out.set(k, v);
  }
  if (page > 1) out.set('page', String(page));
  return out;
}

// /api/usage (and /api/usage/export) parameters of a filter set. Without dates the whole
// history is queried (`period=all`); a date range is sent as local-day instants.
export function filtersToQuery(filters: UsageFilters): Query {
  const from = localDateInstant(filters.from, false);
  const to = localDateInstant(filters.to, true);
  const q: Query = { period: from || to ? 'custom' : 'all' };
  if (from) q.from = from;
  if (to) q.to = to;
  if (filters.project) q.project = filters.project;
  if (filters.model) q.model = filters.model;
  if (filters.type) q.type = filters.type;
  if (filters.callType) q.callType = filters.callType;
  if (filters.outcome) q.outcome = filters.outcome;
  if (filters.order === 'asc') q.order = 'asc';
  return q;
}

export function activeFilterCount(filters: UsageFilters): number {
  return FILTER_KEYS.filter((k) => k !== 'order' && filters[k]).length;
}

// A `from` after `to` is refused here rather than sent (the server would just answer nothing).
export function dateRangeError(filters: UsageFilters): string | null {
  if (filters.from && filters.to && filters.from > filters.to) return 'The start date is after the end date.';
  return null;
}

// ---- Aggregates -----------------------------------------------------------------------------

export interface BreakdownRow {
  key: string;
  label: string;
  calls: number;
  cost: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

// byModel / byProject objects → rows sorted by cost, then calls, then label. `labelOf` names a
// key (project ids → project names); the server's `slug` is the fallback for projects.
export function breakdownRows(
  data: Record<string, Record<string, unknown>> | undefined | null,
  labelOf: (key: string, entry: Record<string, unknown>) => string | undefined = () => undefined,
): BreakdownRow[] {
  if (!data || typeof data !== 'object') return [];
  const rows = Object.entries(data).map(([key, e]) => ({
    key,
    label: labelOf(key, e) ?? (typeof e.slug === 'string' && e.slug ? e.slug : key),
    calls: num(e.calls),
    cost: num(e.cost),
    errors: num(e.errors),
    inputTokens: num(e.inputTokens),
    outputTokens: num(e.outputTokens),
  }));
  return rows.sort((a, b) => b.cost - a.cost || b.calls - a.calls || a.label.localeCompare(b.label));
}

// The `limit - 1` largest rows by `metric`, the rest summed into one "Other" row, so a chart
// stays readable with many models.
export function topRows(rows: BreakdownRow[], metric: 'cost' | 'calls', limit = 8): BreakdownRow[] {
  const sorted = [...rows].sort((a, b) => b[metric] - a[metric] || a.label.localeCompare(b.label));
  if (sorted.length <= limit) return sorted;
  const head = sorted.slice(0, limit - 1);
  const rest = sorted.slice(limit - 1);
  const other: BreakdownRow = { key: '__other__', label: `Other (${rest.length})`, calls: 0, cost: 0, errors: 0, inputTokens: 0, outputTokens: 0 };
  for (const r of rest) {
    other.calls += r.calls;
    other.cost += r.cost;
    other.errors += r.errors;
    other.inputTokens += r.inputTokens;
    other.outputTokens += r.outputTokens;
  }
  return [...head, other];
}

export interface ChartPoint extends SeriesPoint {
  label: string; // axis label in local time
  success: number; // calls - errors
}

// Series bucket keys are UTC: `YYYY-MM-DD` (day) or `YYYY-MM-DDTHH` (hour).
export function bucketKey(ms: number, bucket: Bucket): string {
  const iso = new Date(ms).toISOString();
  return bucket === 'hour' ? iso.slice(0, 13) : iso.slice(0, 10);
}

export function bucketStart(key: string): number | null {
  const iso = key.length === 13 ? `${key}:00:00.000Z` : key.length === 10 ? `${key}T00:00:00.000Z` : '';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

function bucketLabel(key: string, bucket: Bucket): string {
  const t = bucketStart(key);
  if (t === null) return key;
  if (bucket === 'hour') {
    const d = new Date(t);
    return `${String(d.getHours()).padStart(2, '0')}:00`;
  }
  return key.slice(5); // MM-DD (UTC day)
}

const MAX_POINTS = 800;

// The server lists only buckets that have rows; charts want every bucket of the range, so the
// gaps are filled with zeros from `from` (or the first bucket) through `to`. Unknown keys are
// kept as they are. Long ranges are not padded beyond MAX_POINTS buckets.
export function fillSeries(series: SeriesPoint[] | undefined | null, bucket: Bucket, from: Date | null, to: Date): ChartPoint[] {
  const known = new Map<string, SeriesPoint>();
  for (const p of series ?? []) if (p && typeof p.bucket === 'string') known.set(p.bucket, p);
  const step = bucket === 'hour' ? HOUR_MS : DAY_MS;
  const starts = [...known.keys()].map(bucketStart).filter((t): t is number => t !== null);
  const first = from ? bucketStart(bucketKey(from.getTime(), bucket)) : starts.length ? Math.min(...starts) : null;
  const lastData = starts.length ? Math.max(...starts) : null;
  const last = Math.max(bucketStart(bucketKey(to.getTime(), bucket)) ?? 0, lastData ?? 0);
  const keys: string[] = [];
  if (first !== null && (last - first) / step < MAX_POINTS) {
    for (let t = first; t <= last; t += step) keys.push(bucketKey(t, bucket));
  }
  for (const k of known.keys()) if (!keys.includes(k)) keys.push(k);
  keys.sort();
  return keys.map((k) => {
    const p = known.get(k);
    const calls = num(p?.calls);
    const errors = num(p?.errors);
    return {
      bucket: k,
      label: bucketLabel(k, bucket),
      calls,
      errors,
      success: Math.max(0, calls - errors),
      cost: num(p?.cost),
      inputTokens: num(p?.inputTokens),
      outputTokens: num(p?.outputTokens),
    };
  });
}

// ---- Records --------------------------------------------------------------------------------

export type Tone = 'neutral' | 'success' | 'error' | 'warning' | 'info';

export function outcomeTone(outcome: string | undefined): Tone {
  switch (outcome) {
    case 'success':
      return 'success';
    case 'timeout':
    case 'budget_exceeded':
      return 'warning';
    case 'error':
      return 'error';
    default:
      return 'neutral';
  }
}

export function outcomeLabel(outcome: string | undefined): string {
  return (outcome ?? 'unknown').replace(/_/g, ' ');
}

// "chat · routing" style label of what a record was.
export function typeLabel(r: Pick<UsageRow, 'type' | 'callType'>): string {
  const parts = [r.type, r.callType === 'routing' ? 'routing' : undefined].filter(Boolean);
  return parts.length ? parts.join(' · ') : '—';
}

// The file name an export download gets: the server's Content-Disposition name when present.
export function exportFileName(disposition: string | null, format: 'csv' | 'ndjson', now: Date = new Date()): string {
  const m = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition) : null;
  if (m) return decodeURIComponent(m[1]);
  return `routerly-usage-${now.toISOString().slice(0, 10)}.${format}`;
}

export const REFRESH_CHOICES: { label: string; ms: number | null }[] = [
  { label: 'Off', ms: null },
  { label: '5 s', ms: 5000 },
  { label: '15 s', ms: 15000 },
  { label: '60 s', ms: 60000 },
];

// A compact local timestamp for tables: "Nov 24, 06:35:33" (the year only when it is not the
// current one).
export function shortDateTime(iso: string | undefined, now: Date = new Date()): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const opts: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
  if (d.getFullYear() !== now.getFullYear()) opts.year = 'numeric';
  return d.toLocaleString('en-US', opts);
}
