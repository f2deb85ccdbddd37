import { describe, expect, it } from 'vitest';
import type { Model, ProviderInfo } from '../api/types';
import {
  applyPreset, changeProvider, changeUpstream, emptyModelForm, formToBody, generatedId, modelFieldOf, modelToForm,
  validateModelForm,
} from './modelForm';

const providers: ProviderInfo[] = [
  {
    id: 'openai', endpoint: 'https://api.openai.com/v1', wire: 'openai',
    models: [
      { id: 'gpt-4o-mini', input: 0.15, output: 0.6, cache: 0.075, contextWindow: 128000, embedding: false },
      { id: 'text-embedding-3-small', input: 0.02, output: 0, embedding: true },
      { id: 'gemini-like', input: 1.25, output: 10, contextWindow: 1000000, embedding: false,
        pricingTiers: [{ metric: 'context_tokens', above: 200000, input: 2.5, output: 15, cache: 0.5 }] },
    ],
  },
  { id: 'custom', endpoint: '', wire: 'openai', models: [] },
  { id: 'ollama', endpoint: 'http://localhost:11434/v1', wire: 'openai', models: [] },
];

const stored: Model = {
  id: 'openai/gpt-4o-mini', name: 'openai/gpt-4o-mini', provider: 'openai', endpoint: 'https://api.openai.com/v1',
  upstreamModelId: 'gpt-4o-mini',
  cost: { inputPerMillion: 0.15, outputPerMillion: 0.6, cachePerMillion: 0.075,
    pricingTiers: [{ metric: 'context_tokens', above: 1000, inputPerMillion: 1, outputPerMillion: 2 } as never] },
  contextWindow: 128000, capabilities: { vision: true, json: true, embedding: false }, timeout: 20000, enabled: false,
  hasApiKey: true, createdAt: '2026-01-01T00:00:00Z',
  limits: [{ metric: 'cost', windowType: 'period', period: 'monthly', value: 5 }],
};

describe('preset prefill', () => {
  it('fills upstream id, prices, context window and generates the id', () => {
    const f = applyPreset(emptyModelForm('openai', providers), 'gpt-4o-mini', providers);
    expect(f).toMatchObject({
      preset: 'gpt-4o-mini', upstreamModelId: 'gpt-4o-mini', id: 'openai/gpt-4o-mini',
      input: '0.15', output: '0.6', cache: '0.075', cacheWrite: '', contextWindow: '128000', embedding: false, tiers: [],
    });
  });

  it('carries tiers and the embedding flag', () => {
    const tiered = applyPreset(emptyModelForm('openai', providers), 'gemini-like', providers);
    expect(tiered.tiers).toEqual([{ above: '200000', input: '2.5', output: '15', cache: '0.5' }]);
    const emb = applyPreset(emptyModelForm('openai', providers), 'text-embedding-3-small', providers);
    expect(emb.embedding).toBe(true);
    expect(emb.contextWindow).toBe('');
  });

  it('keeps an id the user typed', () => {
    const typed = { ...emptyModelForm('openai', providers), id: 'mine', idEdited: true };
    expect(applyPreset(typed, 'gpt-4o-mini', providers).id).toBe('mine');
    expect(changeUpstream(typed, 'other').id).toBe('mine');
  });

  it('"custom model" clears only the preset marker', () => {
    const f = applyPreset(emptyModelForm('openai', providers), 'gpt-4o-mini', providers);
    const custom = applyPreset(f, '', providers);
    expect(custom.preset).toBe('');
    expect(custom.input).toBe('0.15');
  });
});

describe('provider and upstream changes', () => {
  it('moves the endpoint with the provider unless it was typed', () => {
    const f = emptyModelForm('openai', providers);
    expect(f.endpoint).toBe('https://api.openai.com/v1');
    expect(changeProvider(f, 'ollama', providers).endpoint).toBe('http://localhost:11434/v1');
    const typed = { ...f, endpoint: 'http://127.0.0.1:9/v1' };
    expect(changeProvider(typed, 'ollama', providers).endpoint).toBe('http://127.0.0.1:9/v1');
  });

  it('regenerates the id from provider and upstream id', () => {
    const f = changeUpstream(emptyModelForm('openai', providers), 'my-model');
    expect(f.id).toBe('openai/my-model');
    expect(changeProvider(f, 'custom', providers).id).toBe('custom/my-model');
    expect(generatedId('x', '  ')).toBe('');
  });
});

describe('stored model ↔ form', () => {
  it('reads a stored model', () => {
    const f = modelToForm(stored, providers);
    expect(f).toMatchObject({
      provider: 'openai', preset: 'gpt-4o-mini', id: 'openai/gpt-4o-mini', name: '', upstreamModelId: 'gpt-4o-mini',
      input: '0.15', output: '0.6', cache: '0.075', contextWindow: '128000', timeout: '20000', enabled: false, apiKey: '',
    });
    expect(f.capabilities).toEqual({ vision: true, functionCalling: false, json: true, thinking: false });
    expect(f.tiers).toEqual([{ above: '1000', input: '1', output: '2', cache: '' }]);
  });

  it('accepts capabilities as a string array', () => {
    const f = modelToForm({ ...stored, capabilities: ['functionCalling', 'embedding'] }, providers);
    expect(f.capabilities.functionCalling).toBe(true);
    expect(f.embedding).toBe(true);
  });

  it('builds a full PUT body on edit', () => {
    const f = { ...modelToForm(stored, providers), contextWindow: '', timeout: '', tiers: [], upstreamModelId: '' };
    const body = formToBody(f, false);
    expect(body).toEqual({
      provider: 'openai', id: 'openai/gpt-4o-mini', name: '', upstreamModelId: '', endpoint: 'https://api.openai.com/v1',
      cost: { inputPerMillion: 0.15, outputPerMillion: 0.6, cachePerMillion: 0.075, pricingTiers: [] },
      contextWindow: null, timeout: null,
      capabilities: { vision: true, functionCalling: false, json: true, thinking: false, embedding: false },
      enabled: false, limits: [{ metric: 'cost', windowType: 'period', period: 'monthly', value: 5 }],
    });
    expect(body).not.toHaveProperty('apiKey');
  });

  it('builds a minimal POST body and sends a typed key', () => {
    const f = { ...changeUpstream(emptyModelForm('custom', providers), 'm1'), endpoint: 'http://127.0.0.1:4000/v1', apiKey: 'sk-1', input: '1', tiers: [] };
    const body = formToBody(f, true);
    expect(body).toEqual({
      provider: 'custom', id: 'custom/m1', upstreamModelId: 'm1', endpoint: 'http://127.0.0.1:4000/v1',
      cost: { inputPerMillion: 1 },
      capabilities: { vision: false, functionCalling: false, json: false, thinking: false, embedding: false },
      enabled: true, apiKey: 'sk-1',
    });
  });

  it('clones with a new id and copies the key through cloneFrom', () => {
    const f = modelToForm(stored, providers, true);
    expect(f.id).toBe('openai/gpt-4o-mini-copy');
    const body = formToBody(f, true, stored.id);
    expect(body.cloneFrom).toBe(stored.id);
    expect(body.id).toBe('openai/gpt-4o-mini-copy');
    expect((body.cost as { pricingTiers: unknown[] }).pricingTiers).toEqual([
      { metric: 'context_tokens', above: 1000, inputPerMillion: 1, outputPerMillion: 2 },
    ]);
    expect(formToBody({ ...f, apiKey: 'sk-new' }, true, stored.id)).not.toHaveProperty('cloneFrom');
  });
});

describe('validation', () => {
  it('requires an endpoint only where the catalogue has none', () => {
    const custom = changeUpstream(emptyModelForm('custom', providers), 'm');
    expect(validateModelForm(custom, providers, true).endpoint).toMatch(/required/);
    const openai = { ...changeUpstream(emptyModelForm('openai', providers), 'm'), endpoint: '' };
    expect(validateModelForm(openai, providers, true).endpoint).toBeUndefined();
    expect(validateModelForm({ ...openai, endpoint: 'ftp://x' }, providers, true).endpoint).toMatch(/http/);
  });

  it('checks numbers, timeout range and tiers', () => {
    const f = {
      ...changeUpstream(emptyModelForm('openai', providers), 'm'),
      input: '-1', output: 'abc', contextWindow: '1.5', timeout: '500',
      tiers: [{ above: '100', input: '', output: '1', cache: '' }],
    };
    const e = validateModelForm(f, providers, true);
    expect(Object.keys(e).sort()).toEqual(['contextWindow', 'input', 'output', 'tiers', 'timeout']);
    expect(validateModelForm({ ...f, input: '', output: '', contextWindow: '', timeout: '3600000', tiers: [] }, providers, true)).toEqual({});
  });

  it('needs an id or an upstream id', () => {
    expect(validateModelForm(emptyModelForm('openai', providers), providers, true).id).toBeDefined();
  });
});

describe('server error placement', () => {
  it('maps server paths to form fields', () => {
    expect(modelFieldOf('cost.inputPerMillion')).toBe('input');
    expect(modelFieldOf('inputPrice')).toBe('input');
    expect(modelFieldOf('cost.pricingTiers[0].above')).toBe('tiers');
    expect(modelFieldOf('baseUrl')).toBe('endpoint');
    expect(modelFieldOf('limits[1].value')).toBe('limits');
    expect(modelFieldOf('capabilities.vision')).toBe('capabilities');
    expect(modelFieldOf('somethingElse')).toBeNull();
  });
});
