// Budgets across a crash: capacity is charged to the durable counters (in leases) before a call
// reaches its provider, so `kill -9` in the middle of a burst and a restart never let more
// calls through than the limit allows — the counters are not rebuilt from usage rows, which a
// crash may lose.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expectStatus } from './lib/expect.mjs';
import { startProxyFixture } from './lib/proxy_fixture.mjs';
import { ask, chat, periodLimit, sleep, upstreamChats } from './lib/routing.mjs';

const T = { timeout: 120_000 };
const TRIALS = 3;
const BURST = 40;

let fx;
before(async () => {
  fx = await startProxyFixture();
});
after(async () => {
  await fx?.dispose();
});

// 40 concurrent slow calls, kill -9 once some reached the provider, restart, 40 more calls.
// Returns how many requests reached the provider in all.
async function burstCrashRestart(token, upstream, body) {
  await fx.mock.clear();
  const first = [];
  for (let i = 0; i < BURST; i++) first.push(chat(fx, token, body()).catch(() => null));
  for (let i = 0; i < 100 && (await upstreamChats(fx)).length === 0; i++) await sleep(10);
  fx.srv.proc.kill('SIGKILL');
  await fx.srv.waitExit(10_000);
  await Promise.all(first);
  await fx.srv.start();
  const second = [];
  for (let i = 0; i < BURST; i++) second.push(chat(fx, token, body()));
  const answers = await Promise.all(second);
  for (const res of answers) assert.ok([200, 503].includes(res.status), `HTTP ${res.status} ${res.text.slice(0, 300)}`);
  return (await upstreamChats(fx)).filter((m) => m === upstream).length;
}

describe('kill -9 in the middle of a burst', () => {
  test('a calls limit of 10 lets at most 10 calls reach the provider, in every trial', T, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const upstream = `gpt-4o-delay400-t${trial}`;
      const m = await fx.model({ upstream });
      const { token } = await fx.project([m.id], { budgets: [periodLimit('calls', 10, 'daily')] });
      const reached = await burstCrashRestart(token, upstream, () => ask('count me'));
      assert.ok(reached <= 10, `trial ${trial}: ${reached} calls reached the provider past a limit of 10`);
      assert.ok(reached >= 1, `trial ${trial}: no call went through at all`);
    }
  });

  // Every call asks for at most 20 output tokens at 50,000 USD per million (1 USD reserved
  // each) and costs less; admission stops once what is used and in flight reaches the limit,
  // so what reached the provider costs at most the limit plus one call's reservation.
  test('a cost limit holds within one in-flight reservation, in every trial', T, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const upstream = `gpt-4o-delay400-c${trial}`;
      const m = await fx.model({ upstream, inputPrice: 0, outputPrice: 50_000 });
      const { project, token } = await fx.project([m.id], { budgets: [periodLimit('cost', 5, 'daily')] });
      const reached = await burstCrashRestart(token, upstream, () => ask('count me', { max_tokens: 20 }));
      const rows = await fx.waitRecords({ project: project.id }, (rs) => rs.some((r) => r.outcome === 'success'));
      const perCall = Math.max(...rows.filter((r) => r.outcome === 'success').map((r) => r.cost));
      assert.ok(perCall > 0 && perCall <= 1, `each call costs at most its reservation: ${perCall}`);
      assert.ok(reached * perCall <= 5 + 1 + 1e-9,
                `trial ${trial}: ${reached} calls × ${perCall} USD reached the provider past a 5 USD limit`);
      assert.ok(reached >= 1, `trial ${trial}: no call went through at all`);
    }
  });
});
