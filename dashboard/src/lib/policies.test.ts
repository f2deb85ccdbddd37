import { describe, expect, it } from 'vitest';
import type { Policy } from '../api/types';
import {
  POLICY_TYPES, availableTypes, cleanPolicies, getPath, intentsOf, newPolicy, parseConfigJson, setPath,
  toDraftPolicies, validatePolicies, validatePolicyConfig,
} from './policies';

describe('catalogue', () => {
  it('knows the ten policy types of SPEC §5.3', () => {
    expect(POLICY_TYPES.map((p) => p.type).sort()).toEqual([
      'budget-remaining', 'capability', 'cheapest', 'context', 'fairness', 'health', 'llm', 'performance', 'rate-limit', 'semantic-intent',
    ]);
  });
  it('gives new policies their documented defaults, enabled', () => {
    expect(newPolicy('health')).toEqual({ type: 'health', enabled: true, config: { windowMinutes: 20, halfLifeMinutes: 5, pseudoCounts: 2, circuitBreaker: 0.9 } });
    expect(newPolicy('cheapest')).toEqual({ type: 'cheapest', enabled: true });
    expect(newPolicy('fairness').config).toEqual({ windowMinutes: 60 });
  });
  it('offers only the types not yet in the stack', () => {
    const left = availableTypes([newPolicy('health'), newPolicy('llm')]).map((p) => p.type);
    expect(left).toHaveLength(8);
    expect(left).not.toContain('health');
    expect(left).not.toContain('llm');
  });
});

describe('validatePolicyConfig', () => {
  it('applies the server ranges', () => {
    expect(validatePolicyConfig('health', { windowMinutes: 0 }).windowMinutes).toMatch(/greater than 0/);
    expect(validatePolicyConfig('health', { halfLifeMinutes: 0 })).toEqual({});
    expect(validatePolicyConfig('health', { circuitBreaker: 1.5 }).circuitBreaker).toMatch(/at most 1/);
    expect(validatePolicyConfig('rate-limit', { maxCallsPerWindow: 2.5 }).maxCallsPerWindow).toMatch(/whole number/);
    expect(validatePolicyConfig('semantic-intent', { embedding_provider: 'openai', embedding_model: 'e', absolute_threshold: -2, intents: { a: { examples: ['x'], candidate_models: [] } } }))
      .toEqual({ absolute_threshold: 'Must be at least -1 and at most 1' });
  });
  it('requires the llm routing model and keeps it out of the fallbacks', () => {
    expect(validatePolicyConfig('llm', {}).routingModelId).toBeDefined();
    expect(validatePolicyConfig('llm', { routingModelId: 'a' })).toEqual({});
    expect(validatePolicyConfig('llm', { routingModelId: 'a', fallbackModelIds: ['a'] }).fallbackModelIds).toBeDefined();
  });
  it('checks cache fields only by their own rules', () => {
    expect(validatePolicyConfig('llm', { routingModelId: 'a', cache: { enabled: true, similarity_threshold: 2 } })['cache.similarity_threshold']).toBeDefined();
  });
  it('needs named intents with examples', () => {
    const base = { embedding_provider: 'openai', embedding_model: 'e' };
    expect(validatePolicyConfig('semantic-intent', { ...base, intents: [] }).intents).toMatch(/at least one/);
    expect(validatePolicyConfig('semantic-intent', { ...base, intents: [{ name: 'a', examples: [' '], candidate_models: [] }] }).intents).toMatch(/example/);
    expect(validatePolicyConfig('semantic-intent', { ...base, intents: [{ name: 'a', examples: ['x'] }, { name: 'a ', examples: ['y'] }] }).intents).toMatch(/Two intents/);
    expect(validatePolicyConfig('semantic-intent', { intents: [{ name: 'a', examples: ['x'] }] })).toMatchObject({ embedding_model: expect.any(String) });
  });
  it('flags unknown types and duplicate types in a stack', () => {
    expect(validatePolicyConfig('magic', {}).type).toBeDefined();
    const errs = validatePolicies([newPolicy('cheapest'), { type: 'cheapest', enabled: false }]);
    expect(Object.keys(errs)).toEqual(['1']);
    expect(errs[1].type).toMatch(/twice/);
  });
});

describe('draft ⇄ API conversion', () => {
  const api: Policy[] = [{
    type: 'semantic-intent', enabled: true,
    config: { embedding_provider: 'openai', embedding_model: 'e', intents: { code: { examples: ['fix bug'], candidate_models: ['m1'] }, chat: { examples: ['hi'], candidate_models: [] } } },
  }, { type: 'cheapest', enabled: false }];

  it('round-trips intents through the ordered draft array', () => {
    const draft = toDraftPolicies(api);
    expect(Array.isArray(draft[0].config?.intents)).toBe(true);
    expect(intentsOf(draft[0].config).map((i) => i.name)).toEqual(['code', 'chat']);
    expect(cleanPolicies(draft)).toEqual(api);
  });
  it('drops blank example lines and empty optional values on save', () => {
    const draft: Policy[] = [{
      type: 'semantic-intent', enabled: true,
      config: { embedding_provider: 'openai', embedding_model: 'e', embedding_endpoint: '', intents: [{ name: ' code ', examples: ['a', '', ' b '], candidate_models: [] }] },
    }, { type: 'llm', enabled: true, config: { routingModelId: 'r', fallbackModelIds: [], maxCompletionTokens: Number.NaN } }];
    expect(cleanPolicies(draft)).toEqual([
      { type: 'semantic-intent', enabled: true, config: { embedding_provider: 'openai', embedding_model: 'e', intents: { code: { examples: ['a', 'b'], candidate_models: [] } } } },
      { type: 'llm', enabled: true, config: { routingModelId: 'r' } },
    ]);
  });
  it('treats a missing enabled flag as enabled', () => {
    expect(toDraftPolicies([{ type: 'context' } as Policy])[0].enabled).toBe(true);
  });
});

describe('paths and JSON', () => {
  it('sets and clears nested keys without mutating', () => {
    const src = { a: 1 };
    const set = setPath(src, 'cache.ttl_seconds', 60);
    expect(set).toEqual({ a: 1, cache: { ttl_seconds: 60 } });
    expect(src).toEqual({ a: 1 });
    expect(getPath(set, 'cache.ttl_seconds')).toBe(60);
    expect(setPath(set, 'cache.ttl_seconds', undefined)).toEqual({ a: 1 });
  });
  it('accepts only JSON objects as advanced config', () => {
    expect(parseConfigJson('{"x":1}')).toEqual({ config: { x: 1 } });
    expect(parseConfigJson('')).toEqual({ config: {} });
    expect(parseConfigJson('[1]')).toEqual({ error: 'Config must be a JSON object' });
    expect('error' in parseConfigJson('{x')).toBe(true);
  });
});
