// Pure helpers for usage limits (SPEC §6.1): defaults for a new row, per-row validation and the
// normalised shape sent to the API (only the window keys that match the window type).
import type { Limit, Metric, Period, RollingUnit } from '../api/types';

export const METRICS: { value: Metric; label: string }[] = [
  { value: 'cost', label: 'Cost (USD)' },
  { value: 'calls', label: 'Calls' },
  { value: 'input_tokens', label: 'Input tokens' },
  { value: 'output_tokens', label: 'Output tokens' },
  { value: 'total_tokens', label: 'Total tokens' },
];
export const PERIODS: Period[] = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'];
export const ROLLING_UNITS: RollingUnit[] = ['second', 'minute', 'hour', 'day', 'week', 'month'];

export function newLimit(): Limit {
  return { metric: 'cost', windowType: 'period', period: 'monthly', value: 10 };
}

export interface LimitErrors { value?: string; rollingAmount?: string }

export function limitErrors(l: Limit): LimitErrors {
  const e: LimitErrors = {};
  if (typeof l.value !== 'number' || !Number.isFinite(l.value) || l.value <= 0) e.value = 'Enter a value greater than 0';
  if (l.windowType === 'rolling') {
    const a = l.rollingAmount;
    if (typeof a !== 'number' || !Number.isInteger(a) || a < 1) e.rollingAmount = 'Enter a whole number of at least 1';
  }
  return e;
}

// The first problem in a list of limits, as "Limit 2: …", or null when all rows are valid.
export function validateLimits(limits: Limit[]): string | null {
  for (let i = 0; i < limits.length; i++) {
    const e = limitErrors(limits[i]);
    const msg = e.value ?? e.rollingAmount;
    if (msg) return `Limit ${i + 1}: ${msg}`;
  }
  return null;
}

export function normalizeLimit(l: Limit): Limit {
  if (l.windowType === 'rolling') {
    return { metric: l.metric, windowType: 'rolling', rollingAmount: l.rollingAmount ?? 1, rollingUnit: l.rollingUnit ?? 'day', value: l.value };
  }
  return { metric: l.metric, windowType: 'period', period: l.period ?? 'monthly', value: l.value };
}

export function normalizeLimits(limits: Limit[] | undefined | null): Limit[] {
  return (limits ?? []).map(normalizeLimit);
}

// Switching the window type keeps the other fields and fills sensible defaults for the new one.
export function withWindowType(l: Limit, windowType: Limit['windowType']): Limit {
  if (windowType === 'rolling') return { ...l, windowType, rollingAmount: l.rollingAmount ?? 1, rollingUnit: l.rollingUnit ?? 'day' };
  return { ...l, windowType, period: l.period ?? 'monthly' };
}

// "≤ $10 per month", "≤ 1000 calls per rolling 5 minutes" — for read-only listings.
export function describeLimit(l: Limit): string {
  const metric = METRICS.find((m) => m.value === l.metric)?.label.toLowerCase() ?? l.metric;
  const amount = l.metric === 'cost' ? `$${l.value}` : `${l.value} ${metric}`;
  if (l.windowType === 'rolling') {
    const n = l.rollingAmount ?? 1;
    return `${amount} per rolling ${n} ${l.rollingUnit ?? 'day'}${n === 1 ? '' : 's'}`;
  }
  return `${amount} ${l.period ?? 'monthly'}`;
}

// A per-model limit level (project model ref or token model ref, SPEC §6.2).
export interface LimitLevel { limitsMode?: 'replace' | 'extend' | 'disable'; limits?: Limit[] }

// The limits that apply to one model for one project and token (SPEC §6.2): start from the
// model's global limits, then apply the project level and then the token level. An absent
// level is transparent; `disable` clears; `replace`/`extend` with no limits are transparent.
export function effectiveModelLimits(global: Limit[] | undefined, ...levels: (LimitLevel | undefined)[]): Limit[] {
  let out = [...(global ?? [])];
  for (const level of levels) {
    if (!level) continue;
    const mode = level.limitsMode ?? 'replace';
    if (mode === 'disable') { out = []; continue; }
    const own = level.limits ?? [];
    if (own.length === 0) continue;
    out = mode === 'replace' ? [...own] : [...own, ...out];
  }
  return out;
}
