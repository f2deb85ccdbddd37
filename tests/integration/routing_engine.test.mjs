// The routing step as a whole (issue 4, SPEC §5.1): llm and semantic-intent in one project run
// side by side before the engine and both contribute; a project without policies keeps its
// configured order; a project whose only policy excludes every model answers 503
// no_model_available naming the policy.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { unique } from './lib/accounts.mjs';
import { mockReply } from './lib/mock.mjs';
import { startProxyFixture } from './lib/proxy_fixture.mjs';
import { ask, chat, chatOk, entry, pointOf, successRecord, upstreamChats } from './lib/routing.mjs';

const T = { timeout: 60_000 };
let fx;

before(async () => {
  fx = await startProxyFixture();
});
after(async () => {
  await fx?.dispose();
});

async function model(name, { upstream, price = 1, ...extra } = {}) {
  const id = unique(name);
  const up = upstream ?? `${name}-${id.split('-').pop()}`;
  await fx.model({ id, upstream: up, inputPrice: price, outputPrice: price, ...extra });
  return { id, upstream: up };
}

const policy = (type, config) => (config ? { type, enabled: true, config } : { type, enabled: true });

describe('routing step', () => {
  test('llm and semantic-intent together: both run, both are in the trace with their weights', T, async () => {
    const router = await model('both-router', { upstream: `bothrouter-${unique('u').split('-').pop()}-route` });
    const first = await model('both-a', { price: 1 });
    const second = await model('both-b', { price: 2 });
    const p = await fx.project([first.id, second.id], {
      policies: [
        policy('llm', { routingModelId: router.id }),
        policy('semantic-intent', {
          embedding_provider: 'openai',
          embedding_model: 'text-embedding-3-small',
          embedding_endpoint: `${fx.mock.base}/v1`,
          embedding_api_key: 'sk-embedding-test-key',
          intents: { coding: { examples: ['Write a Python function'], candidate_models: [first.id] } },
        }),
        policy('cheapest'),
      ],
    });
    const text = unique('tell me about the weather');
    await fx.mock.clear();
    const res = await chatOk(fx, p.token, text);
    const record = await successRecord(fx, p.project, res.traceId);
    const llm = entry(record.trace, 'policy:result:llm');
    const si = entry(record.trace, 'policy:result:semantic-intent');
    const cheapest = entry(record.trace, 'policy:result:cheapest');
    assert.equal(llm.details.weight, 3);
    assert.equal(si.details.weight, 2);
    assert.equal(cheapest.details.weight, 1);
    // The mock router prefers the later candidate (0.9 vs 0.8); cheapest the first (1 vs 0.5);
    // semantic-intent gives everyone 1 (unknown intent) and abstains:
    // first = (0.8·3 + 1·1)/4 = 0.85, second = (0.9·3 + 0.5·1)/4 = 0.8.
    assert.deepEqual(entry(record.trace, 'router:abstained').details.policies, ['semantic-intent']);
    const final = entry(record.trace, 'router:result').details.final;
    assert.deepEqual(final.map((f) => [f.model, f.weight]), [[first.id, 0.85], [second.id, 0.8]]);
    assert.equal(record.modelId, first.id);
    assert.equal(pointOf(llm, second.id), 0.9);
  });

  test('without policies the configured order decides, whatever the prices', T, async () => {
    const pricey = await model('order-pricey', { price: 9 });
    const cheap = await model('order-cheap', { price: 1 });
    const p = await fx.project([pricey.id, cheap.id]);
    for (let i = 0; i < 3; i++) {
      const text = unique('configured order');
      await fx.mock.clear();
      const res = await chatOk(fx, p.token, text);
      assert.equal(res.json.choices[0].message.content, mockReply(pricey.upstream, text));
      assert.deepEqual(await upstreamChats(fx, text), [pricey.upstream]);
    }
  });

  test('every model excluded by a policy → 503 no_model_available naming the policy', T, async () => {
    const tiny = await model('tiny-a', { contextWindow: 5 });
    const small = await model('tiny-b', { contextWindow: 6 });
    const p = await fx.project([tiny.id, small.id], { policies: [policy('context')] });
    const res = await chat(fx, p.token, ask('x'.repeat(400)));
    assert.equal(res.status, 503, res.text);
    assert.equal(res.json.error, 'no_model_available');
    assert.match(res.json.message, new RegExp(`${tiny.id} \\(excluded by policy context\\)`));
    assert.match(res.json.message, new RegExp(`${small.id} \\(excluded by policy context\\)`));
  });
});
