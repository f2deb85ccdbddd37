// Limits on what an upstream can do to a call: the attempt timeout bounds a whole non-stream
// answer (a provider trickling bytes cannot hold the client), a buffered answer has a size cap,
// `maxStreamMs` bounds a whole stream, and a stream request answered by something that is not
// an event stream (an HTML page, a stream ending before its first event) moves on to the next
// model before anything reaches the client.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { expectError } from './lib/expect.mjs';
import { mockReply } from './lib/mock.mjs';
import { parseSse, rawProxy, startProxyFixture } from './lib/proxy_fixture.mjs';
import { collectChat } from './lib/sdk_streams.mjs';

const T = { timeout: 30_000 };

let fx;
let local; // hand-made upstreams: a huge answer, a never-ending stream
const P = {};

const OK = 'openai/gpt-4o';
const ANTH_OK = 'anthropic/claude-haiku-4-5';
// 300 ms between bytes: each gap is far inside the 1500 ms timeout, the whole answer (~600
// bytes) would take three minutes.
const TRICKLE = 'openai/gpt-4o-trickle300';
const HTML = 'openai/gpt-4o-html';
const NO_EVENTS = 'openai/gpt-4o-noevents';
const ANTH_HTML = 'anthropic/claude-haiku-4-5-html';
const ANTH_NO_EVENTS = 'anthropic/claude-haiku-4-5-noevents';
const HUGE = 'huge-answer';
const ENDLESS = 'endless-stream';
const TIMEOUT_MS = 1500;
const HUGE_BYTES = 9 << 20; // past the 8 MiB cap of a buffered answer

// Two upstreams on one server: POST /huge/... answers a valid chat completion of HUGE_BYTES;
// POST /endless/... streams a chunk every 100 ms for a minute.
function startLocalUpstream() {
  const state = { huge: 0, endlessClosedAt: null };
  const server = http.createServer((req, res) => {
    req.resume();
    if (req.url.startsWith('/huge/')) {
      state.huge++;
      const content = 'x'.repeat(HUGE_BYTES);
      const body = JSON.stringify({
        id: 'chatcmpl-huge',
        object: 'chat.completion',
        created: 1,
        model: 'huge',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (delta) =>
      `data: ${JSON.stringify({
        id: 'chatcmpl-endless',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'endless',
        choices: [{ index: 0, delta, finish_reason: null }],
      })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }));
    let n = 0;
    const timer = setInterval(() => res.write(chunk({ content: ` w${++n}` })), 100);
    res.on('close', () => {
      clearInterval(timer);
      state.endlessClosedAt = Date.now();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, state, port: server.address().port })),
  );
}

before(async () => {
  fx = await startProxyFixture();
  local = await startLocalUpstream();
  await fx.model({ id: OK });
  await fx.model({ id: ANTH_OK, provider: 'anthropic' });
  await fx.model({ id: TRICKLE, timeout: TIMEOUT_MS });
  await fx.model({ id: HTML });
  await fx.model({ id: NO_EVENTS });
  await fx.model({ id: ANTH_HTML, provider: 'anthropic' });
  await fx.model({ id: ANTH_NO_EVENTS, provider: 'anthropic' });
  await fx.model({ id: HUGE, endpoint: `http://127.0.0.1:${local.port}/huge/v1` });
  await fx.model({ id: ENDLESS, endpoint: `http://127.0.0.1:${local.port}/endless/v1` });
  P.trickle = await fx.project([TRICKLE, OK]);
  P.trickleOnly = await fx.project([TRICKLE]);
  P.huge = await fx.project([HUGE, OK]);
  P.endless = await fx.project([ENDLESS]);
  P.html = await fx.project([HTML, OK]);
  P.noEvents = await fx.project([NO_EVENTS, OK]);
  P.anthHtml = await fx.project([ANTH_HTML, ANTH_OK]);
  P.anthNoEvents = await fx.project([ANTH_NO_EVENTS, ANTH_OK]);
  P.htmlOnly = await fx.project([HTML]);
  P.noEventsOnly = await fx.project([NO_EVENTS]);
});
after(async () => {
  await fx?.dispose();
  local?.server.closeAllConnections();
  await new Promise((r) => (local ? local.server.close(r) : r()));
});

const ask = (user, extra = {}) => ({ model: 'x', messages: [{ role: 'user', content: user }], ...extra });

// Mock requests whose body mentions `needle`, as upstream model names in arrival order.
async function upstreamModels(needle) {
  const reqs = await fx.mock.requests();
  return reqs.filter((r) => JSON.stringify(r.body ?? '').includes(needle)).map((r) => r.body.model);
}

describe('the attempt timeout bounds a whole non-stream answer', () => {
  test('a trickling upstream is cut at the timeout and the next model answers', T, async () => {
    const user = 'trickle then fallback';
    const started = Date.now();
    const res = await rawProxy(fx.base, '/v1/chat/completions', { token: P.trickle.token, body: ask(user) });
    const elapsed = Date.now() - started;
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.choices[0].message.content, mockReply('gpt-4o', user));
    assert.ok(elapsed < TIMEOUT_MS + 1500, `cut after about ${TIMEOUT_MS} ms (took ${elapsed} ms)`);
    assert.deepEqual(await upstreamModels(user), ['gpt-4o-trickle300', 'gpt-4o']);
    const rows = await fx.recordsOf(res.headers.get('x-routerly-trace-id'), { project: P.trickle.project.id }, 2);
    assert.ok(rows.some((r) => r.outcome === 'timeout' && r.modelId === TRICKLE), JSON.stringify(rows));
  });

  test('the only model trickling: 503 within the timeout and a usage row with outcome timeout', T, async () => {
    const started = Date.now();
    const res = await rawProxy(fx.base, '/v1/chat/completions', { token: P.trickleOnly.token, body: ask('trickle only') });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < TIMEOUT_MS + 1500, `answered after the timeout, not the whole trickle (took ${elapsed} ms)`);
    expectError(res, 503, 'no_model_available', [TRICKLE, `timeout after ${TIMEOUT_MS} ms`]);
    const rows = await fx.recordsOf(res.headers.get('x-routerly-trace-id'), { project: P.trickleOnly.project.id });
    assert.ok(rows.some((r) => r.outcome === 'timeout' && r.modelId === TRICKLE), JSON.stringify(rows));
  });
});

describe('a buffered answer has a size cap', () => {
  test('an answer past the cap is a failed attempt and the next model answers', T, async () => {
    const user = 'huge then fallback';
    const res = await rawProxy(fx.base, '/v1/chat/completions', { token: P.huge.token, body: ask(user) });
    assert.equal(res.status, 200, res.text.slice(0, 500));
    assert.equal(res.json.choices[0].message.content, mockReply('gpt-4o', user));
    assert.ok(local.state.huge >= 1, 'the huge upstream was called');
    const rows = await fx.recordsOf(res.headers.get('x-routerly-trace-id'), { project: P.huge.project.id }, 2);
    const failed = rows.find((r) => r.modelId === HUGE);
    assert.equal(failed?.outcome, 'error', JSON.stringify(rows));
    assert.match(failed.errorMessage ?? '', /exceeds the 8388608-byte limit/, JSON.stringify(failed));
  });
});

describe('maxStreamMs', () => {
  test('validated on PUT /api/settings with a 400 naming the field', T, async () => {
    for (const bad of [0, 999, 86_400_001, 1.5, '5000']) {
      const res = await fx.api('PUT', '/api/settings', { maxStreamMs: bad });
      expectError(res, 400, 'validation_error', 'maxStreamMs');
    }
  });

  test('bounds a whole stream: cut with an in-stream error and recorded as a timeout', T, async () => {
    const set = await fx.api('PUT', '/api/settings', { maxStreamMs: 1500 });
    assert.equal(set.status, 200, set.text);
    try {
      const started = Date.now();
      const res = await rawProxy(fx.base, '/v1/chat/completions', {
        token: P.endless.token,
        body: ask('endless stream', { stream: true }),
      });
      const elapsed = Date.now() - started;
      assert.equal(res.status, 200);
      assert.ok(elapsed >= 1400 && elapsed < 4000, `cut after about 1500 ms (took ${elapsed} ms)`);
      const events = parseSse(res.text);
      assert.ok(events.some((e) => typeof e.data === 'object' && e.data.choices?.[0]?.delta?.content === ' w1'));
      const error = events.find((e) => typeof e.data === 'object' && e.data.error);
      assert.ok(error, `an in-stream error: ${res.text.slice(-400)}`);
      assert.equal(events.at(-1).raw, '[DONE]');
      const rows = await fx.recordsOf(res.headers.get('x-routerly-trace-id'), { project: P.endless.project.id });
      assert.equal(rows[0].outcome, 'timeout', JSON.stringify(rows));
    } finally {
      const cleared = await fx.api('PUT', '/api/settings', { maxStreamMs: null });
      assert.equal(cleared.status, 200, cleared.text);
    }
  });
});

describe('a stream request answered by something other than an event stream', () => {
  for (const [label, key, failing] of [
    ['an HTML 200', 'html', 'gpt-4o-html'],
    ['an event stream without any event', 'noEvents', 'gpt-4o-noevents'],
  ]) {
    test(`chat: ${label} moves on to the next model; the client gets a normal stream`, T, async () => {
      const user = `chat stream after ${key}`;
      const { data: stream, response } = await fx
        .openai(P[key].token)
        .chat.completions.create(ask(user, { stream: true }))
        .withResponse();
      assert.equal(response.status, 200);
      const { text, finish } = await collectChat(stream);
      assert.equal(text, mockReply('gpt-4o', user));
      assert.equal(finish, 'stop');
      assert.deepEqual(await upstreamModels(user), [failing, 'gpt-4o']);
      const rows = await fx.recordsOf(response.headers.get('x-routerly-trace-id'), { project: P[key].project.id }, 2);
      assert.ok(rows.some((r) => r.outcome === 'success' && r.modelId === OK), JSON.stringify(rows));
      assert.ok(rows.some((r) => r.outcome === 'error' && r.modelId !== OK), JSON.stringify(rows));
    });

    test(`responses (native): ${label} moves on to the next model`, T, async () => {
      const user = `responses stream after ${key}`;
      const res = await rawProxy(fx.base, '/v1/responses', {
        token: P[key].token,
        body: { model: 'x', input: user, stream: true },
      });
      assert.equal(res.status, 200, res.text);
      const events = parseSse(res.text);
      assert.equal(events.at(-1).event, 'response.completed', res.text.slice(-400));
      assert.ok(!events.some((e) => e.event === 'error'), res.text);
      const models = await upstreamModels(user);
      assert.equal(models.at(-1), 'gpt-4o', JSON.stringify(models));
      assert.ok(models.includes(failing), JSON.stringify(models));
    });
  }

  for (const [label, key, failing] of [
    ['an HTML 200', 'anthHtml', 'claude-haiku-4-5-html'],
    ['an event stream without any event', 'anthNoEvents', 'claude-haiku-4-5-noevents'],
  ]) {
    test(`messages (native): ${label} moves on to the next model`, T, async () => {
      const user = `messages stream after ${key}`;
      const stream = fx.anthropic(P[key].token).messages.stream({
        model: 'x',
        max_tokens: 64,
        messages: [{ role: 'user', content: user }],
      });
      const message = await stream.finalMessage();
      assert.equal(message.content[0].text, mockReply('claude-haiku-4-5', user));
      assert.deepEqual(await upstreamModels(user), [failing, 'claude-haiku-4-5']);
    });

    test(`chat from Anthropic models (translated): ${label} moves on to the next model`, T, async () => {
      const user = `translated chat stream after ${key}`;
      const stream = await fx.openai(P[key].token).chat.completions.create(ask(user, { stream: true }));
      const { text } = await collectChat(stream);
      assert.equal(text, mockReply('claude-haiku-4-5', user));
      assert.deepEqual(await upstreamModels(user), [failing, 'claude-haiku-4-5']);
    });
  }

  test('no model left: 503 no_model_available saying why, not a 200 stream', T, async () => {
    const html = await rawProxy(fx.base, '/v1/chat/completions', {
      token: P.htmlOnly.token,
      body: ask('html only', { stream: true }),
    });
    expectError(html, 503, 'no_model_available', [HTML, 'text/html', 'not an event stream']);
    assert.doesNotMatch(html.headers.get('content-type') ?? '', /event-stream/);
    const empty = await rawProxy(fx.base, '/v1/chat/completions', {
      token: P.noEventsOnly.token,
      body: ask('no events only', { stream: true }),
    });
    expectError(empty, 503, 'no_model_available', [NO_EVENTS, 'before its first event']);
  });
});
