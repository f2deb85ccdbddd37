// The model form's state and its conversion to and from the API (docs/management-api.md
// "Model", src/admin/model_input.cpp). Numbers are kept as the strings the inputs hold, so a
// half-typed value is never silently turned into 0; blank means "not given".
import type { Limit, Model, PricingTier, ProviderInfo, ProviderPreset } from '../api/types';

// The capability flags the server stores (model_input.cpp kCapabilities); `embedding` is the
// form's separate "embedding model" switch.
export const CAPABILITIES = ['vision', 'functionCalling', 'json', 'thinking'] as const;
export type Capability = (typeof CAPABILITIES)[number];
export const CAPABILITY_LABELS: Record<Capability, string> = {
  vision: 'Vision (images)',
  functionCalling: 'Function calling',
  json: 'JSON mode',
  thinking: 'Thinking',
};

export const MIN_TIMEOUT_MS = 1000;
export const MAX_TIMEOUT_MS = 3600000;

export interface TierRow { above: string; input: string; output: string; cache: string }

export interface ModelFormState {
  provider: string;
  preset: string; // catalogue model id, '' = none (custom)
  id: string;
  idEdited: boolean; // once the user types an id it no longer follows provider/model
  name: string;
  upstreamModelId: string;
  endpoint: string;
  apiKey: string;
  input: string;
  output: string;
  cache: string;
  cacheWrite: string;
  contextWindow: string;
  tiers: TierRow[];
  embedding: boolean;
  capabilities: Record<Capability, boolean>;
  timeout: string;
  enabled: boolean;
  limits: Limit[];
}

export type ModelField =
  | 'provider' | 'id' | 'name' | 'upstreamModelId' | 'endpoint' | 'apiKey' | 'input' | 'output'
  | 'cache' | 'cacheWrite' | 'contextWindow' | 'tiers' | 'capabilities' | 'timeout' | 'limits' | 'enabled';
export type ModelErrors = Partial<Record<ModelField, string>>;

const noCapabilities = (): Record<Capability, boolean> => ({ vision: false, functionCalling: false, json: false, thinking: false });

export function emptyModelForm(provider = 'openai', providers: ProviderInfo[] = []): ModelFormState {
  return {
    provider,
    preset: '',
    id: '',
    idEdited: false,
    name: '',
    upstreamModelId: '',
    endpoint: providers.find((p) => p.id === provider)?.endpoint ?? '',
    apiKey: '',
    input: '',
    output: '',
    cache: '',
    cacheWrite: '',
    contextWindow: '',
    tiers: [],
    embedding: false,
    capabilities: noCapabilities(),
    timeout: '',
    enabled: true,
    limits: [],
  };
}

// `<provider>/<model>`, the id the server would generate too.
export function generatedId(provider: string, upstream: string): string {
  return upstream.trim() ? `${provider}/${upstream.trim()}` : '';
}

const str = (n: number | undefined | null): string => (n === undefined || n === null ? '' : String(n));

function tierToRow(t: PricingTier & { inputPerMillion?: number; outputPerMillion?: number; cachePerMillion?: number }): TierRow {
  return {
    above: str(t.above),
    input: str(t.inputPerMillion ?? t.input),
    output: str(t.outputPerMillion ?? t.output),
    cache: str(t.cachePerMillion ?? t.cache),
  };
}

function readCapabilities(caps: Model['capabilities']): Record<string, boolean> {
  if (Array.isArray(caps)) return Object.fromEntries(caps.map((c) => [c, true]));
  return caps ?? {};
}

// The catalogue model the stored model was made from, if any.
export function findPreset(providers: ProviderInfo[], provider: string, upstream: string): ProviderPreset | undefined {
  return providers.find((p) => p.id === provider)?.models.find((m) => m.id === upstream);
}

// A stored model as form state. With `clone`, the copy gets a fresh id and no key (the server
// copies the source's key through `cloneFrom` when none is typed).
export function modelToForm(model: Model, providers: ProviderInfo[] = [], clone = false): ModelFormState {
  const caps = readCapabilities(model.capabilities);
  const upstream = model.upstreamModelId ?? '';
  const presetKey = upstream || (model.id.startsWith(`${model.provider}/`) ? model.id.slice(model.provider.length + 1) : '');
  return {
    provider: model.provider,
    preset: findPreset(providers, model.provider, presetKey) ? presetKey : '',
    id: clone ? `${model.id}-copy` : model.id,
    idEdited: true,
    name: clone || model.name === model.id ? '' : model.name ?? '',
    upstreamModelId: upstream,
    endpoint: model.endpoint ?? '',
    apiKey: '',
    input: str(model.cost?.inputPerMillion),
    output: str(model.cost?.outputPerMillion),
    cache: str(model.cost?.cachePerMillion),
    cacheWrite: str(model.cost?.cacheWritePerMillion),
    contextWindow: str(model.contextWindow),
    tiers: (model.cost?.pricingTiers ?? []).map(tierToRow),
    embedding: !!(caps.embedding ?? model.embedding),
    capabilities: {
      vision: !!caps.vision,
      functionCalling: !!caps.functionCalling,
      json: !!caps.json,
      thinking: !!caps.thinking,
    },
    timeout: str(model.timeout),
    enabled: model.enabled !== false,
    limits: model.limits ?? [],
  };
}

// Switching provider: the endpoint follows the catalogue unless the user typed their own,
// and a preset of the old provider no longer applies.
export function changeProvider(form: ModelFormState, provider: string, providers: ProviderInfo[]): ModelFormState {
  const oldDefault = providers.find((p) => p.id === form.provider)?.endpoint ?? '';
  const newDefault = providers.find((p) => p.id === provider)?.endpoint ?? '';
  const endpoint = form.endpoint === '' || form.endpoint === oldDefault ? newDefault : form.endpoint;
  const next = { ...form, provider, endpoint, preset: '' };
  return next.idEdited ? next : { ...next, id: generatedId(provider, next.upstreamModelId) };
}

// Choosing a catalogue model prefills the upstream id, prices, context window, tiers and the
// embedding flag; '' (custom model) leaves everything as typed.
export function applyPreset(form: ModelFormState, presetId: string, providers: ProviderInfo[]): ModelFormState {
  const preset = findPreset(providers, form.provider, presetId);
  if (!preset) return { ...form, preset: '' };
  const next: ModelFormState = {
    ...form,
    preset: preset.id,
    upstreamModelId: preset.id,
    input: str(preset.input),
    output: str(preset.output),
    cache: str(preset.cache),
    cacheWrite: str(preset.cacheWrite),
    contextWindow: str(preset.contextWindow),
    tiers: (preset.pricingTiers ?? []).map(tierToRow),
    embedding: !!preset.embedding,
  };
  return next.idEdited ? next : { ...next, id: generatedId(next.provider, next.upstreamModelId) };
}

export function changeUpstream(form: ModelFormState, upstream: string): ModelFormState {
  const next = { ...form, upstreamModelId: upstream, preset: form.preset === upstream ? form.preset : '' };
  return next.idEdited ? next : { ...next, id: generatedId(next.provider, upstream) };
}

const isBlank = (s: string) => s.trim() === '';
const num = (s: string) => Number(s.trim());
const isNumber = (s: string) => !isBlank(s) && Number.isFinite(num(s));
const isInt = (s: string) => isNumber(s) && Number.isInteger(num(s));

function httpUrl(s: string): boolean {
  try {
    const u = new URL(s.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
  } catch {
    return false;
  }
}

// Checks what the server would reject, so the user sees it before sending.
export function validateModelForm(form: ModelFormState, providers: ProviderInfo[], creating: boolean): ModelErrors {
  const errors: ModelErrors = {};
  if (!form.provider) errors.provider = 'Choose a provider.';
  if (isBlank(form.id) && (!creating || isBlank(form.upstreamModelId))) errors.id = 'Give the model an id (or an upstream model id to generate it).';
  const catalogueEndpoint = providers.find((p) => p.id === form.provider)?.endpoint ?? '';
  if (isBlank(form.endpoint)) {
    if (!catalogueEndpoint) errors.endpoint = `An endpoint is required for provider "${form.provider}".`;
  } else if (!httpUrl(form.endpoint)) {
    errors.endpoint = 'Enter an http(s) URL.';
  }
  for (const key of ['input', 'output', 'cache', 'cacheWrite'] as const) {
    const v = form[key];
    if (!isBlank(v) && (!isNumber(v) || num(v) < 0)) errors[key] = 'Enter a price of 0 or more (USD per 1M tokens).';
  }
  if (!isBlank(form.contextWindow) && (!isInt(form.contextWindow) || num(form.contextWindow) < 1))
    errors.contextWindow = 'Enter a whole number of tokens (1 or more).';
  if (!isBlank(form.timeout) && (!isInt(form.timeout) || num(form.timeout) < MIN_TIMEOUT_MS || num(form.timeout) > MAX_TIMEOUT_MS))
    errors.timeout = `Enter milliseconds from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}.`;
  form.tiers.forEach((t, i) => {
    if (errors.tiers) return;
    if (!isInt(t.above) || num(t.above) < 1) errors.tiers = `Tier ${i + 1}: "above" must be a whole number of context tokens.`;
    else if (!isNumber(t.input) || num(t.input) < 0 || !isNumber(t.output) || num(t.output) < 0)
      errors.tiers = `Tier ${i + 1}: input and output prices are required (0 or more).`;
    else if (!isBlank(t.cache) && (!isNumber(t.cache) || num(t.cache) < 0)) errors.tiers = `Tier ${i + 1}: the cache price must be 0 or more.`;
  });
  return errors;
}

export interface ModelBody {
  [key: string]: unknown;
}

// The POST (creating) or PUT (editing) body. On edit every field is sent so the stored model
// matches the form; blank optional values are removed with null (contextWindow, timeout) or ""
// (upstreamModelId; endpoint "" = the provider's catalogue endpoint). A blank API key is left
// out: on edit that keeps the stored key, on a clone `cloneFrom` copies the source's key.
export function formToBody(form: ModelFormState, creating: boolean, cloneFrom?: string): ModelBody {
  const body: ModelBody = { provider: form.provider };
  const id = form.id.trim() || generatedId(form.provider, form.upstreamModelId);
  if (id) body.id = id;
  if (creating) {
    if (!isBlank(form.name)) body.name = form.name.trim();
    if (!isBlank(form.upstreamModelId)) body.upstreamModelId = form.upstreamModelId.trim();
    if (!isBlank(form.endpoint)) body.endpoint = form.endpoint.trim();
  } else {
    body.name = form.name.trim();
    body.upstreamModelId = form.upstreamModelId.trim();
    body.endpoint = form.endpoint.trim();
  }
  const cost: Record<string, unknown> = {};
  if (!isBlank(form.input)) cost.inputPerMillion = num(form.input);
  if (!isBlank(form.output)) cost.outputPerMillion = num(form.output);
  if (!isBlank(form.cache)) cost.cachePerMillion = num(form.cache);
  if (!isBlank(form.cacheWrite)) cost.cacheWritePerMillion = num(form.cacheWrite);
  // Tiers are always sent on edit ([] clears them); on create only when there are some, so a
  // preset without prices given still fills its own.
  if (form.tiers.length > 0 || !creating) {
    cost.pricingTiers = form.tiers.map((t) => {
      const tier: Record<string, unknown> = {
        metric: 'context_tokens',
        above: num(t.above),
        inputPerMillion: num(t.input),
        outputPerMillion: num(t.output),
      };
      if (!isBlank(t.cache)) tier.cachePerMillion = num(t.cache);
      return tier;
    });
  }
  if (Object.keys(cost).length > 0) body.cost = cost;
  if (!isBlank(form.contextWindow)) body.contextWindow = num(form.contextWindow);
  else if (!creating) body.contextWindow = null;
  if (!isBlank(form.timeout)) body.timeout = num(form.timeout);
  else if (!creating) body.timeout = null;
  body.capabilities = { ...form.capabilities, embedding: form.embedding };
  body.enabled = form.enabled;
  if (form.limits.length > 0 || !creating) body.limits = form.limits;
  if (!isBlank(form.apiKey)) body.apiKey = form.apiKey;
  else if (creating && cloneFrom) body.cloneFrom = cloneFrom;
  return body;
}

// The form field a server validation path belongs to ("cost.inputPerMillion" → input, …).
export function modelFieldOf(path: string): ModelField | null {
  const head = path.replace(/^cost\./, '').split(/[.[]/)[0];
  switch (head) {
    case 'inputPerMillion': case 'inputPrice': return 'input';
    case 'outputPerMillion': case 'outputPrice': return 'output';
    case 'cachePerMillion': case 'cachePrice': return 'cache';
    case 'cacheWritePerMillion': return 'cacheWrite';
    case 'pricingTiers': return 'tiers';
    case 'baseUrl': case 'endpoint': return 'endpoint';
    case 'id': case 'cloneFrom': return 'id';
    case 'provider': case 'name': case 'upstreamModelId': case 'apiKey': case 'contextWindow':
    case 'capabilities': case 'timeout': case 'limits': case 'enabled':
      return head;
    default: return null;
  }
}
