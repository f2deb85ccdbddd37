// The routing policy catalogue (SPEC §5.3–5.5) as the dashboard edits it: each type's config
// fields with defaults and the same range rules the server applies (src/routing/validate.cpp,
// routing/llm/config.cpp), so most mistakes are caught before saving.
import type { Policy } from '../api/types';

export type PolicyType =
  | 'context' | 'cheapest' | 'health' | 'performance' | 'llm'
  | 'capability' | 'rate-limit' | 'fairness' | 'budget-remaining' | 'semantic-intent';

export type FieldKind = 'number' | 'integer' | 'boolean' | 'string' | 'secret' | 'text' | 'select' | 'model' | 'models';

export interface PolicyField {
  key: string;             // dotted path inside config ("cache.ttl_seconds")
  label: string;
  kind: FieldKind;
  hint?: string;
  required?: boolean;
  min?: number;            // lower bound…
  minExclusive?: boolean;  // …excluded (value must be greater than min)
  max?: number;
  options?: string[];      // for 'select'
  placeholder?: string;
  // Shown only when this returns true for the current config.
  visible?: (config: Record<string, unknown>) => boolean;
}

export interface PolicyInfo { type: PolicyType; label: string; description: string; fields: PolicyField[]; defaults: Record<string, unknown> }

const windowField = (def: number): PolicyField => ({
  key: 'windowMinutes', label: 'Window (minutes)', kind: 'number', min: 0, minExclusive: true, hint: `Default ${def}`,
});
const halfLife: PolicyField = { key: 'halfLifeMinutes', label: 'Half-life (minutes)', kind: 'number', min: 0, hint: '0 = plain mean' };
const cacheOn = (c: Record<string, unknown>) => getPath(c, 'cache.enabled') === true;

export const POLICY_TYPES: PolicyInfo[] = [
  { type: 'context', label: 'Context window', description: 'Excludes models whose context window is too small for the request; prefers ones with headroom.', fields: [], defaults: {} },
  { type: 'cheapest', label: 'Cheapest', description: 'Prefers the model with the lowest average price per token.', fields: [], defaults: {} },
  {
    type: 'health', label: 'Health', description: 'Scores models by their recent error rate; a circuit breaker excludes failing ones.',
    fields: [windowField(20), halfLife,
      { key: 'pseudoCounts', label: 'Pseudo-counts', kind: 'number', min: 0, hint: 'Smoothing for few samples' },
      { key: 'circuitBreaker', label: 'Circuit breaker (error rate)', kind: 'number', min: 0, minExclusive: true, max: 1, hint: 'Exclude at or above this error rate (0–1]' }],
    defaults: { windowMinutes: 20, halfLifeMinutes: 5, pseudoCounts: 2, circuitBreaker: 0.9 },
  },
  {
    type: 'performance', label: 'Performance', description: 'Prefers the models with the lowest recent latency.',
    fields: [windowField(20), halfLife, { key: 'minSamples', label: 'Minimum samples', kind: 'integer', min: 0 }],
    defaults: { windowMinutes: 20, halfLifeMinutes: 5, minSamples: 1 },
  },
  {
    type: 'llm', label: 'LLM router', description: 'Asks a routing model to score the candidates for each request, using the models’ prompt hints.',
    fields: [
      { key: 'routingModelId', label: 'Routing model', kind: 'model', required: true },
      { key: 'fallbackModelIds', label: 'Fallback routing models', kind: 'models', hint: 'Tried in order when the routing model fails' },
      { key: 'autoRouting', label: 'Automatic routing prompt', kind: 'boolean' },
      { key: 'additionalPromptInfo', label: 'Additional prompt context', kind: 'text', visible: (c) => c.autoRouting === false },
      { key: 'thinking', label: 'Allow thinking', kind: 'boolean' },
      { key: 'includeReason', label: 'Ask for reasons', kind: 'boolean' },
      { key: 'memory', label: 'Conversation memory', kind: 'boolean', hint: 'Uses the x-routerly-conversation-id header' },
      { key: 'memoryCount', label: 'Memory size (turns)', kind: 'integer', min: 0, max: 50, visible: (c) => c.memory === true },
      { key: 'maxCompletionTokens', label: 'Max completion tokens', kind: 'integer', min: 1, max: 1000000, hint: 'Optional; at least 50 is used' },
      { key: 'maxUserMessageChars', label: 'Max user message characters', kind: 'integer', min: 1, max: 10000000, hint: 'Optional; longer messages are cut' },
      { key: 'timeoutMs', label: 'Policy timeout (ms)', kind: 'integer', min: 1, max: 600000, hint: 'Optional; default 8000' },
      { key: 'cache.enabled', label: 'Semantic routing cache', kind: 'boolean' },
      { key: 'cache.embedding_provider', label: 'Cache embedding provider', kind: 'select', options: ['openai', 'ollama'], visible: cacheOn },
      { key: 'cache.embedding_model', label: 'Cache embedding model', kind: 'string', visible: cacheOn },
      { key: 'cache.embedding_endpoint', label: 'Cache embedding endpoint', kind: 'string', visible: cacheOn },
      { key: 'cache.embedding_api_key', label: 'Cache embedding API key', kind: 'secret', visible: cacheOn },
      { key: 'cache.ttl_seconds', label: 'Cache TTL (seconds)', kind: 'number', min: 1, max: 31536000, visible: cacheOn },
      { key: 'cache.similarity_threshold', label: 'Cache similarity threshold', kind: 'number', min: 0, max: 1, visible: cacheOn },
      { key: 'cache.extend_on_hit', label: 'Extend TTL on hit', kind: 'boolean', visible: cacheOn },
    ],
    defaults: { routingModelId: '', fallbackModelIds: [], autoRouting: true, thinking: false, includeReason: false, memory: false, memoryCount: 5 },
  },
  { type: 'capability', label: 'Capability', description: 'Excludes models that lack vision, function calling or JSON mode when the request needs it.', fields: [], defaults: {} },
  {
    type: 'rate-limit', label: 'Rate limit', description: 'Spreads calls across models that have a global calls limit; optionally excludes busy ones.',
    fields: [windowField(1), { key: 'maxCallsPerWindow', label: 'Max calls per window', kind: 'integer', min: 0, minExclusive: true, hint: 'Optional' }],
    defaults: { windowMinutes: 1 },
  },
  {
    type: 'fairness', label: 'Fairness', description: 'Spreads this project’s successful calls evenly across its models.',
    fields: [windowField(60)], defaults: { windowMinutes: 60 },
  },
  { type: 'budget-remaining', label: 'Budget remaining', description: 'Prefers models with the most remaining budget headroom.', fields: [], defaults: {} },
  {
    type: 'semantic-intent', label: 'Semantic intent', description: 'Classifies the request by embedding similarity to example intents and keeps the intent’s models.',
    fields: [
      { key: 'embedding_provider', label: 'Embedding provider', kind: 'select', options: ['openai', 'ollama'], required: true },
      { key: 'embedding_model', label: 'Embedding model', kind: 'string', required: true, placeholder: 'text-embedding-3-small' },
      { key: 'embedding_endpoint', label: 'Embedding endpoint', kind: 'string', hint: 'Optional; the provider default when empty' },
      { key: 'embedding_api_key', label: 'Embedding API key', kind: 'secret' },
      { key: 'absolute_threshold', label: 'Absolute threshold', kind: 'number', min: -1, max: 1, hint: 'Below this similarity the intent is unknown (default 0.60)' },
      { key: 'ambiguity_threshold', label: 'Ambiguity threshold', kind: 'number', min: 0, max: 1, hint: 'Top-2 margin below this is ambiguous (default 0.08)' },
    ],
    defaults: { embedding_provider: 'openai', embedding_model: '', absolute_threshold: 0.6, ambiguity_threshold: 0.08, intents: {} },
  },
];

export function policyInfo(type: string): PolicyInfo | undefined {
  return POLICY_TYPES.find((p) => p.type === type);
}

// A new policy with its documented defaults (semantic-intent starts with an empty draft intent list).
export function newPolicy(type: PolicyType): Policy {
  const info = policyInfo(type);
  const defaults = info ? structuredClone(info.defaults) : {};
  if (type === 'semantic-intent') defaults.intents = [];
  return Object.keys(defaults).length ? { type, enabled: true, config: defaults } : { type, enabled: true };
}

// Types not yet in the stack (each type may appear once).
export function availableTypes(policies: Policy[]): PolicyInfo[] {
  const used = new Set(policies.map((p) => p.type));
  return POLICY_TYPES.filter((p) => !used.has(p.type));
}

export function getPath(obj: Record<string, unknown> | undefined, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

// A copy of `obj` with `path` set; `undefined` removes the key (and empty parents).
export function setPath(obj: Record<string, unknown> | undefined, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  const out: Record<string, unknown> = { ...(obj ?? {}) };
  if (rest.length === 0) {
    if (value === undefined) delete out[head];
    else out[head] = value;
    return out;
  }
  const child = out[head];
  const next = setPath(child && typeof child === 'object' && !Array.isArray(child) ? (child as Record<string, unknown>) : {}, rest.join('.'), value);
  if (Object.keys(next).length === 0) delete out[head];
  else out[head] = next;
  return out;
}

export interface Intent { name: string; examples: string[]; candidate_models: string[] }

const strs = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);

// The intents of a semantic-intent config, in either form: the API's object keyed by name or
// the editor's draft array (which keeps duplicate or empty names while the user types).
export function intentsOf(config: Record<string, unknown> | undefined): Intent[] {
  const raw = config?.intents;
  if (Array.isArray(raw)) {
    return raw.map((v) => {
      const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
      return { name: typeof o.name === 'string' ? o.name : '', examples: strs(o.examples), candidate_models: strs(o.candidate_models) };
    });
  }
  if (!raw || typeof raw !== 'object') return [];
  return Object.entries(raw as Record<string, unknown>).map(([name, v]) => {
    const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
    return { name, examples: strs(o.examples), candidate_models: strs(o.candidate_models) };
  });
}

// The API form: names trimmed, blank example lines dropped.
export function intentsToConfig(intents: Intent[]): Record<string, { examples: string[]; candidate_models: string[] }> {
  const out: Record<string, { examples: string[]; candidate_models: string[] }> = {};
  for (const i of intents) {
    out[i.name.trim()] = { examples: i.examples.map((e) => e.trim()).filter(Boolean), candidate_models: i.candidate_models };
  }
  return out;
}

// Policies as the editor holds them: semantic-intent intents become an ordered array.
export function toDraftPolicies(policies: Policy[] | undefined): Policy[] {
  return (policies ?? []).map((p) => {
    const config = p.config ? structuredClone(p.config) : undefined;
    if (p.type === 'semantic-intent' && config && config.intents && !Array.isArray(config.intents)) config.intents = intentsOf(config);
    return config ? { type: p.type, enabled: p.enabled !== false, config } : { type: p.type, enabled: p.enabled !== false };
  });
}

function rangeText(f: PolicyField): string {
  const lo = f.min === undefined ? '' : f.minExclusive ? `greater than ${f.min}` : `at least ${f.min}`;
  const hi = f.max === undefined ? '' : `at most ${f.max}`;
  return [lo, hi].filter(Boolean).join(' and ');
}

// Field errors of one policy's config keyed by field path ("windowMinutes", "intents").
export function validatePolicyConfig(type: string, config: Record<string, unknown> | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  const info = policyInfo(type);
  if (!info) return { type: `Unknown policy type "${type}"` };
  const c = config ?? {};
  for (const f of info.fields) {
    const v = getPath(c, f.key);
    const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    if (empty) {
      if (f.required && (!f.visible || f.visible(c))) errors[f.key] = `${f.label} is required`;
      continue;
    }
    switch (f.kind) {
      case 'number':
      case 'integer': {
        if (typeof v !== 'number' || !Number.isFinite(v)) { errors[f.key] = 'Enter a number'; break; }
        if (f.kind === 'integer' && !Number.isInteger(v)) { errors[f.key] = 'Enter a whole number'; break; }
        const low = f.min !== undefined && (f.minExclusive ? v <= f.min : v < f.min);
        const high = f.max !== undefined && v > f.max;
        if (low || high) errors[f.key] = `Must be ${rangeText(f)}`;
        break;
      }
      case 'boolean':
        if (typeof v !== 'boolean') errors[f.key] = 'Must be true or false';
        break;
      case 'models':
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !x)) errors[f.key] = 'Must be a list of model ids';
        break;
      case 'select':
        if (typeof v !== 'string' || !f.options?.includes(v)) errors[f.key] = `Choose one of ${f.options?.join(', ')}`;
        break;
      default:
        if (typeof v !== 'string') errors[f.key] = 'Must be text';
    }
  }
  if (type === 'semantic-intent') {
    const raw = c.intents;
    if (raw !== undefined && (typeof raw !== 'object' || raw === null)) {
      errors.intents = 'Intents must be an object';
    } else {
      const intents = intentsOf(c);
      const names = new Set<string>();
      if (intents.length === 0) errors.intents = 'Add at least one intent';
      for (const i of intents) {
        const name = i.name.trim();
        if (!name) { errors.intents = 'Every intent needs a name'; break; }
        if (names.has(name)) { errors.intents = `Two intents are named "${name}"`; break; }
        names.add(name);
        if (i.examples.filter((e) => e.trim()).length === 0) { errors.intents = `Intent "${name}" needs at least one example`; break; }
      }
    }
  }
  if (type === 'llm') {
    const fallbacks = getPath(c, 'fallbackModelIds');
    if (Array.isArray(fallbacks) && fallbacks.includes(c.routingModelId)) errors.fallbackModelIds = 'The routing model cannot also be a fallback';
  }
  return errors;
}

// Every policy's problems, by index; empty when the whole stack may be saved.
export function validatePolicies(policies: Policy[]): Record<number, Record<string, string>> {
  const out: Record<number, Record<string, string>> = {};
  const seen = new Set<string>();
  policies.forEach((p, i) => {
    const errs = validatePolicyConfig(p.type, p.config);
    if (seen.has(p.type)) errs.type = `Policy "${p.type}" appears twice`;
    seen.add(p.type);
    if (Object.keys(errs).length) out[i] = errs;
  });
  return out;
}

// Parses the "advanced config" textarea: a JSON object, or an error message.
export function parseConfigJson(text: string): { config: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { config: {} };
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return { error: 'Config must be a JSON object' };
    return { config: v as Record<string, unknown> };
  } catch (e) {
    return { error: `Invalid JSON: ${(e as Error).message}` };
  }
}

// The policy stack as saved: configs without empty strings/arrays of optional fields.
export function cleanPolicies(policies: Policy[]): Policy[] {
  return policies.map((p) => {
    const info = policyInfo(p.type);
    let config = p.config ? structuredClone(p.config) : undefined;
    if (config && info) {
      for (const f of info.fields) {
        const v = getPath(config, f.key);
        if (v === '' || v === null || (typeof v === 'number' && Number.isNaN(v)) || (f.kind === 'models' && Array.isArray(v) && v.length === 0 && !f.required))
          config = setPath(config, f.key, undefined);
      }
    }
    if (config && p.type === 'semantic-intent' && config.intents !== undefined) config.intents = intentsToConfig(intentsOf(config));
    return config && Object.keys(config).length ? { type: p.type, enabled: p.enabled, config } : { type: p.type, enabled: p.enabled };
  });
}
