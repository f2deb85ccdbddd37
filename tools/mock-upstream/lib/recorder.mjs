// The last requests received, for tests to inspect through /__mock/requests.
// Credentials are cut to their first 6 characters (after the auth scheme, if any).

const kCapacity = 200;
const kMaxKeptBody = 1 << 20;
const kMaxKeptText = 4096;
const kSecretHeaders = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'x-goog-api-key', 'cookie']);

export function redact(value) {
  const m = /^(Bearer|Basic)\s+(.*)$/i.exec(value);
  const [scheme, secret] = m ? [m[1] + ' ', m[2]] : ['', value];
  return scheme + (secret.length > 6 ? secret.slice(0, 6) + '…' : secret);
}

function redactedHeaders(headers) {
  const out = {};
  for (const key of Object.keys(headers)) {
    const v = headers[key];
    out[key] = kSecretHeaders.has(key) && typeof v === 'string' ? redact(v) : v;
  }
  return out;
}

export class Recorder {
  constructor(enabled) {
    this.enabled = enabled;
    this.entries = [];
  }

  // `raw` is the body as received, `json` its parse (undefined when it is not JSON).
  record(req, raw, json) {
    if (!this.enabled) return;
    const entry = {
      time: new Date().toISOString(),
      method: req.method,
      path: req.url,
      headers: redactedHeaders(req.headers),
      bodyBytes: raw.length,
      body: null,
    };
    if (raw.length > kMaxKeptBody) entry.bodyTruncated = true;
    else if (json !== undefined) entry.body = json;
    else if (raw.length > 0) entry.bodyText = raw.toString('utf8', 0, kMaxKeptText);
    if (this.entries.length >= kCapacity) this.entries.shift();
    this.entries.push(entry);
  }

  list(path) {
    if (!path) return this.entries;
    return this.entries.filter((e) => e.path === path || e.path.startsWith(path + '?'));
  }

  clear() {
    const n = this.entries.length;
    this.entries = [];
    return n;
  }
}
