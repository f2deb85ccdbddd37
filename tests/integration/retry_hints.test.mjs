// Retry hints: answers that a retry cannot fix carry `x-should-retry: false`, which the official
// OpenAI and Anthropic SDKs read (they otherwise retry every 5xx twice): budget_exceeded, with
// `retry-after` in seconds when the blocking window ends within a day, and no_model_available
// when every candidate was ruled out for the request's own reasons. A no_model_available after
// upstream failures carries no such hint (a retry may help there).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { unique } from './lib/accounts.mjs';
import { expectStatus } from './lib/expect.mjs';
import { startProxyFixture } from './lib/proxy_fixture.mjs';
import { ask, chat, periodLimit, rollingLimit, sleep } from './lib/routing.mjs';

const T = { timeout: 60_000 };

let fx;

before(async () => {
  fx = await startProxyFixture();
});
after(async () => {
  await fx?.dispose();
});

async function model(name, extra = {}, suffix = '') {
  const id = unique(name);
  const upstream = `${name}-${id.split('-').pop()}${suffix}`;
  await fx.model({ id, upstream, inputPrice: 1, outputPrice: 1, ...extra });
  return { id, upstream };
}

// A project whose calls budget (one call) is used up.
async function exhaustedProject(limit) {
  const m = await model('hint');
  const p = await fx.project([m.id], { budgets: [limit] });
  expectStatus(await chat(fx, p.token, ask(unique('uses the budget'))), 200);
  return p;
}

const secondsToUtcMidnight = () => {
  const now = new Date();
  return (Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000;
};

describe('budget_exceeded', () => {
  test('the OpenAI SDK makes one request and fails fast', T, async () => {
    const p = await exhaustedProject(periodLimit('calls', 1, 'daily'));
    const client = fx.openai(p.token, { maxRetries: 2 });  // the SDK's default
    const started = Date.now();
    await assert.rejects(
      client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: unique('blocked') }] }),
      (err) => err.status === 503 && err.error === 'budget_exceeded',
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 400, `the SDK gave up after ${elapsed} ms (a retry waits at least 500 ms)`);
    // One blocked request = one usage row with outcome budget_exceeded.
    const blocked = (rs) => rs.filter((r) => r.outcome === 'budget_exceeded');
    await fx.waitRecords({ project: p.project.id }, (rs) => blocked(rs).length >= 1);
    await sleep(1500);  // long enough for the SDK's retries, had it made any, to be recorded
    const rows = blocked((await fx.usage({ project: p.project.id })).records);
    assert.equal(rows.length, 1, `requests that reached the gateway: ${rows.length}`);
  });

  test('a calendar window: x-should-retry false and retry-after until it ends', T, async () => {
    const p = await exhaustedProject(periodLimit('calls', 1, 'daily'));
    const res = await chat(fx, p.token, ask(unique('blocked')));
    assert.equal(res.status, 503, res.text);
    assert.equal(res.json.error, 'budget_exceeded');
    assert.equal(res.headers.get('x-should-retry'), 'false');
    const after = Number(res.headers.get('retry-after'));
    const expected = secondsToUtcMidnight();
    assert.ok(Math.abs(after - expected) <= 5, `retry-after ${after}, seconds to UTC midnight ${expected}`);
  });

  test('a rolling window: retry-after until the oldest counted call leaves it', T, async () => {
    const p = await exhaustedProject(rollingLimit('calls', 1, 1, 'hour'));
    const res = await chat(fx, p.token, ask(unique('blocked')));
    assert.equal(res.status, 503, res.text);
    assert.equal(res.headers.get('x-should-retry'), 'false');
    const after = Number(res.headers.get('retry-after'));
    // The call was admitted from a lease, booked at the lease's end: up to 10 s after the call.
    assert.ok(after > 3590 && after <= 3612, `retry-after ${after}`);
  });

  test('a window ending beyond a day: no retry-after', T, async () => {
    const p = await exhaustedProject(rollingLimit('calls', 1, 3, 'day'));
    const res = await chat(fx, p.token, ask(unique('blocked')));
    assert.equal(res.status, 503, res.text);
    assert.equal(res.headers.get('x-should-retry'), 'false');
    assert.equal(res.headers.get('retry-after'), null);
  });
});

describe('no_model_available', () => {
  test('every model ruled out by the request itself (context too long): x-should-retry false', T, async () => {
    const small = await model('tiny-ctx', { contextWindow: 16 });
    const p = await fx.project([small.id, (await model('tiny-ctx2', { contextWindow: 16 })).id], {
      policies: [{ type: 'context', enabled: true }],
    });
    const res = await chat(fx, p.token, ask('a prompt far too long for a sixteen token window '.repeat(4)));
    assert.equal(res.status, 503, res.text);
    assert.equal(res.json.error, 'no_model_available');
    assert.equal(res.headers.get('x-should-retry'), 'false');
  });

  test('every model failed upstream: no hint, the SDK may retry', T, async () => {
    const broken = await model('hint-broken', {}, '-fail503');
    const p = await fx.project([broken.id]);
    const res = await chat(fx, p.token, ask(unique('fails upstream')));
    assert.equal(res.status, 503, res.text);
    assert.equal(res.json.error, 'no_model_available');
    assert.equal(res.headers.get('x-should-retry'), null);
    assert.equal(res.headers.get('retry-after'), null);
  });
});
