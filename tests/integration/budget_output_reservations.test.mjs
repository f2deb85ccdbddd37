// Output reservations: budgets on output_tokens, total_tokens and cost hold, while a request is
// in flight, the output it allows at most — chat `max_tokens` / `max_completion_tokens`,
// messages `max_tokens`, responses `max_output_tokens`. A limit admits while used + in-flight
// reservations < limit, so requests with max_tokens 7 against an output_tokens limit of 20 are
// admitted at 0, 7 and 14 reserved: three at most, however many arrive together; the rest answer
// 503 budget_exceeded and reach no provider.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { unique } from './lib/accounts.mjs';
import { expectStatus } from './lib/expect.mjs';
import { rawProxy, startProxyFixture } from './lib/proxy_fixture.mjs';
import { ask, chat, periodLimit } from './lib/routing.mjs';

const T = { timeout: 90_000 };
// A user text long enough that the mock's reply has more than 7 words (it is then cut to 7).
const LONG = 'please say a good many words about the weather of tomorrow in several towns';

let fx;

before(async () => {
  fx = await startProxyFixture();
});
after(async () => {
  await fx?.dispose();
});

// A project of one slow model (the upstream answers after 400 ms, so a burst is in flight
// together) with `budgets`.
async function slowProject(budgets) {
  const id = unique('outres');
  const upstream = `outres-${id.split('-').pop()}-delay400`;
  await fx.model({ id, upstream, inputPrice: 1, outputPrice: 1 });
  const p = await fx.project([id], { budgets });
  return { ...p, upstream };
}

function tally(results) {
  const ok = results.filter((r) => r.status === 200);
  const blocked = results.filter((r) => r.status === 503 && r.json?.error === 'budget_exceeded');
  const other = results.filter((r) => !ok.includes(r) && !blocked.includes(r));
  assert.deepEqual(other.map((r) => `${r.status} ${r.text.slice(0, 200)}`), [], 'every answer is a success or budget_exceeded');
  return { ok: ok.length, blocked: blocked.length };
}

async function upstreamCalls(upstream) {
  return (await fx.mock.requests()).filter((r) => r.body?.model === upstream).length;
}

describe('output reservations', () => {
  test('64 concurrent chats with max_tokens 7 against output_tokens 20: three admitted, 61 blocked', T, async () => {
    const p = await slowProject([periodLimit('output_tokens', 20, 'daily')]);
    await fx.mock.clear();
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) => chat(fx, p.token, ask(`${LONG} ${i}`, { max_tokens: 7 }), { timeout: 60_000 })),
    );
    assert.deepEqual(tally(results), { ok: 3, blocked: 61 });
    assert.equal(await upstreamCalls(p.upstream), 3, 'only the admitted requests reach the provider');
    for (const r of results.filter((x) => x.status === 200)) assert.equal(r.json.usage.completion_tokens, 7);
    // The three used 21 output tokens: nothing more is admitted.
    const after = await chat(fx, p.token, ask(LONG, { max_tokens: 1 }));
    assert.equal(after.status, 503, after.text);
  });

  test('max_completion_tokens counts against total_tokens the same way', T, async () => {
    // Each request: ceil(chars / 4) input tokens estimated, plus 7 output.
    const text = 'x'.repeat(40);  // 10 input tokens
    const p = await slowProject([periodLimit('total_tokens', 30, 'daily')]);
    const results = await Promise.all(
      Array.from({ length: 16 }, () => chat(fx, p.token, ask(text, { max_completion_tokens: 7 }), { timeout: 60_000 })),
    );
    // 0, 17 reserved < 30 admit; 34 blocks.
    assert.deepEqual(tally(results), { ok: 2, blocked: 14 });
  });

  test('messages max_tokens and responses max_output_tokens are reserved too', T, async () => {
    const m = await slowProject([periodLimit('output_tokens', 20, 'daily')]);
    const messages = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        rawProxy(fx.base, '/v1/messages', {
          token: m.token,
          headers: { 'anthropic-version': '2023-06-01' },
          body: { model: 'auto', max_tokens: 7, messages: [{ role: 'user', content: `${LONG} ${i}` }] },
          timeout: 60_000,
        }),
      ),
    );
    assert.deepEqual(tally(messages), { ok: 3, blocked: 13 });

    const r = await slowProject([periodLimit('output_tokens', 20, 'daily')]);
    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        rawProxy(fx.base, '/v1/responses', {
          token: r.token,
          body: { model: 'auto', stream: true, max_output_tokens: 7, input: `${LONG} ${i}` },
          timeout: 60_000,
        }),
      ),
    );
    assert.deepEqual(tally(responses), { ok: 3, blocked: 13 });
  });

  test('without a cap no output is reserved: a burst is limited by what has been used', T, async () => {
    const p = await slowProject([periodLimit('output_tokens', 20, 'daily')]);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => chat(fx, p.token, ask(`${LONG} ${i}`), { timeout: 60_000 })),
    );
    assert.deepEqual(tally(results), { ok: 8, blocked: 0 });
    const blocked = await chat(fx, p.token, ask(LONG));
    expectStatus(blocked, 503);
  });
});
