// Shutdown under proxy traffic: SIGTERM after (and during) upstream calls exits 0 without
// memory errors, and streams the shutdown grace cuts end with an in-stream error in the
// client's format and are recorded.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expectStatus } from './lib/expect.mjs';
import { parseSse, startProxyFixture } from './lib/proxy_fixture.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// What a memory error looks like on stderr (glibc's heap checks, the sanitizers).
const MEMORY_ERROR = /corrupted|double free|free\(\)|AddressSanitizer|UndefinedBehaviorSanitizer|Segmentation/;

// A proxy call read to its end with fetch: {status, text}; a connection cut mid-body rejects.
async function call(base, path, token, body, timeout = 20_000) {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeout),
  });
  return { status: res.status, text: await res.text() };
}

const chat = (stream) => ({ model: 'auto', stream, messages: [{ role: 'user', content: 'Hi there' }] });
const messages = (stream) => ({ model: 'auto', stream, max_tokens: 64, messages: [{ role: 'user', content: 'Hi there' }] });

describe('SIGTERM after concurrent upstream calls', () => {
  let fx;
  before(async () => {
    fx = await startProxyFixture();
  });
  after(async () => {
    await fx?.dispose();
  });

  // 20 cycles: 16 concurrent calls (chat and messages, stream and not); SIGTERM goes out when
  // the 8 quick ones have answered (their upstream connections are pooled) while the 8 slow
  // ones are still in flight; they finish within the grace and the process exits 0.
  test('exits 0 every time, in-flight calls complete, nothing on stderr about memory', { timeout: 240_000 }, async () => {
    const fast = await fx.model({ upstream: 'gpt-4o' });
    const slow = await fx.model({ upstream: 'gpt-4o-delay300-chunkdelay60' });
    const fastAnthropic = await fx.model({ provider: 'anthropic', upstream: 'claude-haiku-4-5' });
    const slowAnthropic = await fx.model({ provider: 'anthropic', upstream: 'claude-haiku-4-5-delay300-chunkdelay60' });
    const quick = [(await fx.project([fast.id])).token, (await fx.project([fastAnthropic.id])).token];
    const lasting = [(await fx.project([slow.id])).token, (await fx.project([slowAnthropic.id])).token];

    for (let cycle = 0; cycle < 20; cycle++) {
      if (cycle > 0) await fx.srv.start();
      const calls = [];
      for (const [tokens, tag] of [[quick, 'quick'], [lasting, 'slow']]) {
        for (const stream of [false, true]) {
          for (let i = 0; i < 2; i++) {
            calls.push({ tag, p: call(fx.base, '/v1/chat/completions', tokens[0], chat(stream)) });
            calls.push({ tag, p: call(fx.base, '/v1/messages', tokens[1], messages(stream)) });
          }
        }
      }
      assert.equal(calls.length, 16);
      await Promise.all(calls.filter((c) => c.tag === 'quick').map((c) => c.p));
      let slowDone = 0;
      for (const c of calls) if (c.tag === 'slow') c.p.then(() => slowDone++, () => slowDone++);
      await sleep(0);
      fx.srv.proc.kill('SIGTERM');
      assert.ok(slowDone < 8, `cycle ${cycle}: the slow calls were still in flight at SIGTERM`);
      const results = await Promise.allSettled(calls.map((c) => c.p));
      const exit = await fx.srv.waitExit(15_000);
      const stderr = fx.srv.stderr;
      assert.doesNotMatch(stderr, MEMORY_ERROR, `cycle ${cycle}: ${stderr.slice(-3000)}`);
      assert.deepEqual(exit, { code: 0, signal: null }, `cycle ${cycle}: ${stderr.slice(-3000)}`);
      for (const r of results) {
        assert.equal(r.status, 'fulfilled', `cycle ${cycle}: ${r.reason}`);
        assert.equal(r.value.status, 200, `cycle ${cycle}: ${r.value.text.slice(0, 500)}`);
      }
    }
    await fx.srv.start();  // for after()'s dispose and the next describe's use of the fixture
  });
});

describe('streams cut by the shutdown grace', () => {
  let fx;
  before(async () => {
    fx = await startProxyFixture();
  });
  after(async () => {
    await fx?.dispose();
  });

  test('get an in-stream error in their format, end properly, and are recorded as "shutdown"', { timeout: 60_000 }, async () => {
    expectStatus(await fx.api('PUT', '/api/settings', { shutdownGraceMs: 500 }), 200);
    // Each stream takes several seconds (400 ms between events): the grace cuts it.
    const openai = await fx.model({ upstream: 'gpt-4o-chunkdelay400' });
    const anthropic = await fx.model({ provider: 'anthropic', upstream: 'claude-haiku-4-5-chunkdelay400' });
    const { project, token: chatToken } = await fx.project([openai.id]);
    const { token: messagesToken } = await fx.project([anthropic.id]);

    const started = Date.now();
    const chatStream = call(fx.base, '/v1/chat/completions', chatToken, chat(true));
    const messagesStream = call(fx.base, '/v1/messages', messagesToken, messages(true));
    const responsesStream = call(fx.base, '/v1/responses', chatToken, { model: 'auto', stream: true, input: 'Hi there' });
    await sleep(900);  // a couple of events have gone out
    fx.srv.proc.kill('SIGTERM');
    const [c, m, r] = await Promise.all([chatStream, messagesStream, responsesStream]);
    const exit = await fx.srv.waitExit(10_000);
    assert.deepEqual(exit, { code: 0, signal: null }, fx.srv.stderr.slice(-3000));
    assert.ok(Date.now() - started < 5000, `the cut streams took ${Date.now() - started} ms`);

    // OpenAI chat: data: {"error":{…}} then data: [DONE].
    assert.equal(c.status, 200);
    const chatEvents = parseSse(c.text);
    assert.ok(chatEvents.some((e) => e.data?.choices), 'some content went out before the cut');
    const chatError = chatEvents.at(-2);
    assert.ok(chatError.data?.error?.message?.includes('shutdown'), c.text.slice(-600));
    assert.equal(chatEvents.at(-1).raw, '[DONE]');

    // Anthropic: event: error with the Anthropic error object, last.
    assert.equal(m.status, 200);
    const messageEvents = parseSse(m.text);
    const messageError = messageEvents.at(-1);
    assert.equal(messageError.event, 'error', m.text.slice(-600));
    assert.equal(messageError.data.type, 'error');
    assert.ok(messageError.data.error.type && messageError.data.error.message.includes('shutdown'));

    // Responses: its error event, last.
    assert.equal(r.status, 200);
    const responseError = parseSse(r.text).at(-1);
    assert.equal(responseError.event, 'error', r.text.slice(-600));
    assert.equal(responseError.data.type, 'error');
    assert.ok(responseError.data.message.includes('shutdown'));

    // After a restart on the same home: three records, error "shutdown", budgets charged
    // with the tokens seen so far.
    await fx.srv.start();
    const cut = await fx.waitRecords({}, (rs) => rs.filter((x) => x.errorMessage === 'shutdown').length >= 3);
    const records = cut.filter((x) => x.errorMessage === 'shutdown');
    assert.equal(records.length, 3, JSON.stringify(records));
    for (const record of records) {
      assert.equal(record.outcome, 'error');
      // The tokens seen so far: the Responses stream opens with several events before its first
      // text delta, so at 400 ms an event it may have carried no text yet.
      const sawText = record.type !== 'responses' || r.text.includes('response.output_text.delta');
      assert.equal(record.outputTokens > 0, sawText, JSON.stringify(record));
      assert.ok(record.inputTokens > 0, JSON.stringify(record));
    }
    assert.equal(records.filter((x) => x.projectId === project.id).length, 2);
  });
});
