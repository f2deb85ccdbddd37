// Budget events end to end (issue 4, SPEC §6.6): a project budget crossing the alert threshold
// and then running out sends `budget.threshold` and `budget.exhausted` to a signed webhook,
// each once per window however many requests follow.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';

import { unique } from './lib/accounts.mjs';
import { expectStatus } from './lib/expect.mjs';
import { startProxyFixture } from './lib/proxy_fixture.mjs';
import { ask, chat, chatOk, expectBudgetExceeded, periodLimit, sleep } from './lib/routing.mjs';
import { startWebhookSink } from './lib/webhook_sink.mjs';

const SECRET = 'whsec-budget-events';
let fx;
let hook;

before(async () => {
  [fx, hook] = await Promise.all([startProxyFixture(), startWebhookSink()]);
});
after(async () => {
  await Promise.all([fx?.dispose(), hook?.stop()]);
});

const events = () => hook.requests.map((r) => ({ ...r, json: JSON.parse(r.body.toString('utf8')) }));

test('threshold and exhaustion are each notified once per window, signed', { timeout: 60_000 }, async () => {
  expectStatus(
    await fx.api('PUT', '/api/settings', {
      allowPrivateWebhooks: true,
      budgetAlertThreshold: 50,
      notifications: { channels: [{ id: 'ops', provider: 'webhook', url: hook.url('/budget'), secret: SECRET }] },
    }),
    200,
  );
  const id = unique('budget-model');
  await fx.model({ id, inputPrice: 1, outputPrice: 1 });
  const { project, token } = await fx.project([id], { budgets: [periodLimit('calls', 2)] });

  await chatOk(fx, token, 'first call');  // 1 of 2: crosses 50 %
  await chatOk(fx, token, 'second call');  // 2 of 2: used up
  for (let i = 0; i < 3; i += 1) {
    const blocked = await chat(fx, token, ask(`blocked ${i}`));
    expectBudgetExceeded(blocked, { level: 'project', metric: 'calls', window: 'daily', limit: 2 });
  }

  await hook.waitFor(2, 15_000);
  await sleep(1500);  // room for a duplicate to show up, if the gateway sent one
  const received = events();
  const byEvent = (name) => received.filter((r) => r.json.event === name);
  assert.equal(byEvent('budget.exhausted').length, 1, JSON.stringify(received.map((r) => r.json)));
  assert.equal(byEvent('budget.threshold').length, 1, JSON.stringify(received.map((r) => r.json)));

  for (const r of received) {
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/budget');
    const expected = `sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`;
    assert.equal(r.headers['x-routerly-signature'], expected, 'HMAC over the exact body');
    assert.ok(!Number.isNaN(Date.parse(r.json.timestamp)));
  }
  const exhausted = byEvent('budget.exhausted')[0].json.budget;
  assert.equal(exhausted.level, 'project');
  assert.equal(exhausted.metric, 'calls');
  assert.equal(exhausted.limit, 2);
  assert.ok(exhausted.current >= 2, JSON.stringify(exhausted));
  assert.ok(String(exhausted.window).includes('daily'), JSON.stringify(exhausted));
  assert.ok([project.slug, project.id].some((p) => String(exhausted.name).includes(p)), JSON.stringify(exhausted));
});
