// A proxy test bed: the mock upstream + the real `routerly serve` (temp ROUTERLY_HOME) + the
// first admin, with helpers to register models that point at the mock, projects with a token,
// the official SDK clients aimed at the gateway, and usage reads that wait for the
// asynchronous usage writer.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

import { setupAdmin, unique } from './accounts.mjs';
import { expectStatus } from './expect.mjs';
import { startMock } from './mock.mjs';
import { startServer } from './server.mjs';

// Per SDK call: long enough for the slow-fault tests, short enough that a hang fails the test.
export const SDK_TIMEOUT_MS = 20_000;
export const UPSTREAM_KEY = 'sk-upstream-test-key-0123456789';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class ProxyFixture {
  async start({ env = {} } = {}) {
    this.mock = await startMock();
    try {
      this.srv = await startServer({ env });
      this.admin = await setupAdmin(this.srv);
    } catch (err) {
      await this.dispose();
      throw err;
    }
    return this;
  }

  async dispose() {
    await this.srv?.dispose();
    await this.mock?.stop();
  }

  get base() {
    return this.srv.base;
  }

  // Management API call as the admin; returns {status, headers, json, text}.
  api(method, path, body) {
    return this.srv.api(method, path, { token: this.admin.token, body });
  }

  // Registers a model served by the mock. `provider` openai (endpoint <mock>/v1) or anthropic
  // (endpoint <mock>); `upstream` sets upstreamModelId; prices per 1M tokens.
  async model({ id, provider = 'openai', upstream, inputPrice = 2, outputPrice = 8, endpoint, ...extra }) {
    const body = {
      id: id ?? unique(provider),
      provider,
      endpoint: endpoint ?? (provider === 'anthropic' ? this.mock.base : `${this.mock.base}/v1`),
      apiKey: UPSTREAM_KEY,
      inputPrice,
      outputPrice,
      ...extra,
    };
    if (upstream) body.upstreamModelId = upstream;
    return expectStatus(await this.api('POST', '/api/models', body), 201);
  }

  // A project whose candidates are `modelIds` in order; returns {project, token}.
  async project(modelIds, extra = {}) {
    const res = await this.api('POST', '/api/projects', { name: unique('Proxy'), models: modelIds, ...extra });
    const project = expectStatus(res, 201);
    return { project, token: project.token };
  }

  // The official OpenAI client aimed at the gateway (no retries: a retry would hide a failure).
  openai(token, options = {}) {
    return new OpenAI({
      baseURL: `${this.base}/v1`,
      apiKey: token,
      maxRetries: 0,
      timeout: SDK_TIMEOUT_MS,
      ...options,
    });
  }

  // The official Anthropic client aimed at the gateway; the token goes out as x-api-key.
  anthropic(token, options = {}) {
    return new Anthropic({ baseURL: this.base, apiKey: token, maxRetries: 0, timeout: SDK_TIMEOUT_MS, ...options });
  }

  // GET /api/usage with `query` (period=all unless given); returns the parsed body.
  async usage(query = {}) {
    const qs = new URLSearchParams({ period: 'all', pageSize: '200', ...query });
    return expectStatus(await this.api('GET', `/api/usage?${qs}`), 200);
  }

  // Polls GET /api/usage until `ready(records)` is truthy (the writer is asynchronous and
  // batched); returns the records, or throws with what was seen after `timeout` ms.
  async waitRecords(query, ready, { timeout = 5_000 } = {}) {
    const deadline = Date.now() + timeout;
    let records = [];
    for (;;) {
      records = (await this.usage(query)).records;
      if (ready(records)) return records;
      if (Date.now() > deadline) {
        throw new Error(`usage records not as expected after ${timeout} ms: ${JSON.stringify(records).slice(0, 2000)}`);
      }
      await sleep(100);
    }
  }

  // The records of one request (same traceId) once at least `count` are there.
  async recordsOf(traceId, query = {}, count = 1) {
    return this.waitRecords(query, (rs) => rs.filter((r) => r.traceId === traceId).length >= count).then((rs) =>
      rs.filter((r) => r.traceId === traceId),
    );
  }
}

export async function startProxyFixture(options) {
  return new ProxyFixture().start(options);
}

// Reads a whole SSE body into [{event, data}] (data parsed as JSON when it is JSON).
export function parseSse(text) {
  const events = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    if (!block.trim()) continue;
    let event = null;
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    const raw = data.join('\n');
    let parsed = raw;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // [DONE] or not JSON
    }
    events.push({ event, data: parsed, raw });
  }
  return events;
}

// A raw proxy call with fetch (for what the SDKs hide: exact statuses, headers, bodies).
export async function rawProxy(base, path, { token, body, headers = {}, timeout = SDK_TIMEOUT_MS } = {}) {
  const h = { 'content-type': 'application/json', ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  const res = await fetch(base + path, {
    method: 'POST',
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeout),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
