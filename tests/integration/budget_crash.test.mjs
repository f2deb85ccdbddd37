// Budgets across a crash: capacity is charged to the durable counters (in leases) before a call
// reaches its provider, so `kill -9` in the middle of a burst and a restart never let more
// calls through than the limit allows — the counters are not rebuilt from usage rows, which a
// crash may lose.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { expectStatus } from './lib/expect.mjs';
import { startProxyFixture } from './lib/proxy_fixture.mjs';
import { ask, chat, periodLimit, sleep } from './lib/routing.mjs';

const T = { timeout: 120_000 };
const TRIALS = 3;
const BURST = 40;

// An OpenAI-compatible provider that counts requests as they arrive (a call cut by the crash
// still reached it) and answers each after 2 s with 6 output tokens.
function startCountingProvider() {
  const arrived = new Map();  // model → requests
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const model = JSON.parse(body).model;
      arrived.set(model, (arrived.get(model) ?? 0) + 1);
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({
          id: 'chatcmpl-1', object: 'chat.completion', created: 1, model,
          choices: [{ index: 0, message: { role: 'assistant', content: 'one two three' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 3, completion_tokens: 6, total_tokens: 9 },
        }));
      }, 2000);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, arrived, port: server.address().port })));
}

let fx;
let provider;
before(async () => {
  fx = await startProxyFixture();
  provider = await startCountingProvider();
});
after(async () => {
  await fx?.dispose();
  provider?.server.closeAllConnections();
  await new Promise((r) => (provider ? provider.server.close(r) : r()));
});

// 40 concurrent slow calls, kill -9 while the admitted ones wait on the provider, restart, 40
// more calls.
// Returns how many requests reached the provider in all.
async function burstCrashRestart(token, upstream, body) {
  const first = [];
  for (let i = 0; i < BURST; i++) first.push(chat(fx, token, body()).catch(() => null));
  await sleep(800);  // the admitted calls are at the provider, which answers after 2 s
  fx.srv.proc.kill('SIGKILL');
  await fx.srv.waitExit(10_000);
  const firstAnswers = await Promise.all(first);
  const before = provider.arrived.get(upstream) ?? 0;
  console.log(`before the crash: ${before} reached, answers ${firstAnswers.map((r) => r?.status ?? 'cut').join(',')}`);
  await fx.srv.start();
  const second = [];
  for (let i = 0; i < BURST; i++) second.push(chat(fx, token, body()));
  const answers = await Promise.all(second);
  for (const res of answers) assert.ok([200, 503].includes(res.status), `HTTP ${res.status} ${res.text.slice(0, 300)}`);
  return provider.arrived.get(upstream) ?? 0;
}

describe('kill -9 in the middle of a burst', () => {
  test('a calls limit of 10 lets at most 10 calls reach the provider, in every trial', T, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const upstream = `counted-calls-${trial}`;
      const m = await fx.model({ upstream, endpoint: `http://127.0.0.1:${provider.port}/v1` });
      const { token } = await fx.project([m.id], { budgets: [periodLimit('calls', 10, 'daily')] });
      const reached = await burstCrashRestart(token, upstream, () => ask('count me'));
      console.log(`calls trial ${trial}: ${reached} calls reached the provider`);
      assert.ok(reached <= 10, `trial ${trial}: ${reached} calls reached the provider past a limit of 10`);
      assert.ok(reached >= 1, `trial ${trial}: no call went through at all`);
    }
  });

  // Every call may answer at most 6 output tokens at 50,000 USD per million: it reserves 0.3 USD
  // and costs at most that. Admission stops once what is used and in flight reaches the limit,
  // so what reached the provider costs at most the limit plus one call's reservation.
  test('a cost limit holds within one in-flight reservation, in every trial', T, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const upstream = `counted-cost-${trial}`;
      const m = await fx.model({ upstream, endpoint: `http://127.0.0.1:${provider.port}/v1`, inputPrice: 0, outputPrice: 50_000 });
      const { token } = await fx.project([m.id], { budgets: [periodLimit('cost', 5, 'daily')] });
      const reached = await burstCrashRestart(token, upstream, () => ask('count me', { max_tokens: 6 }));
      const perCall = (6 * 50_000) / 1e6;  // the provider's 6 output tokens: the whole reservation
      console.log(`cost trial ${trial}: ${reached} calls × ${perCall} USD reached the provider`);
      assert.ok(reached * perCall <= 5 + 0.3 + 1e-9,
                `trial ${trial}: ${reached} calls × ${perCall} USD reached the provider past a 5 USD limit`);
      assert.ok(reached >= 1, `trial ${trial}: no call went through at all`);
    }
  });
});
