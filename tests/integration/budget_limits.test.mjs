// Budgets and limits (issue 4, SPEC §6, §00 P2, P10, P11): every level blocks at its limit —
// global (settings.budgets), project (project.budgets), token (token.limits), model
// (model.limits), project-model (replace / extend / disable) and token-model — for calls, cost
// and total_tokens, in calendar and rolling windows. A blocked request answers 503
// budget_exceeded naming level, metric, window and limit, makes no upstream request and is
// recorded with outcome budget_exceeded. 64 concurrent requests never pass a calls limit of 10.
// Counters survive a restart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { unique } from './lib/accounts.mjs';
import { expectStatus } from './lib/expect.mjs';
import { mockReply, tokensOf, wordsOf } from './lib/mock.mjs';
import { startProxyFixture } from './lib/proxy_fixture.mjs';
import {
  ask,
  chat,
  chatOk,
  expectBudgetExceeded,
  periodLimit,
  recordsOfTrace,
  rollingLimit,
  sleep,
  upstreamChats,
} from './lib/routing.mjs';

const T = { timeout: 60_000 };

let fx;

before(async () => {
  fx = await startProxyFixture();
});
after(async () => {
  await fx?.dispose();
});

// A model served by the mock under its own upstream name (so the mock's log tells models
// apart), optionally with model-level limits.
async function model(name, extra = {}) {
  const id = unique(name);
  const upstream = `${name}-${id.split('-').pop()}`;
  await fx.model({ id, upstream, inputPrice: 1, outputPrice: 1, ...extra });
  return { id, upstream };
}

// A chat call expected to be blocked by a budget: 503 budget_exceeded naming `what`, no
// upstream request, and a usage record with outcome budget_exceeded. Returns the answer.
async function expectBlocked(project, token, what, body = ask(unique('blocked call'))) {
  await fx.mock.clear();
  const res = await chat(fx, token, body);
  expectBudgetExceeded(res, what);
  assert.deepEqual(await upstreamChats(fx), [], 'a blocked request reaches no provider');
  const rows = await recordsOfTrace(fx, project, res.traceId);
  assert.ok(
    rows.some((r) => r.outcome === 'budget_exceeded'),
    `the blocked request is recorded with outcome budget_exceeded: ${JSON.stringify(rows)}`,
  );
  assert.ok(!rows.some((r) => r.outcome === 'success'), JSON.stringify(rows));
  return res;
}

// `n` successful calls; each must reach the mock under `upstream` (when given).
async function succeed(token, n, upstream) {
  const answers = [];
  for (let i = 0; i < n; i++) {
    const text = unique('allowed call');
    const res = await chatOk(fx, token, text);
    if (upstream) assert.equal(res.json.choices[0].message.content, mockReply(upstream, text));
    answers.push(res);
  }
  return answers;
}

// The global test runs first: a global budget counts all traffic, including earlier tests'.
describe('global budget (settings.budgets)', () => {
  test('blocks every project at its calls limit, and lifting it unblocks', T, async () => {
    const m = await model('glob');
    const a = await fx.project([m.id]);
    const b = await fx.project([m.id]);
    const put = await fx.api('PUT', '/api/settings', { budgets: [periodLimit('calls', 3, 'daily')] });
    expectStatus(put, 200);
    assert.equal(put.json.budgets.length, 1, put.text);
    try {
      await succeed(a.token, 2, m.upstream);
      await succeed(b.token, 1, m.upstream);
      const what = { level: 'global', metric: 'calls', window: 'daily', limit: 3 };
      await expectBlocked(a.project, a.token, what);
      await expectBlocked(b.project, b.token, what);
    } finally {
      expectStatus(await fx.api('PUT', '/api/settings', { budgets: [] }), 200);
    }
    await succeed(a.token, 1, m.upstream);
  });
});

describe('project budget (project.budgets)', () => {
  test('pools all models of the project and blocks at its calls limit; other projects unaffected', T, async () => {
    const m1 = await model('projbud-a');
    const m2 = await model('projbud-b');
    const p = await fx.project([m1.id, m2.id]);
    const other = await fx.project([m1.id, m2.id]);
    const put = await fx.api('PUT', `/api/projects/${p.project.id}`, { budgets: [periodLimit('calls', 2, 'monthly')] });
    expectStatus(put, 200);
    assert.deepEqual(put.json.budgets, [periodLimit('calls', 2, 'monthly')]);
    await succeed(p.token, 2);
    await expectBlocked(p.project, p.token, { level: 'project', metric: 'calls', window: 'monthly', limit: 2 });
    await succeed(other.token, 3);
  });

  test('a streaming request that is blocked gets the HTTP 503, not a 200 stream', T, async () => {
    const m = await model('projbud-stream');
    const p = await fx.project([m.id], { budgets: [periodLimit('calls', 1, 'daily')] });
    await succeed(p.token, 1, m.upstream);
    const res = await expectBlocked(p.project, p.token, { level: 'project', metric: 'calls', window: 'daily', limit: 1 }, ask(unique('stream'), { stream: true }));
    assert.doesNotMatch(res.headers.get('content-type') ?? '', /event-stream/);
  });

  test('a rolling 2-second window blocks, then frees up once the window has passed', T, async () => {
    const m = await model('rolling');
    const p = await fx.project([m.id], { budgets: [rollingLimit('calls', 1, 2, 'second')] });
    assert.deepEqual(p.project.budgets, [rollingLimit('calls', 1, 2, 'second')]);
    await succeed(p.token, 1, m.upstream);
    const usedAt = Date.now();
    await expectBlocked(p.project, p.token, { level: 'project', metric: 'calls', window: /rolling 2 seconds?/, limit: 1 });
    // The ledger sums rolling windows in whole 1-second buckets (src/budget/counters.hpp), and a
    // call admitted from a lease is booked at the lease's end, at most a second later
    // (src/budget/lease.hpp): it leaves a 2-second window between 2 and 4 seconds later.
    await sleep(Math.max(0, usedAt + 4_300 - Date.now()));
    await succeed(p.token, 1, m.upstream);
    await expectBlocked(p.project, p.token, { level: 'project', metric: 'calls', window: /rolling 2 seconds?/, limit: 1 });
  });
});

describe('other routes', () => {
  test('/v1/messages: a blocked request answers 503 budget_exceeded and reaches no provider', T, async () => {
    const m = await model('budget-messages');
    const p = await fx.project([m.id], { budgets: [periodLimit('calls', 1, 'daily')] });
    const client = fx.anthropic(p.token);
    const body = (text) => ({ model: 'x', max_tokens: 64, messages: [{ role: 'user', content: text }] });
    const okText = unique('messages allowed');
    const ok = await client.messages.create(body(okText));
    assert.equal(ok.content[0].text, mockReply(m.upstream, okText));
    await fx.mock.clear();
    const res = await fetch(`${fx.base}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': p.token, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(body(unique('messages blocked'))),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    // The gateway's own error, in the envelope of every route (SPEC §00 P1, P2).
    expectBudgetExceeded({ status: res.status, headers: res.headers, text, json: JSON.parse(text) }, {
      level: 'project',
      metric: 'calls',
      window: 'daily',
      limit: 1,
    });
    await assert.rejects(client.messages.create(body(unique('messages blocked sdk'))), (err) => err.status === 503);
    assert.deepEqual(await fx.mock.requests(), [], 'a blocked request reaches no provider');
  });

  test('/v1/embeddings (pass-through) counts against budgets and is blocked like the others (P19)', T, async () => {
    const id = unique('embed');
    await fx.model({ id, upstream: 'text-embedding-3-small', inputPrice: 0.02, outputPrice: 0 });
    const p = await fx.project([id], { budgets: [periodLimit('calls', 1, 'daily')] });
    const embed = (input) =>
      fetch(`${fx.base}/v1/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${p.token}` },
        body: JSON.stringify({ model: id, input }),
        signal: AbortSignal.timeout(20_000),
      }).then(async (r) => ({ status: r.status, headers: r.headers, text: await r.text() }));
    const first = await embed('embedding allowed');
    assert.equal(first.status, 200, first.text);
    await fx.mock.clear();
    const second = await embed('embedding blocked');
    const json = JSON.parse(second.text);
    expectBudgetExceeded({ ...second, json }, { level: 'project', metric: 'calls', window: 'daily', limit: 1 });
    assert.deepEqual(await fx.mock.requests(), [], 'a blocked request reaches no provider');
    const rows = await recordsOfTrace(fx, p.project, second.headers.get('x-routerly-trace-id'));
    assert.equal(rows[0].outcome, 'budget_exceeded');
  });
});

describe('token budget (token.limits)', () => {
  test('blocks the limited token at its calls limit; the project’s other token goes on', T, async () => {
    const m = await model('tokbud');
    const p = await fx.project([m.id]);
    const created = await fx.api('POST', `/api/projects/${p.project.id}/tokens`, {
      name: 'limited',
      limits: [periodLimit('calls', 2, 'daily')],
    });
    const { token, tokenInfo } = expectStatus(created, 201);
    assert.deepEqual(tokenInfo.limits, [periodLimit('calls', 2, 'daily')]);
    await succeed(token, 2, m.upstream);
    await expectBlocked(p.project, token, { level: 'token', metric: 'calls', window: 'daily', limit: 2 });
    await succeed(p.token, 2, m.upstream);
    await expectBlocked(p.project, token, { level: 'token', metric: 'calls', window: 'daily', limit: 2 });
  });

  test('token-model limits (token.models[].limits) block that model for that token', T, async () => {
    const m = await model('tokmodel');
    const p = await fx.project([m.id]);
    const created = await fx.api('POST', `/api/projects/${p.project.id}/tokens`, {
      name: 'per-model',
      models: [{ modelId: m.id, limits: [periodLimit('calls', 1, 'daily')] }],
    });
    const { token } = expectStatus(created, 201);
    await succeed(token, 1, m.upstream);
    await expectBlocked(p.project, token, { level: /token\b.*\bmodel\b/, metric: 'calls', window: 'daily', limit: 1 });
    await succeed(p.token, 1, m.upstream);
  });
});

describe('model limits (model.limits)', () => {
  test('block the model at its calls limit; another candidate then serves', T, async () => {
    const m = await model('modlim', { limits: [periodLimit('calls', 2, 'daily')] });
    const spare = await model('modlim-spare');
    const p = await fx.project([m.id]);
    await succeed(p.token, 2, m.upstream);
    await expectBlocked(p.project, p.token, { level: 'model', metric: 'calls', window: 'daily', limit: 2 });
    // With a second candidate the blocked model is skipped, not the request.
    expectStatus(await fx.api('PUT', `/api/projects/${p.project.id}`, { models: [m.id, spare.id] }), 200);
    await fx.mock.clear();
    const served = await succeed(p.token, 2, spare.upstream);
    assert.deepEqual(await upstreamChats(fx), [spare.upstream, spare.upstream], 'the exhausted model gets no request');
    // The pre-filter's exclusion is in the trace (SPEC §8.3 router:intake excludedByLimits).
    const rows = await recordsOfTrace(fx, p.project, served[0].traceId);
    const full = expectStatus(await fx.api('GET', `/api/usage/${rows[0].id}`), 200);
    const intake = full.trace.find((e) => e.message === 'router:intake');
    assert.ok(intake, JSON.stringify(full.trace));
    const excluded = intake.details.excludedByLimits ?? [];
    assert.deepEqual(excluded.map((x) => x.model), [m.id], JSON.stringify(intake));
    assert.equal(excluded[0].violated[0].metric, 'calls');
    assert.equal(excluded[0].violated[0].limit, 2);
  });

  test('a cost limit blocks once the spend reaches it', T, async () => {
    // 1000 USD per 1M tokens each way: a call of n tokens costs n/1000 USD.
    const m = await model('costlim', { inputPrice: 1000, outputPrice: 1000, limits: [periodLimit('cost', 0.01, 'daily')] });
    const p = await fx.project([m.id]);
    const text = 'Budget cost test number one'; // 27 chars → 7 input tokens (0.007 USD)
    const res = await chatOk(fx, p.token, text);
    const reply = mockReply(m.upstream, text);
    assert.equal(res.json.choices[0].message.content, reply);
    const cost = (tokensOf(text) + wordsOf(reply)) / 1000;
    assert.ok(cost >= 0.01, `one call costs ${cost}`);
    // Counters settle from the call's usage: wait until it is recorded.
    const rows = await recordsOfTrace(fx, p.project, res.traceId);
    assert.ok(Math.abs(rows[0].cost - cost) < 1e-9, `recorded cost ${rows[0].cost}, expected ${cost}`);
    await expectBlocked(p.project, p.token, { level: 'model', metric: 'cost', window: 'daily', limit: 0.01 });
  });

  test('a total_tokens limit blocks once input + output tokens reach it', T, async () => {
    const m = await model('toklim', { limits: [periodLimit('total_tokens', 12, 'weekly')] });
    const p = await fx.project([m.id]);
    const text = 'Budget tokens test number one'; // 29 chars → 8 input tokens
    const res = await chatOk(fx, p.token, text);
    const reply = mockReply(m.upstream, text);
    assert.equal(res.json.choices[0].message.content, reply);
    const total = tokensOf(text) + wordsOf(reply);
    assert.ok(total >= 12, `one call uses ${total} tokens`);
    // Counters settle from the call's usage: wait until it is recorded.
    const rows = await recordsOfTrace(fx, p.project, res.traceId);
    assert.equal(rows[0].inputTokens + rows[0].outputTokens, total);
    await expectBlocked(p.project, p.token, { level: 'model', metric: 'total_tokens', window: 'weekly', limit: 12 });
  });
});

describe('project-model limits (project.models[].limitsMode)', () => {
  test('replace: the project-model limit replaces the model limit', T, async () => {
    const m = await model('pm-replace', { limits: [periodLimit('calls', 1, 'daily')] });
    const p = await fx.project([{ modelId: m.id, limitsMode: 'replace', limits: [periodLimit('calls', 3, 'daily')] }]);
    assert.equal(p.project.models[0].limitsMode, 'replace');
    await succeed(p.token, 3, m.upstream);
    await expectBlocked(p.project, p.token, { level: /project\b.*\bmodel\b/, metric: 'calls', window: 'daily', limit: 3 });
  });

  test('extend: the model limit still applies next to the project-model limit', T, async () => {
    const m = await model('pm-extend-model', { limits: [periodLimit('calls', 1, 'daily')] });
    const p = await fx.project([{ modelId: m.id, limitsMode: 'extend', limits: [periodLimit('calls', 5, 'daily')] }]);
    await succeed(p.token, 1, m.upstream);
    await expectBlocked(p.project, p.token, { level: 'model', metric: 'calls', window: 'daily', limit: 1 });
  });

  test('extend: the project-model limit adds to a looser model limit', T, async () => {
    const m = await model('pm-extend-own', { limits: [periodLimit('calls', 5, 'daily')] });
    const p = await fx.project([{ modelId: m.id, limitsMode: 'extend', limits: [periodLimit('calls', 2, 'yearly')] }]);
    await succeed(p.token, 2, m.upstream);
    await expectBlocked(p.project, p.token, { level: /project\b.*\bmodel\b/, metric: 'calls', window: 'yearly', limit: 2 });
  });

  test('disable: no limit applies to the model in this project', T, async () => {
    const m = await model('pm-disable', { limits: [periodLimit('calls', 1, 'daily')] });
    const p = await fx.project([{ modelId: m.id, limitsMode: 'disable' }]);
    assert.equal(p.project.models[0].limitsMode, 'disable');
    await succeed(p.token, 3, m.upstream);
  });

  test('limits set through PUT /api/projects apply at once', T, async () => {
    const m = await model('pm-put');
    const p = await fx.project([m.id]);
    await succeed(p.token, 2, m.upstream);
    const put = await fx.api('PUT', `/api/projects/${p.project.id}`, {
      models: [{ modelId: m.id, limitsMode: 'replace', limits: [periodLimit('calls', 2, 'daily')] }],
    });
    expectStatus(put, 200);
    await expectBlocked(p.project, p.token, { level: /project\b.*\bmodel\b/, metric: 'calls', window: 'daily', limit: 2 });
  });
});

describe('concurrency', () => {
  test('64 concurrent requests against a calls limit of 10: exactly 10 succeed, at most 10 reach the provider', { timeout: 90_000 }, async () => {
    // The upstream answers after 300 ms, so the requests really are in flight together.
    const m = await model('conc', {});
    const slowUpstream = `${m.upstream}-delay300`;
    expectStatus(await fx.api('PUT', `/api/models/${encodeURIComponent(m.id)}`, { upstreamModelId: slowUpstream }), 200);
    const p = await fx.project([m.id], { budgets: [periodLimit('calls', 10, 'daily')] });
    await fx.mock.clear();
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) => chat(fx, p.token, ask(`concurrent ${i}`), { timeout: 60_000 })),
    );
    const ok = results.filter((r) => r.status === 200);
    const blocked = results.filter((r) => r.status === 503 && r.json?.error === 'budget_exceeded');
    const other = results.filter((r) => r.status !== 200 && !(r.status === 503 && r.json?.error === 'budget_exceeded'));
    assert.deepEqual(other.map((r) => `${r.status} ${r.text.slice(0, 200)}`), [], 'every answer is a success or budget_exceeded');
    assert.equal(ok.length, 10, `successes: ${ok.length}`);
    assert.equal(blocked.length, 54);
    const upstream = (await upstreamChats(fx)).filter((u) => u === slowUpstream);
    assert.ok(upstream.length <= 10, `${upstream.length} requests reached the provider`);
    assert.equal(upstream.length, ok.length, 'each success made exactly one upstream call');
    const rows = await fx.waitRecords({ project: p.project.id }, (rs) => rs.length >= 64, { timeout: 15_000 });
    assert.equal(rows.filter((r) => r.outcome === 'success').length, 10);
    assert.equal(rows.filter((r) => r.outcome === 'budget_exceeded').length, 54);
    // Once the burst is over the limit still holds.
    await expectBlocked(p.project, p.token, { level: 'project', metric: 'calls', window: 'daily', limit: 10 });
  });
});

describe('restart', () => {
  test('counters are rebuilt from the store: an exhausted budget stays exhausted', { timeout: 60_000 }, async () => {
    const m = await model('restart');
    const p = await fx.project([m.id], { budgets: [periodLimit('calls', 2, 'daily')] });
    const answers = await succeed(p.token, 2, m.upstream);
    // Both calls are stored before the restart.
    await recordsOfTrace(fx, p.project, answers[1].traceId);
    await recordsOfTrace(fx, p.project, answers[0].traceId);
    await fx.srv.restart();
    await expectBlocked(p.project, p.token, { level: 'project', metric: 'calls', window: 'daily', limit: 2 });
  });
});
