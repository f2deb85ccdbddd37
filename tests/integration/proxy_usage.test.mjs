// Usage records of proxied calls (issue 3, SPEC §4.6, §7.9, §9.3, §00 P17, P18, P24): one
// record per request with the provider's token counts, cost from the model's per-million
// prices (cache reads at the cache price), provider, type, project slug, token id and trace id;
// single-record and trace reads; the P18 filters; /metrics.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ISO_RE } from './lib/expect.mjs';
import { mockReply, tokensOf, wordsOf } from './lib/mock.mjs';
import { rawProxy, startProxyFixture } from './lib/proxy_fixture.mjs';

const T = { timeout: 30_000 };

let fx;
const GPT = { id: 'openai/gpt-4o', upstream: 'gpt-4o', inputPrice: 2.5, outputPrice: 10 };
const MINI = { id: 'openai/gpt-4o-mini-cached10', upstream: 'gpt-4o-mini-cached10', inputPrice: 0.15, outputPrice: 0.6, cachePrice: 0.075 };
const CLAUDE = {
  id: 'anthropic/claude-haiku-4-5-cached10',
  upstream: 'claude-haiku-4-5-cached10',
  inputPrice: 1,
  outputPrice: 5,
  cachePrice: 0.1,
};
const BROKEN = { id: 'openai/gpt-4o-fail500', upstream: 'gpt-4o-fail500', inputPrice: 1, outputPrice: 1 };

const P = {};
const calls = []; // {traceId, project, model, type, stream, input, output, cached, cost}

// §7.9: plain input at the input price, cache reads at the cache price, output at the output price.
const costOf = (m, input, output, cached = 0) =>
  ((input - cached) * m.inputPrice + cached * (m.cachePrice ?? m.inputPrice) + output * m.outputPrice) / 1e6;

before(async () => {
  fx = await startProxyFixture();
  await fx.model({ id: GPT.id, inputPrice: GPT.inputPrice, outputPrice: GPT.outputPrice });
  await fx.model({ id: MINI.id, inputPrice: MINI.inputPrice, outputPrice: MINI.outputPrice, cachePrice: MINI.cachePrice });
  await fx.model({
    id: CLAUDE.id,
    provider: 'anthropic',
    inputPrice: CLAUDE.inputPrice,
    outputPrice: CLAUDE.outputPrice,
    cachePrice: CLAUDE.cachePrice,
  });
  await fx.model({ id: BROKEN.id, inputPrice: 1, outputPrice: 1 });
  P.gpt = await fx.project([GPT.id]);
  P.mini = await fx.project([MINI.id]);
  P.claude = await fx.project([CLAUDE.id]);
  P.broken = await fx.project([BROKEN.id]);

  // The traffic every test below reads back.
  const openai = fx.openai(P.gpt.token);
  {
    const user = 'Usage test: a plain non-stream chat call';
    const { data, response } = await openai.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: user }] }).withResponse();
    assert.equal(data.choices[0].message.content, mockReply(GPT.upstream, user));
    const input = tokensOf(user);
    const output = wordsOf(mockReply(GPT.upstream, user));
    calls.push({ name: 'chat', traceId: response.headers.get('x-routerly-trace-id'), p: P.gpt, m: GPT, type: 'chat', stream: false, input, output, cached: 0, provider: 'openai' });
  }
  {
    // The client does not ask for usage: the gateway's injected include_usage still counts.
    const user = 'Usage test: a streamed chat call';
    const { data: stream, response } = await openai.chat.completions
      .create({ model: 'x', stream: true, messages: [{ role: 'user', content: user }] })
      .withResponse();
    for await (const _ of stream);
    calls.push({ name: 'chat stream', traceId: response.headers.get('x-routerly-trace-id'), p: P.gpt, m: GPT, type: 'chat', stream: true, input: tokensOf(user), output: wordsOf(mockReply(GPT.upstream, user)), cached: 0, provider: 'openai' });
  }
  {
    const input = 'Usage test: the responses api';
    const { response } = await openai.responses.create({ model: 'x', input }).withResponse();
    calls.push({ name: 'responses', traceId: response.headers.get('x-routerly-trace-id'), p: P.gpt, m: GPT, type: 'responses', stream: false, input: tokensOf(input), output: wordsOf(mockReply(GPT.upstream, input)), cached: 0, provider: 'openai' });
  }
  {
    // OpenAI reports cached tokens inside prompt_tokens.
    const user = 'Usage test: cached prompt tokens on an OpenAI upstream, long enough';
    const { response } = await fx
      .openai(P.mini.token)
      .chat.completions.create({ model: 'x', messages: [{ role: 'user', content: user }] })
      .withResponse();
    calls.push({ name: 'chat cached', traceId: response.headers.get('x-routerly-trace-id'), p: P.mini, m: MINI, type: 'chat', stream: false, input: tokensOf(user), output: wordsOf(mockReply(MINI.upstream, user)), cached: 10, provider: 'openai' });
  }
  const claude = fx.anthropic(P.claude.token);
  {
    // Anthropic reports cache reads on top of input_tokens (D13: inputTokens includes them).
    const user = 'Usage test: anthropic messages with cache reads';
    const { response } = await claude.messages
      .create({ model: 'x', max_tokens: 100, messages: [{ role: 'user', content: user }] })
      .withResponse();
    calls.push({ name: 'messages', traceId: response.headers.get('x-routerly-trace-id'), p: P.claude, m: CLAUDE, type: 'messages', stream: false, input: tokensOf(user) + 10, output: wordsOf(mockReply(CLAUDE.upstream, user)), cached: 10, provider: 'anthropic' });
  }
  {
    const user = 'Usage test: anthropic messages streamed';
    const { data: stream, response } = await claude.messages
      .create({ model: 'x', max_tokens: 100, stream: true, messages: [{ role: 'user', content: user }] })
      .withResponse();
    for await (const _ of stream);
    calls.push({ name: 'messages stream', traceId: response.headers.get('x-routerly-trace-id'), p: P.claude, m: CLAUDE, type: 'messages', stream: true, input: tokensOf(user) + 10, output: wordsOf(mockReply(CLAUDE.upstream, user)), cached: 10, provider: 'anthropic' });
  }
  {
    const res = await rawProxy(fx.base, '/v1/chat/completions', {
      token: P.broken.token,
      body: { model: 'x', messages: [{ role: 'user', content: 'Usage test: this one fails' }] },
    });
    assert.equal(res.status, 503, res.text);
    P.broken.traceId = res.headers.get('x-routerly-trace-id');
  }
  // Wait until every record is written (the writer batches asynchronously).
  await fx.waitRecords({}, (rs) => calls.every((c) => rs.some((r) => r.traceId === c.traceId)) && rs.some((r) => r.traceId === P.broken.traceId));
});
after(async () => {
  await fx?.dispose();
});

async function recordOf(call) {
  const { records } = await fx.usage({ project: call.p.project.id });
  const mine = records.filter((r) => r.traceId === call.traceId);
  assert.equal(mine.length, 1, `one record per request (${call.name}): ${JSON.stringify(mine)}`);
  return mine[0];
}

describe('records', () => {
  test('every call has one record with the right tokens, cost, provider, type, slug, token and trace id', T, async () => {
    for (const c of calls) {
      const r = await recordOf(c);
      const label = `${c.name}: ${JSON.stringify(r)}`;
      assert.equal(r.outcome, 'success', label);
      assert.equal(r.modelId, c.m.id, label);
      assert.equal(r.provider, c.provider, label);
      assert.equal(r.type, c.type, label);
      assert.equal(r.projectId, c.p.project.id, label);
      assert.equal(r.projectSlug, c.p.project.slug, label);
      assert.equal(r.tokenId, c.p.project.tokens[0].id, label);
      assert.equal(r.inputTokens, c.input, label);
      assert.equal(r.outputTokens, c.output, label);
      assert.equal(r.cachedInputTokens ?? 0, c.cached, label);
      assert.ok(Math.abs(r.cost - costOf(c.m, c.input, c.output, c.cached)) < 1e-9, `cost ${r.cost} vs ${costOf(c.m, c.input, c.output, c.cached)}: ${label}`);
      assert.ok(Math.abs(r.costOutput - (c.output * c.m.outputPrice) / 1e6) < 1e-9, label);
      assert.equal(r.priceInput, c.m.inputPrice, label);
      assert.equal(r.priceOutput, c.m.outputPrice, label);
      assert.ok(Number.isInteger(r.latencyMs) && r.latencyMs >= 0, label);
      assert.match(r.timestamp, ISO_RE, label);
      assert.equal(r.trace, undefined, 'the list has no traces');
      if (r.stream !== undefined) assert.equal(r.stream, c.stream, label);
      assert.notEqual(r.tokensEstimated, true, `the provider reported usage: ${label}`);
    }
  });

  test('a failed request has an error record with zero cost', T, async () => {
    const { records } = await fx.usage({ project: P.broken.project.id });
    const mine = records.filter((r) => r.traceId === P.broken.traceId);
    assert.ok(mine.length >= 1);
    for (const r of mine) {
      assert.equal(r.outcome, 'error', JSON.stringify(r));
      assert.equal(r.cost, 0);
      assert.equal(r.modelId, BROKEN.id);
      assert.ok(r.errorMessage, 'the error is described');
    }
  });

  test('GET /api/usage/{id} has the routing trace; GET /api/traces/{traceId} too', T, async () => {
    const c = calls[0];
    const r = await recordOf(c);
    const one = await fx.api('GET', `/api/usage/${r.id}`);
    assert.equal(one.status, 200, one.text);
    assert.equal(one.json.id, r.id);
    assert.equal(one.json.traceId, c.traceId);
    assert.ok(Array.isArray(one.json.trace) && one.json.trace.length > 0, `trace: ${one.text}`);
    for (const e of one.json.trace) {
      assert.equal(typeof e.panel, 'string');
      assert.equal(typeof e.message, 'string');
    }
    assert.ok(JSON.stringify(one.json.trace).includes(GPT.id), 'the trace names the model');

    const tr = await fx.api('GET', `/api/traces/${c.traceId}`);
    assert.equal(tr.status, 200, tr.text);
    assert.ok(Array.isArray(tr.json.trace) && tr.json.trace.length > 0);
    assert.deepEqual(tr.json.trace, one.json.trace);

    assert.equal((await fx.api('GET', '/api/usage/00000000-0000-7000-8000-000000000000')).status, 404);
    assert.equal((await fx.api('GET', '/api/traces/00000000-0000-7000-8000-000000000000')).status, 404);
  });

  test('usage needs a session with report:read', T, async () => {
    assert.equal((await fx.srv.api('GET', '/api/usage')).status, 401);
    assert.equal((await fx.srv.api('GET', '/api/usage', { token: P.gpt.token })).status, 401, 'a project token is not a session');
  });
});

describe('filters (P18)', () => {
  test('project by id and by slug', T, async () => {
    const byId = await fx.usage({ project: P.gpt.project.id });
    const bySlug = await fx.usage({ project: P.gpt.project.slug });
    const expected = calls.filter((c) => c.p === P.gpt).map((c) => c.traceId).sort();
    assert.deepEqual(byId.records.map((r) => r.traceId).sort(), expected);
    assert.deepEqual(bySlug.records.map((r) => r.traceId).sort(), expected);
    assert.equal(byId.summary.totalCalls, expected.length);
    assert.equal(byId.pagination.totalRecords, expected.length);
    const costs = calls.filter((c) => c.p === P.gpt).reduce((s, c) => s + costOf(c.m, c.input, c.output, c.cached), 0);
    assert.ok(Math.abs(byId.summary.totalCost - costs) < 1e-8, `summary.totalCost ${byId.summary.totalCost} vs ${costs}`);
    assert.equal(byId.byModel[GPT.id]?.calls, expected.length);
  });

  test('model', T, async () => {
    const res = await fx.usage({ model: CLAUDE.id });
    assert.equal(res.records.length, 2);
    assert.ok(res.records.every((r) => r.modelId === CLAUDE.id));
  });

  test('outcome', T, async () => {
    const errors = await fx.usage({ outcome: 'error' });
    assert.ok(errors.records.length >= 1);
    assert.ok(errors.records.every((r) => r.outcome === 'error'));
    assert.ok(errors.records.some((r) => r.traceId === P.broken.traceId));
    const ok = await fx.usage({ outcome: 'success' });
    assert.equal(ok.records.length, calls.length);
  });

  test('type', T, async () => {
    for (const type of ['chat', 'responses', 'messages']) {
      const res = await fx.usage({ type, outcome: 'success' });
      const expected = calls.filter((c) => c.type === type).map((c) => c.traceId).sort();
      assert.deepEqual(res.records.map((r) => r.traceId).sort(), expected, type);
    }
  });

  test('filters combine, newest first', T, async () => {
    const res = await fx.usage({ project: P.gpt.project.slug, type: 'chat' });
    assert.deepEqual(
      res.records.map((r) => r.traceId),
      [calls[1].traceId, calls[0].traceId],
      'newest first',
    );
  });
  test('cursor pages walk every record once; aggregates equal the records they count', T, async () => {
    const all = await fx.usage({});
    const ids = all.records.map((r) => r.id);
    assert.ok(ids.length >= 4, 'enough records to page');
    const seen = [];
    let cursor;
    for (let i = 0; i < ids.length + 1; i++) {
      const page = await fx.usage({ limit: '2', ...(cursor ? { cursor } : {}) });
      seen.push(...page.records.map((r) => r.id));
      cursor = page.nextCursor;
      if (!cursor) break;
      assert.match(cursor, /^\d+_\d+$/);
    }
    assert.deepEqual(seen, ids);
    assert.equal(all.nextCursor, null, 'the whole history fits the page');
    assert.equal(all.summary.totalCalls, ids.length);
    assert.equal(all.summary.errorCalls, all.records.filter((r) => r.outcome !== 'success').length);
    for (const q of ['latencyP50Ms', 'latencyP95Ms', 'latencyP99Ms']) assert.equal(typeof all.summary[q], 'number');
    const bad = await fx.api('GET', '/api/usage?cursor=nope');
    assert.equal(bad.status, 400);
  });
});

describe('export', () => {
  test('streams every matching record over the live server, CSV and NDJSON', T, async () => {
    const slug = P.gpt.project.slug;
    const expected = calls.filter((c) => c.p === P.gpt).map((c) => c.traceId).sort();
    const nd = await fx.api('GET', `/api/usage/export?format=ndjson&period=all&project=${slug}`);
    assert.equal(nd.status, 200);
    assert.equal(nd.headers.get('content-type'), 'application/x-ndjson');
    assert.equal(nd.headers.get('transfer-encoding'), 'chunked');
    const lines = nd.text.split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    const records = lines.map((l) => JSON.parse(l));
    assert.deepEqual(records.map((r) => r.traceId).sort(), expected);
    assert.ok(records.every((r) => !('trace' in r)));
    const csv = await fx.api('GET', `/api/usage/export?format=csv&period=all&project=${slug}`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-disposition'), /^attachment; filename="routerly-usage-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = csv.text.split('\r\n').filter(Boolean);
    assert.match(rows[0], /^id,timestamp,projectId,/);
    assert.equal(rows.length, expected.length + 1);
    const bad = await fx.api('GET', '/api/usage/export?format=xml');
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /'format'/);
  });
});

describe('metrics (P24)', () => {
  test('GET /metrics exposes routerly_proxy_requests_total by model', T, async () => {
    let res = await fx.srv.api('GET', '/metrics');
    if (res.status === 401) res = await fx.api('GET', '/metrics');
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const lines = res.text.split('\n').filter((l) => l.startsWith('routerly_proxy_requests_total{'));
    assert.ok(lines.length > 0, 'routerly_proxy_requests_total has samples');
    const gpt = lines.filter((l) => l.includes(`"${GPT.id}"`) && /outcome="success"/.test(l));
    const total = gpt.reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
    assert.equal(total, calls.filter((c) => c.m === GPT).length, `samples: ${gpt.join('\n')}`);
    assert.match(res.text, /^# TYPE routerly_proxy_requests_total counter$/m);
  });
});
