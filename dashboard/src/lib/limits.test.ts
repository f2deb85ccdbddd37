import { describe, expect, it } from 'vitest';
import type { Limit } from '../api/types';
import { describeLimit, effectiveModelLimits, limitErrors, newLimit, normalizeLimit, normalizeLimits, validateLimits, withWindowType } from './limits';

describe('limitErrors', () => {
  it('accepts a positive period limit', () => {
    expect(limitErrors(newLimit())).toEqual({});
  });
  it('rejects zero, negative and missing values', () => {
    expect(limitErrors({ ...newLimit(), value: 0 }).value).toMatch(/greater than 0/);
    expect(limitErrors({ ...newLimit(), value: -3 }).value).toBeDefined();
    expect(limitErrors({ ...newLimit(), value: Number.NaN }).value).toBeDefined();
  });
  it('requires a whole rolling amount of at least 1', () => {
    const rolling: Limit = { metric: 'calls', windowType: 'rolling', rollingAmount: 0, rollingUnit: 'minute', value: 5 };
    expect(limitErrors(rolling).rollingAmount).toBeDefined();
    expect(limitErrors({ ...rolling, rollingAmount: 1.5 }).rollingAmount).toBeDefined();
    expect(limitErrors({ ...rolling, rollingAmount: 1 })).toEqual({});
  });
  it('does not check the rolling amount of a period limit', () => {
    expect(limitErrors({ ...newLimit(), rollingAmount: 0 })).toEqual({});
  });
});

describe('validateLimits', () => {
  it('names the first invalid row (1-based)', () => {
    expect(validateLimits([newLimit(), { ...newLimit(), value: 0 }])).toMatch(/^Limit 2:/);
    expect(validateLimits([newLimit()])).toBeNull();
    expect(validateLimits([])).toBeNull();
  });
});

describe('normalizeLimit', () => {
  it('keeps only the keys of the window type', () => {
    const mixed: Limit = { metric: 'cost', windowType: 'rolling', period: 'daily', rollingAmount: 3, rollingUnit: 'hour', value: 2 };
    expect(normalizeLimit(mixed)).toEqual({ metric: 'cost', windowType: 'rolling', rollingAmount: 3, rollingUnit: 'hour', value: 2 });
    expect(normalizeLimit({ ...mixed, windowType: 'period' })).toEqual({ metric: 'cost', windowType: 'period', period: 'daily', value: 2 });
  });
  it('fills defaults for missing window details and tolerates absent lists', () => {
    expect(normalizeLimit({ metric: 'calls', windowType: 'rolling', value: 1 })).toMatchObject({ rollingAmount: 1, rollingUnit: 'day' });
    expect(normalizeLimit({ metric: 'calls', windowType: 'period', value: 1 }).period).toBe('monthly');
    expect(normalizeLimits(undefined)).toEqual([]);
  });
});

describe('withWindowType / describeLimit', () => {
  it('switches window type with defaults and keeps the metric and value', () => {
    const r = withWindowType(newLimit(), 'rolling');
    expect(r).toMatchObject({ windowType: 'rolling', rollingAmount: 1, rollingUnit: 'day', metric: 'cost', value: 10 });
    expect(withWindowType(r, 'period').period).toBe('monthly');
  });
  it('describes limits readably', () => {
    expect(describeLimit(newLimit())).toBe('$10 monthly');
    expect(describeLimit({ metric: 'calls', windowType: 'rolling', rollingAmount: 5, rollingUnit: 'minute', value: 100 })).toBe('100 calls per rolling 5 minutes');
  });
});

describe('effectiveModelLimits (SPEC §6.2)', () => {
  const g: Limit = { metric: 'cost', windowType: 'period', period: 'monthly', value: 100 };
  const p: Limit = { metric: 'calls', windowType: 'period', period: 'daily', value: 50 };
  const t: Limit = { metric: 'calls', windowType: 'rolling', rollingAmount: 1, rollingUnit: 'minute', value: 5 };
  it('keeps the global limits when no level is set', () => {
    expect(effectiveModelLimits([g], undefined, undefined)).toEqual([g]);
  });
  it('replaces by default and extends on request, level by level', () => {
    expect(effectiveModelLimits([g], { limits: [p] })).toEqual([p]);
    expect(effectiveModelLimits([g], { limitsMode: 'extend', limits: [p] }, { limitsMode: 'extend', limits: [t] })).toEqual([t, p, g]);
    expect(effectiveModelLimits([g], { limitsMode: 'extend', limits: [p] }, { limitsMode: 'replace', limits: [t] })).toEqual([t]);
  });
  it('treats empty replace/extend as transparent and disable as clearing', () => {
    expect(effectiveModelLimits([g], { limitsMode: 'replace', limits: [] })).toEqual([g]);
    expect(effectiveModelLimits([g], { limitsMode: 'disable' })).toEqual([]);
    expect(effectiveModelLimits([g], { limitsMode: 'disable' }, { limitsMode: 'extend', limits: [t] })).toEqual([t]);
  });
});
