// Fault selection. A request's faults come from three places, merged in this order
// (a later source overrides the same key): the upstream model name's suffixes, markers
// `[[mock:...]]` in the last user message, and the `x-mock-fault` header.
// Syntax of a spec: comma- (or semicolon-) separated `key=value` or bare flags.

const kKinds = {
  status: 'int',
  delay: 'int',
  chunk_delay: 'int',
  disconnect_after: 'int',
  error_after: 'int',
  retry_after: 'int',
  cached: 'int',
  cache_write: 'int',
  trickle: 'int',
  malformed: 'flag',
  html: 'flag',
  no_events: 'flag',
  no_usage: 'flag',
  tool: 'flag',
  route: 'flag',
};

export function parseFaultSpec(spec, into) {
  for (const raw of spec.split(/[,;]/)) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase().replaceAll('-', '_');
    const kind = kKinds[key];
    if (kind === undefined) continue;
    if (kind === 'flag') {
      into[key] = true;
      continue;
    }
    const value = eq < 0 ? NaN : Number.parseInt(part.slice(eq + 1).trim(), 10);
    if (Number.isFinite(value) && value >= 0) into[key] = value;
  }
  return into;
}

const kMarker = /\[\[mock:([^\]]*)\]\]/g;

export function stripMarkers(text) {
  return text.includes('[[mock:') ? text.replace(kMarker, '') : text;
}

function faultsFromText(text, into) {
  if (!text.includes('[[mock:')) return;
  for (const m of text.matchAll(kMarker)) parseFaultSpec(m[1], into);
}

// Model-name suffixes, e.g. `gpt-4o-fail429-retry1`; read from the end until one does not match.
const kSuffix = /-(fail|retry|chunkdelay|delay|disconnect|errorafter|cachewrite|cached|trickle|malformed|html|noevents|nousage|tool|route)(\d*)$/;
const kSuffixKey = {
  fail: 'status',
  retry: 'retry_after',
  chunkdelay: 'chunk_delay',
  delay: 'delay',
  disconnect: 'disconnect_after',
  errorafter: 'error_after',
  cachewrite: 'cache_write',
  cached: 'cached',
  trickle: 'trickle',
  malformed: 'malformed',
  html: 'html',
  noevents: 'no_events',
  nousage: 'no_usage',
  tool: 'tool',
  route: 'route',
};

function faultsFromModel(model, into) {
  let rest = model;
  const found = [];
  for (;;) {
    const m = kSuffix.exec(rest);
    if (m === null) break;
    const key = kSuffixKey[m[1]];
    const isFlag = kKinds[key] === 'flag';
    if (isFlag !== (m[2] === '')) break;
    found.push([key, isFlag ? true : Number.parseInt(m[2], 10)]);
    rest = rest.slice(0, m.index);
  }
  // Apply left to right so that a later suffix wins, like the other sources.
  for (let i = found.length - 1; i >= 0; i--) into[found[i][0]] = found[i][1];
}

export function resolveFaults(headers, model, lastUserText) {
  const faults = {};
  if (typeof model === 'string' && model.includes('-')) faultsFromModel(model, faults);
  if (lastUserText) faultsFromText(lastUserText, faults);
  const header = headers['x-mock-fault'];
  if (typeof header === 'string' && header !== '') parseFaultSpec(header, faults);
  if (faults.retry_after !== undefined && faults.status === undefined) faults.status = 429;
  return faults;
}
