// Failure behaviour of the proxy (issue 3, SPEC §00 P1, P2, P11, P12, P19): fallback to the
// next candidate, provider 400s returned as they are, exhaustion → 503 no_model_available,
// timeouts, mid-stream failures the SDKs see as errors, client aborts that cancel the upstream,
// 401s, and the embeddings pass-through with its usage record.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { expectError } from './lib/expect.mjs';
import { mockReply, tokensOf, wordsOf } from './lib/mock.mjs';
import { UUID_RE, parseSse, rawProxy, startProxyFixture } from './lib/proxy_fixture.mjs';
import { collectChat, drainExpectingError } from './lib/sdk_streams.mjs';

const T = { timeout: 30_000 };

let fx;
let slow; // a hand-made slow upstream that reports when its connection closes
const P = {}; // projects by purpose: {project, token}

const OK = 'openai/gpt-4o';
const FAIL503 = 'openai/gpt-4o-fail503';
const FAIL400 = 'openai/gpt-4o-fail400';
const FAIL422 = 'openai/gpt-4o-fail422';
const MOVE_ON = ['openai/gpt-4o-fail401', 'openai/gpt-4o-fail404', 'openai/gpt-4o-fail429', 'openai/gpt-4o-fail500'];
const ANTH_FAIL = 'anthropic/claude-haiku-4-5-fail529';
const SLOW = 'openai/gpt-4o-delay4000';
const SLOW_NO_TIMEOUT = 'slow-project-timeout';
const DISC = 'openai/gpt-4o-disconnect3';
const ERRAFTER = 'openai/gpt-4o-errorafter3';
const ANTH_DISC = 'anthropic/claude-haiku-4-5-disconnect3';
const ANTH_ERRAFTER = 'anthropic/claude-haiku-4-5-errorafter3';
const EMBED = 'openai/text-embedding-3-small';
const DRIP = 'drip-model';

// An OpenAI-compatible upstream that drips one word every 200 ms for 20 s and records when
// the gateway closes the connection.
function startDripUpstream() {
  const state = { requests: 0, closedAt: null, finished: false };
  const server = http.createServer((req, res) => {
    req.resume();
    state.requests++;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (delta, finish = null) =>
      `data: ${JSON.stringify({
        id: 'chatcmpl-drip',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'drip',
        choices: [{ index: 0, delta, finish_reason: finish }],
      })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }));
    let n = 0;
    const timer = setInterval(() => {
      if (++n > 100) {
        clearInterval(timer);
        state.finished = true;
        res.end(chunk({}, 'stop') + 'data: [DONE]\n\n');
        return;
      }
      res.write(chunk({ content: ` word${n}` }));
    }, 200);
    res.on('close', () => {
      clearInterval(timer);
      if (!state.finished) state.closedAt = Date.now();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, state, port: server.address().port })),
  );
}

before(async () => {
  fx = await startProxyFixture();
  slow = await startDripUpstream();
  await fx.model({ id: OK, inputPrice: 2, outputPrice: 8 });
  await fx.model({ id: FAIL503 });
  await fx.model({ id: FAIL400 });
  await fx.model({ id: FAIL422 });
  for (const id of MOVE_ON) await fx.model({ id });
  await fx.model({ id: ANTH_FAIL, provider: 'anthropic' });
  await fx.model({ id: SLOW, timeout: 1000 });
  await fx.model({ id: SLOW_NO_TIMEOUT, upstream: 'gpt-4o-delay4000' });
  await fx.model({ id: DISC });
  await fx.model({ id: ERRAFTER });
  await fx.model({ id: ANTH_DISC, provider: 'anthropic' });
  await fx.model({ id: ANTH_ERRAFTER, provider: 'anthropic' });
  await fx.model({ id: EMBED, inputPrice: 0.02, outputPrice: 0 });
  await fx.model({ id: DRIP, endpoint: `http://127.0.0.1:${slow.port}/v1` });
  P.fallback = await fx.project([FAIL503, OK]);
  P.bad = await fx.project([FAIL400, OK]);
  P.bad422 = await fx.project([FAIL422, OK]);
  P.moveOn = await fx.project([...MOVE_ON, OK]);
  P.none = await fx.project([FAIL503, ANTH_FAIL]);
  P.timeout = await fx.project([SLOW, OK]);
  P.timeoutOnly = await fx.project([SLOW]);
  P.projectTimeout = await fx.project([SLOW_NO_TIMEOUT], { timeoutMs: 1000 });
  P.disc = await fx.project([DISC, OK]);
  P.errafter = await fx.project([ERRAFTER, OK]);
  P.anthDisc = await fx.project([ANTH_DISC, OK]);
  P.anthErrafter = await fx.project([ANTH_ERRAFTER, OK]);
  P.embed = await fx.project([OK, EMBED]);
  P.drip = await fx.project([DRIP]);
});
after(async () => {
  await fx?.dispose();
  slow?.server.closeAllConnections();
  await new Promise((r) => (slow ? slow.server.close(r) : r()));
});

const ask = (user, extra = {}) => ({ model: 'x', messages: [{ role: 'user', content: user }], ...extra });

// Mock requests whose body mentions `needle`, as upstream model names in arrival order.
async function upstreamModels(needle) {
  const reqs = await fx.mock.requests();
  return reqs.filter((r) => JSON.stringify(r.body ?? '').includes(needle)).map((r) => r.body.model);
}

// The stored record (with its trace) of a request, once written.
async function storedRecord(project, traceId, pick = (rs) => rs[0]) {
  // The records of one call's attempts are written apart: wait for the one `pick` wants.
  const mine = (rs) => rs.filter((r) => r.traceId === traceId);
  const rows = mine(await fx.waitRecords({ project: project.id }, (rs) => pick(mine(rs)) !== undefined));
  const row = pick(rows);
  assert.ok(row, `no matching usage record for trace ${traceId}: ${JSON.stringify(rows)}`);
  const res = await fx.api('GET', `/api/usage/${row.id}`);
  assert.equal(res.status, 200, res.text);
  return { rows, row, full: res.json };
}

describe('fallback', () => {
  test('first model 503 → the second answers; usage and trace show it', T, async () => {
    const user = 'fallback non-stream';
    const { data, response } = await fx.openai(P.fallback.token).chat.completions.create(ask(user)).withResponse();
    assert.equal(data.choices[0].message.content, mockReply('gpt-4o', user));
    assert.deepEqual(await upstreamModels(user), ['gpt-4o-fail503', 'gpt-4o']);
    const traceId = response.headers.get('x-routerly-trace-id');
    const { rows, full } = await storedRecord(P.fallback.project, traceId, (rs) => rs.find((r) => r.outcome === 'success'));
    assert.ok(!rows.some((r) => r.outcome === 'success' && r.modelId === FAIL503));
    assert.equal(full.modelId, OK);
    assert.equal(full.inputTokens, tokensOf(user));
    assert.equal(full.outputTokens, wordsOf(data.choices[0].message.content));
    assert.ok(JSON.stringify(full.trace).includes(FAIL503), `the trace names the failed model: ${JSON.stringify(full.trace)}`);
  });

  test('stream: the failed first attempt is invisible to the client', T, async () => {
    const user = 'fallback stream';
    const { data: stream, response } = await fx
      .openai(P.fallback.token)
      .chat.completions.create(ask(user, { stream: true }))
      .withResponse();
    assert.equal(response.status, 200);
    const { text, chunks } = await collectChat(stream);
    assert.equal(text, mockReply('gpt-4o', user));
    assert.equal(chunks[0].provider, 'openai');
    assert.deepEqual(await upstreamModels(user), ['gpt-4o-fail503', 'gpt-4o']);
  });

  test('401, 404, 429 and 500 from providers all move on to the next candidate', T, async () => {
    const user = 'move on through the statuses';
    const r = await fx.openai(P.moveOn.token).chat.completions.create(ask(user));
    assert.equal(r.choices[0].message.content, mockReply('gpt-4o', user));
    assert.deepEqual(await upstreamModels(user), [...MOVE_ON.map((id) => id.slice('openai/'.length)), 'gpt-4o']);
  });

  test('non-stream upstream disconnect before any answer → next candidate', T, async () => {
    const user = 'disconnect before answer';
    const r = await fx.openai(P.disc.token).chat.completions.create(ask(user));
    assert.equal(r.choices[0].message.content, mockReply('gpt-4o', user));
    // The outbound client may retry once on a fresh connection when a pooled (reused) one
    // closes before answering — indistinguishable from a stale keep-alive connection — but
    // no more than that before moving on.
    const models = await upstreamModels(user);
    assert.equal(models.at(-1), 'gpt-4o', JSON.stringify(models));
    const tries = models.slice(0, -1);
    assert.ok(tries.length >= 1 && tries.length <= 2 && tries.every((m) => m === 'gpt-4o-disconnect3'), JSON.stringify(models));
  });
});

describe('provider 400', () => {
  test('returned to an OpenAI client as the provider sent it, not retried elsewhere', T, async () => {
    const user = 'bad request openai';
    await assert.rejects(fx.openai(P.bad.token).chat.completions.create(ask(user)), (err) => {
      assert.equal(err.status, 400, String(err));
      assert.equal(err.error?.type, 'invalid_request_error', JSON.stringify(err.error));
      assert.equal(err.error?.message, 'The request could not be processed.');
      return true;
    });
    assert.deepEqual(await upstreamModels(user), ['gpt-4o-fail400'], 'no other candidate was tried');
  });

  test('a 422 is returned too, not retried elsewhere', T, async () => {
    const user = 'unprocessable';
    await assert.rejects(fx.openai(P.bad422.token).chat.completions.create(ask(user)), (err) => err.status === 422);
    assert.deepEqual(await upstreamModels(user), ['gpt-4o-fail422']);
  });

  test('converted to Anthropic format for an Anthropic client', T, async () => {
    const user = 'bad request anthropic';
    const client = fx.anthropic(P.bad.token);
    await assert.rejects(client.messages.create({ model: 'x', max_tokens: 64, messages: [{ role: 'user', content: user }] }), (err) => {
      assert.equal(err.status, 400, String(err));
      assert.equal(err.error?.type, 'error', JSON.stringify(err.error));
      assert.equal(err.error?.error?.type, 'invalid_request_error');
      assert.match(err.error.error.message, /could not be processed/);
      return true;
    });
    assert.deepEqual(await upstreamModels(user), ['gpt-4o-fail400']);
  });
});

describe('no candidate left', () => {
  test('non-stream: 503 no_model_available naming the models', T, async () => {
    const res = await rawProxy(fx.base, '/v1/chat/completions', { token: P.none.token, body: ask('all fail') });
    expectError(res, 503, 'no_model_available', [FAIL503, ANTH_FAIL]);
    assert.match(res.headers.get('x-routerly-trace-id') ?? '', UUID_RE);
    await assert.rejects(fx.openai(P.none.token).chat.completions.create(ask('all fail sdk')), (err) => err.status === 503);
  });

  test('stream: the HTTP 503, not a 200 stream', T, async () => {
    const res = await rawProxy(fx.base, '/v1/chat/completions', {
      token: P.none.token,
      body: ask('all fail stream', { stream: true }),
    });
    expectError(res, 503, 'no_model_available', [FAIL503, ANTH_FAIL]);
    assert.doesNotMatch(res.headers.get('content-type') ?? '', /event-stream/);
    const sdk = fx.openai(P.none.token).chat.completions.create(ask('all fail stream sdk', { stream: true }));
    await assert.rejects(sdk, (err) => err.status === 503);
    const anth = fx.anthropic(P.none.token).messages.create({
      model: 'x',
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: 'all fail messages stream' }],
    });
    await assert.rejects(anth, (err) => err.status === 503);
  });
});

describe('timeouts (P12)', () => {
  test('model timeout → next candidate, quickly; the attempt is recorded as a timeout', T, async () => {
    const user = 'slow first';
    const started = Date.now();
    const { data, response } = await fx.openai(P.timeout.token).chat.completions.create(ask(user)).withResponse();
    const elapsed = Date.now() - started;
    assert.equal(data.choices[0].message.content, mockReply('gpt-4o', user));
    assert.ok(elapsed < 3500, `the 1000 ms model timeout cut the 4000 ms delay (took ${elapsed} ms)`);
    const traceId = response.headers.get('x-routerly-trace-id');
    const { rows, full } = await storedRecord(P.timeout.project, traceId, (rs) => rs.find((r) => r.outcome === 'success'));
    const text = JSON.stringify({ rows, trace: full.trace });
    assert.ok(text.includes(SLOW), 'the slow model appears in the record or trace');
    assert.match(text, /timeout|timed out/i, 'the timeout is recorded');
  });

  test('only candidate times out → 503 and usage outcome timeout', T, async () => {
    const started = Date.now();
    const res = await rawProxy(fx.base, '/v1/chat/completions', { token: P.timeoutOnly.token, body: ask('slow only') });
    assert.ok(Date.now() - started < 3500, 'answered after the model timeout, not the upstream delay');
    expectError(res, 503, 'no_model_available', SLOW);
    const traceId = res.headers.get('x-routerly-trace-id');
    const rows = await fx.recordsOf(traceId, { project: P.timeoutOnly.project.id });
    assert.ok(rows.some((r) => r.outcome === 'timeout' && r.modelId === SLOW), JSON.stringify(rows));
    const filtered = await fx.usage({ project: P.timeoutOnly.project.id, outcome: 'timeout' });
    assert.ok(filtered.records.length >= 1 && filtered.records.every((r) => r.outcome === 'timeout'));
  });

  test('project timeoutMs applies when the model has none', T, async () => {
    const started = Date.now();
    const res = await rawProxy(fx.base, '/v1/chat/completions', { token: P.projectTimeout.token, body: ask('slow project') });
    assert.ok(Date.now() - started < 3500, 'the project timeout (1000 ms) applied');
    assert.equal(res.status, 503, res.text);
    const rows = await fx.recordsOf(res.headers.get('x-routerly-trace-id'), { project: P.projectTimeout.project.id });
    assert.ok(rows.some((r) => r.outcome === 'timeout'), JSON.stringify(rows));
  });
});

describe('mid-stream failure', () => {
  for (const [label, key, upstream] of [
    ['upstream disconnect', 'disc', 'gpt-4o-disconnect3'],
    ['upstream in-stream error', 'errafter', 'gpt-4o-errorafter3'],
  ]) {
    test(`OpenAI client, ${label}: the SDK raises, no silent fallback`, T, async () => {
      const user = `mid-stream ${key}`;
      const stream = await fx.openai(P[key].token).chat.completions.create(ask(user, { stream: true }));
      const { error, seen } = await drainExpectingError(stream);
      assert.ok(error, 'an error');
      const text = seen.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
      assert.ok(mockReply(upstream, user).startsWith(text), `the partial text came from the first model: '${text}'`);

      // On the wire: a well-formed error event in OpenAI format, then [DONE].
      const raw = await rawProxy(fx.base, '/v1/chat/completions', { token: P[key].token, body: ask(`${user} raw`, { stream: true }) });
      assert.equal(raw.status, 200);
      const events = parseSse(raw.text);
      const errEvent = events.find((e) => e.data && typeof e.data === 'object' && e.data.error);
      assert.ok(errEvent, `an in-stream error event: ${raw.text.slice(-600)}`);
      assert.equal(typeof errEvent.data.error.message, 'string');
      assert.equal(typeof errEvent.data.error.type, 'string');
      assert.equal(events.at(-1).raw, '[DONE]');
      assert.ok(!(await upstreamModels(user)).includes('gpt-4o'), 'no fallback once the stream started');
      const rows = await fx.recordsOf(raw.headers.get('x-routerly-trace-id'), { project: P[key].project.id });
      assert.ok(rows.some((r) => r.outcome === 'error'), JSON.stringify(rows));
    });
  }

  for (const [label, key] of [
    ['upstream disconnect', 'anthDisc'],
    ['upstream in-stream error', 'anthErrafter'],
  ]) {
    test(`Anthropic client, ${label}: the SDK raises`, T, async () => {
      const client = fx.anthropic(P[key].token);
      const body = { model: 'x', max_tokens: 128, messages: [{ role: 'user', content: `mid-stream ${key}` }] };
      await assert.rejects(client.messages.stream(body).finalMessage());
      const raw = await rawProxy(fx.base, '/v1/messages', {
        token: P[key].token,
        body: { ...body, stream: true },
        headers: { 'anthropic-version': '2023-06-01' },
      });
      assert.equal(raw.status, 200);
      const events = parseSse(raw.text);
      const err = events.find((e) => e.event === 'error');
      assert.ok(err, `an event: error: ${raw.text.slice(-600)}`);
      assert.equal(err.data.type, 'error');
      assert.equal(typeof err.data.error?.type, 'string');
      assert.ok(!events.some((e) => e.event === 'message_stop'), 'no normal end');
    });
  }
});

describe('client abort', () => {
  test('aborting mid-stream cancels the upstream call and records client_disconnected', T, async () => {
    const { data: stream, response } = await fx
      .openai(P.drip.token)
      .chat.completions.create(ask('drip please', { stream: true }))
      .withResponse();
    const traceId = response.headers.get('x-routerly-trace-id');
    let words = 0;
    for await (const c of stream) {
      if (c.choices[0]?.delta?.content) words++;
      if (words >= 3) break; // leaving the loop aborts the request
    }
    stream.controller.abort();
    const abortedAt = Date.now();
    while (slow.state.closedAt === null && Date.now() - abortedAt < 5000) await new Promise((r) => setTimeout(r, 50));
    assert.ok(slow.state.closedAt !== null, 'the gateway closed its upstream connection');
    assert.ok(slow.state.closedAt - abortedAt < 3000, `closed ${slow.state.closedAt - abortedAt} ms after the abort`);
    const rows = await fx.recordsOf(traceId, { project: P.drip.project.id });
    const row = rows.find((r) => r.errorMessage === 'client_disconnected');
    assert.ok(row, `a client_disconnected record: ${JSON.stringify(rows)}`);
    assert.equal(row.outcome, 'error');
    assert.equal(row.modelId, DRIP);
  });
});

describe('authentication', () => {
  test('401 unauthorized without a token, with a bad bearer, with a bad x-api-key', T, async () => {
    const body = ask('who am i');
    expectError(await rawProxy(fx.base, '/v1/chat/completions', { body }), 401, 'unauthorized');
    expectError(await rawProxy(fx.base, '/v1/chat/completions', { body, token: `sk-rt-${'0'.repeat(64)}` }), 401, 'unauthorized');
    expectError(
      await rawProxy(fx.base, '/v1/messages', { body, headers: { 'x-api-key': `sk-rt-${'1'.repeat(64)}` } }),
      401,
      'unauthorized',
    );
    expectError(await rawProxy(fx.base, '/v1/embeddings', { body: { model: 'x', input: 'a' } }), 401, 'unauthorized');
    const models = await fx.srv.api('GET', '/v1/models');
    expectError(models, 401, 'unauthorized');
    // An admin JWT is not a project token.
    expectError(await rawProxy(fx.base, '/v1/chat/completions', { body, token: fx.admin.token }), 401, 'unauthorized');
  });

  test('the SDKs see 401 as an authentication error', T, async () => {
    await assert.rejects(fx.openai('sk-rt-nope').chat.completions.create(ask('x')), (err) => err.status === 401);
    await assert.rejects(
      fx.anthropic('sk-rt-nope').messages.create({ model: 'x', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }),
      (err) => err.status === 401,
    );
  });
});

describe('pass-through', () => {
  test('embeddings go through to the project upstream and are recorded', T, async () => {
    const input = 'The quick brown fox jumps over the lazy dog';
    const { data, response } = await fx
      .openai(P.embed.token)
      .embeddings.create({ model: 'text-embedding-3-small', input })
      .withResponse();
    assert.equal(data.data.length, 1);
    assert.equal(data.data[0].embedding.length, 64);
    assert.equal(data.usage.prompt_tokens, tokensOf(input));
    const traceId = response.headers.get('x-routerly-trace-id');
    assert.match(traceId ?? '', UUID_RE);
    const up = (await fx.mock.requests('/v1/embeddings')).at(-1);
    assert.equal(up.body.input, input);
    assert.ok(up.headers.authorization && !up.headers.authorization.includes('sk-rt-'), 'the model key goes upstream');
    const rows = await fx.recordsOf(traceId, { project: P.embed.project.id });
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.equal(rows[0].type, 'embeddings');
    assert.equal(rows[0].modelId, EMBED);
    assert.equal(rows[0].inputTokens, tokensOf(input));
    assert.equal(rows[0].outcome, 'success');
  });
});
