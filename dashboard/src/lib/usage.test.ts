import { describe, expect, it } from 'vitest';
import {
  EMPTY_FILTERS, activeFilterCount, breakdownRows, shortDateTime, bucketKey, dateRangeError, exportFileName, fillSeries,
  cursorKey, filtersFromSearch, filtersToQuery, filtersToSearch, localDateInstant, outcomeTone, pageParams, periodRange,
  topRows, typeLabel,
} from './usage';

describe('periodRange', () => {
  const now = new Date(2026, 10, 24, 15, 30, 0); // local 24 Nov 2026 15:30

  it('today starts at local midnight, hourly buckets', () => {
    const r = periodRange('today', now);
    expect(r.bucket).toBe('hour');
    expect(r.query.period).toBe('custom');
    expect(r.query.bucket).toBe('hour');
    expect(new Date(String(r.query.from)).getTime()).toBe(new Date(2026, 10, 24).getTime());
    expect(r.from?.getTime()).toBe(new Date(2026, 10, 24).getTime());
  });

  it('7 and 30 days go back that many days with daily buckets', () => {
    const week = periodRange('7d', now);
    expect(week.bucket).toBe('day');
    expect(now.getTime() - Date.parse(String(week.query.from))).toBe(7 * 86_400_000);
    const month = periodRange('30d', now);
    expect(now.getTime() - Date.parse(String(month.query.from))).toBe(30 * 86_400_000);
    expect(month.query.bucket).toBe('day');
  });

  it('this month starts on the 1st; early in the month it is hourly', () => {
    const r = periodRange('month', now);
    expect(Date.parse(String(r.query.from))).toBe(new Date(2026, 10, 1).getTime());
    expect(r.bucket).toBe('day');
    const early = periodRange('month', new Date(2026, 10, 2, 10));
    expect(early.bucket).toBe('hour');
  });

  it('all time asks the server for period=all without from', () => {
    const r = periodRange('all', now);
    expect(r.query).toEqual({ period: 'all', bucket: 'day' });
    expect(r.from).toBeNull();
  });
});

describe('paging', () => {
  it('uses a remembered cursor past page one and the page number otherwise', () => {
    expect(pageParams(1, 'c')).toEqual({ page: 1 });
    expect(pageParams(3, undefined)).toEqual({ page: 3 });
    expect(pageParams(3, '1767225600000_42')).toEqual({ cursor: '1767225600000_42' });
    expect(cursorKey('{"period":"all"}', 2)).not.toBe(cursorKey('{"period":"all"}', 3));
  });
});

describe('filters', () => {
  it('round-trips through the URL, dropping defaults and junk', () => {
    const f = { ...EMPTY_FILTERS, from: '2026-11-01', project: 'demo', outcome: 'error', order: 'asc' as const };
    const search = filtersToSearch(f, 3);
    expect(search.toString()).toBe('from=2026-11-01&project=demo&outcome=error&order=asc&page=3');
    expect(filtersFromSearch(search)).toEqual(f);
    const junk = filtersFromSearch(new URLSearchParams('from=yesterday&outcome=weird&type=chat&order=up'));
    expect(junk).toEqual({ ...EMPTY_FILTERS, type: 'chat' });
    expect(filtersToSearch(EMPTY_FILTERS).toString()).toBe('');
  });

  it('maps to /api/usage params; dates become local-day instants', () => {
    expect(filtersToQuery(EMPTY_FILTERS)).toEqual({ period: 'all' });
    const q = filtersToQuery({ ...EMPTY_FILTERS, from: '2026-11-01', to: '2026-11-03', model: 'openai/gpt-4o', type: 'chat', callType: 'routing', outcome: 'timeout', order: 'asc' });
    expect(q.period).toBe('custom');
    expect(Date.parse(String(q.from))).toBe(new Date(2026, 10, 1).getTime());
    expect(Date.parse(String(q.to))).toBe(new Date(2026, 10, 3, 23, 59, 59, 999).getTime());
    expect(q).toMatchObject({ model: 'openai/gpt-4o', type: 'chat', callType: 'routing', outcome: 'timeout', order: 'asc' });
    expect(filtersToQuery({ ...EMPTY_FILTERS, to: '2026-11-03' })).not.toHaveProperty('from');
  });

  it('validates dates and counts active filters', () => {
    expect(localDateInstant('2026-13-45x', false)).toBeUndefined();
    expect(dateRangeError({ ...EMPTY_FILTERS, from: '2026-11-05', to: '2026-11-01' })).toMatch(/after/);
    expect(dateRangeError({ ...EMPTY_FILTERS, from: '2026-11-01', to: '2026-11-01' })).toBeNull();
    expect(activeFilterCount({ ...EMPTY_FILTERS, order: 'asc', model: 'x', outcome: 'error' })).toBe(2);
  });
});

describe('breakdowns', () => {
  const byProject = {
    p1: { slug: 'demo', calls: 7, cost: 0.00049, errors: 1, inputTokens: 24, outputTokens: 43 },
    p2: { slug: 'other', calls: 2, cost: 0.00013, errors: 0, inputTokens: 4, outputTokens: 12 },
    p3: { calls: 9, cost: 0.00049 },
  };

  it('sorts by cost then calls and names rows', () => {
    const rows = breakdownRows(byProject, (id) => (id === 'p1' ? 'Demo project' : undefined));
    expect(rows.map((r) => r.label)).toEqual(['p3', 'Demo project', 'other']);
    expect(rows[0]).toMatchObject({ key: 'p3', errors: 0, inputTokens: 0 });
    expect(breakdownRows(undefined)).toEqual([]);
  });

  it('sums the tail into Other', () => {
    const rows = breakdownRows(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`m${i}`, { calls: i + 1, cost: 10 - i }])));
    const top = topRows(rows, 'calls', 4);
    expect(top.map((r) => r.key)).toEqual(['m9', 'm8', 'm7', '__other__']);
    expect(top[3].calls).toBe(1 + 2 + 3 + 4 + 5 + 6 + 7);
    expect(top[3].label).toBe('Other (7)');
    expect(topRows(rows.slice(0, 3), 'cost', 4)).toHaveLength(3);
  });
});

describe('fillSeries', () => {
  const point = (bucket: string, calls: number, errors = 0, cost = 0) => ({ bucket, calls, errors, cost, inputTokens: 0, outputTokens: 0 });

  it('fills missing days with zeros across the range', () => {
    const from = new Date(Date.UTC(2026, 10, 20, 12));
    const to = new Date(Date.UTC(2026, 10, 24, 8));
    const out = fillSeries([point('2026-11-21', 3, 1, 0.5), point('2026-11-24', 2)], 'day', from, to);
    expect(out.map((p) => p.bucket)).toEqual(['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24']);
    expect(out[1]).toMatchObject({ calls: 3, errors: 1, success: 2, cost: 0.5, label: '11-21' });
    expect(out[2]).toMatchObject({ calls: 0, cost: 0 });
  });

  it('fills hours and starts at the first bucket when the range is open', () => {
    const to = new Date(Date.UTC(2026, 10, 24, 9, 15));
    const hours = fillSeries([point('2026-11-24T06', 1)], 'hour', null, to);
    expect(hours.map((p) => p.bucket)).toEqual(['2026-11-24T06', '2026-11-24T07', '2026-11-24T08', '2026-11-24T09']);
    expect(fillSeries([], 'day', null, to)).toEqual([]);
    expect(bucketKey(Date.UTC(2026, 0, 2, 3), 'hour')).toBe('2026-01-02T03');
  });

  it('keeps buckets it cannot parse and does not pad huge ranges', () => {
    const out = fillSeries([point('odd', 1)], 'day', null, new Date(Date.UTC(2026, 0, 1)));
    expect(out.map((p) => p.bucket)).toEqual(['odd']);
    const long = fillSeries([point('2000-01-01', 1), point('2026-01-01', 1)], 'day', null, new Date(Date.UTC(2026, 0, 1)));
    expect(long).toHaveLength(2);
  });
});

describe('record labels', () => {
  it('gives outcome tones and type labels', () => {
    expect(outcomeTone('success')).toBe('success');
    expect(outcomeTone('error')).toBe('error');
    expect(outcomeTone('budget_exceeded')).toBe('warning');
    expect(outcomeTone('timeout')).toBe('warning');
    expect(outcomeTone(undefined)).toBe('neutral');
    expect(typeLabel({ type: 'chat', callType: 'routing' })).toBe('chat · routing');
    expect(typeLabel({ type: 'messages', callType: 'completion' })).toBe('messages');
    expect(typeLabel({})).toBe('—');
  });

  it('names export files from Content-Disposition', () => {
    expect(exportFileName('attachment; filename="routerly-usage-2026-11-24.csv"', 'csv')).toBe('routerly-usage-2026-11-24.csv');
    expect(exportFileName(null, 'ndjson', new Date(Date.UTC(2026, 0, 5)))).toBe('routerly-usage-2026-01-05.ndjson');
  });
});

describe('shortDateTime', () => {
  it('is compact, adds the year only for other years, and survives bad input', () => {
    const now = new Date(2026, 10, 24, 12);
    expect(shortDateTime(new Date(2026, 10, 24, 6, 35, 33).toISOString(), now)).toBe('Nov 24, 06:35:33');
    expect(shortDateTime(new Date(2025, 0, 2, 23, 5, 1).toISOString(), now)).toBe('Jan 2, 2025, 23:05:01');
    expect(shortDateTime(new Date(2026, 0, 3, 0, 7, 9).toISOString(), now)).toBe('Jan 3, 00:07:09');
    expect(shortDateTime('nonsense', now)).toBe('nonsense');
    expect(shortDateTime(undefined, now)).toBe('—');
  });
});
