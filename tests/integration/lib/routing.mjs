// Helpers for the routing and budget tests (issue 4): one chat call through the proxy with its
// trace id, which upstream models the mock received, a request's stored usage record with its
// trace, trace-entry lookups, and the budget_exceeded answer of SPEC §00 P2/P10.
import assert from 'node:assert/strict';

import { expectError } from './expect.mjs';
import { rawProxy } from './proxy_fixture.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// An OpenAI chat body with one user message (a string, or content parts).
export const ask = (content, extra = {}) => ({ model: 'x', messages: [{ role: 'user', content }], ...extra });

// POST /v1/chat/completions with a project token; returns rawProxy's answer plus `traceId`.
export async function chat(fx, token, body, { headers = {}, timeout } = {}) {
  const res = await rawProxy(fx.base, '/v1/chat/completions', { token, body, headers, timeout });
  return { ...res, traceId: res.headers.get('x-routerly-trace-id') };
}

// A chat call that must succeed; returns the answer.
export async function chatOk(fx, token, content, extra = {}) {
  const res = await chat(fx, token, ask(content, extra));
  assert.equal(res.status, 200, `expected 200, got HTTP ${res.status} ${res.text.slice(0, 400)}`);
  return res;
}

// The upstream model names the mock received for chat completions, in arrival order; with
// `needle`, only the requests whose body mentions it (e.g. the test's unique user text).
export async function upstreamChats(fx, needle) {
  const reqs = await fx.mock.requests('/v1/chat/completions');
  return reqs.filter((r) => needle === undefined || JSON.stringify(r.body ?? '').includes(needle)).map((r) => r.body?.model);
}

// The stored records of one request, once `ready(records)` holds (default: one record).
export async function recordsOfTrace(fx, project, traceId, ready = (rs) => rs.length > 0) {
  assert.ok(traceId, 'the response has no x-routerly-trace-id');
  const rows = await fx.waitRecords({ project: project.id }, (rs) => ready(rs.filter((r) => r.traceId === traceId)), {
    timeout: 8_000,
  });
  return rows.filter((r) => r.traceId === traceId);
}

// GET /api/usage/{id}: the full record with its trace.
export async function fullRecord(fx, id) {
  const res = await fx.api('GET', `/api/usage/${id}`);
  assert.equal(res.status, 200, res.text);
  return res.json;
}

// The completion record (success) of a request, with its trace.
export async function successRecord(fx, project, traceId) {
  const rows = await recordsOfTrace(fx, project, traceId, (rs) => rs.some((r) => r.outcome === 'success' && r.callType !== 'routing'));
  const row = rows.find((r) => r.outcome === 'success' && r.callType !== 'routing');
  return fullRecord(fx, row.id);
}

// Trace entries whose `message` equals `message` (or matches it when a RegExp).
export function entries(trace, message) {
  assert.ok(Array.isArray(trace), `no trace: ${JSON.stringify(trace)}`);
  return trace.filter((e) => (message instanceof RegExp ? message.test(e.message) : e.message === message));
}

// The one entry with that message; fails naming the messages that are there.
export function entry(trace, message) {
  const found = entries(trace, message);
  assert.ok(found.length >= 1, `no '${message}' trace entry; messages: ${JSON.stringify((trace ?? []).map((e) => e.message))}`);
  return found[0];
}

// The point a policy's `policy:result:<type>` entry gave a model.
export function pointOf(resultEntry, modelId) {
  const routing = resultEntry.details?.routing;
  assert.ok(Array.isArray(routing), `policy result without routing: ${JSON.stringify(resultEntry)}`);
  const item = routing.find((r) => r.model === modelId);
  assert.ok(item, `${resultEntry.message} does not score ${modelId}: ${JSON.stringify(routing)}`);
  return item.point;
}

// A policy result's exclusions as a list of model ids (`excludes` may be a list of ids or of
// {model} objects).
export function excludesOf(resultEntry) {
  const ex = resultEntry.details?.excludes ?? [];
  return (Array.isArray(ex) ? ex : Object.keys(ex)).map((e) => (typeof e === 'string' ? e : e.model ?? e.modelId));
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// 503 {"error":"budget_exceeded","message"} whose message names the level, metric, window and
// limit (SPEC §00 P2). `level` and `window` may be RegExps; `limit` a number.
export function expectBudgetExceeded(res, { level, metric, window, limit }) {
  const limitRe = new RegExp(`(^|[^0-9.])\\$?${escape(String(limit))}(\\.0+)?([^0-9]|$)`);
  expectError(res, 503, 'budget_exceeded', [level, metric, window, limitRe]);
  assert.ok(res.headers.get('x-routerly-trace-id'), 'a blocked request still carries x-routerly-trace-id');
}

// Limit objects (SPEC §6.1).
export const periodLimit = (metric, value, period = 'daily') => ({ metric, windowType: 'period', period, value });
export const rollingLimit = (metric, value, rollingAmount, rollingUnit) => ({
  metric,
  windowType: 'rolling',
  rollingAmount,
  rollingUnit,
  value,
});
