// Routing policies through the real binary and the mock upstream (issue 4, SPEC §5, §8.3,
// §00 P2, P3): cheapest picks the cheaper model; health trips after an injected failure and
// recovers once the failure leaves its window; capability sends an image past a text-only
// model; context excludes a model whose window is too small; the llm policy with the mock as
// routing model, and its timeout degrading to the other policies; semantic-intent with the
// mock's deterministic embeddings; policy lists through the management API (order, enabled,
// config validation); and the routing trace (stored record, first stream chunk,
// `x-routerly-trace: events`). Which model served is read from what the mock received and from
// the usage record's modelId.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { unique } from './lib/accounts.mjs';
import { expectError, expectStatus } from './lib/expect.mjs';
import { mockReply, tokensOf } from './lib/mock.mjs';
import { UUID_RE, parseSse, rawProxy, startProxyFixture } from './lib/proxy_fixture.mjs';
import {
  ask,
  chat,
  chatOk,
  entries,
  entry,
  excludesOf,
  fullRecord,
  pointOf,
  recordsOfTrace,
  sleep,
  successRecord,
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

// A model served by the mock under its own upstream name, so the mock's log tells models apart.
async function model(name, { upstream, price = 1, ...extra } = {}) {
  const id = unique(name);
  const up = upstream ?? `${name}-${id.split('-').pop()}`;
  await fx.model({ id, upstream: up, inputPrice: price, outputPrice: price, ...extra });
  return { id, upstream: up };
}

const policy = (type, config) => (config ? { type, enabled: true, config } : { type, enabled: true });

// A call that must succeed and be served by `served` (the reply names its upstream model, the
// mock saw only the listed upstream calls for this text, the record names the model).
async function expectServedBy(p, content, served, { upstreams = [served.upstream], extra = {} } = {}) {
  const text = typeof content === 'string' ? content : content.find((c) => c.type === 'text').text;
  await fx.mock.clear();
  const res = await chatOk(fx, p.token, content, extra);
  assert.equal(res.json.choices[0].message.content, mockReply(served.upstream, text));
  assert.deepEqual(await upstreamChats(fx, text), upstreams, 'upstream calls for this request');
  const record = await successRecord(fx, p.project, res.traceId);
  assert.equal(record.modelId, served.id);
  return { res, record };
}

describe('cheapest', () => {
  test('picks the cheaper model whatever its position in the project', T, async () => {
    const pricey = await model('pricey', { price: 20 });
    const cheap = await model('cheap', { price: 1 });
    const a = await fx.project([pricey.id, cheap.id], { policies: [policy('cheapest')] });
    const b = await fx.project([cheap.id, pricey.id], { policies: [policy('cheapest')] });
    const { record } = await expectServedBy(a, unique('cheapest first'), cheap);
    const result = entry(record.trace, 'policy:result:cheapest');
    assert.equal(pointOf(result, cheap.id), 1);
    assert.ok(Math.abs(pointOf(result, pricey.id) - 0.05) < 1e-3, JSON.stringify(result)); // 1 × 1/20
    await expectServedBy(b, unique('cheapest second'), cheap);
  });
});

describe('health', () => {
  test('trips after an injected failure (excluded, traffic goes to the other model) and recovers after its window', { timeout: 150_000 }, async () => {
    const flaky = await model('flaky', { upstream: `flaky-${unique('u').split('-').pop()}-fail503`, price: 0.1 });
    const steady = await model('steady', { price: 5 });
    let windowMinutes = 0.2; // 12 s
    let res = await fx.api('POST', '/api/projects', {
      name: unique('Health'),
      models: [flaky.id, steady.id],
      policies: [policy('health', { windowMinutes, halfLifeMinutes: 0.1 }), policy('cheapest')],
    });
    if (res.status === 400 && /windowMinutes|halfLifeMinutes/.test(res.text)) {
      // Fractional minutes refused: use the smallest whole window and wait it out.
      windowMinutes = 1;
      res = await fx.api('POST', '/api/projects', {
        name: unique('Health'),
        models: [flaky.id, steady.id],
        policies: [policy('health', { windowMinutes, halfLifeMinutes: 1 }), policy('cheapest')],
      });
    }
    const project = expectStatus(res, 201);
    const p = { project, token: project.token };

    // 1. No history: health abstains, cheapest picks the flaky model, which fails → fallback.
    const first = unique('health first');
    await expectServedBy(p, first, steady, { upstreams: [flaky.upstream, steady.upstream] });
    // SPEC §9.1: the failed attempt has its own error row; health learns from these rows.
    const rows = await fx
      .waitRecords({ project: project.id }, (rs) => rs.some((r) => r.modelId === flaky.id && r.outcome === 'error'))
      .catch((err) => assert.fail(`no usage row (outcome error) for the failed attempt of ${flaky.id}: ${err.message}`));
    const failedAt = Date.parse(rows.find((r) => r.modelId === flaky.id && r.outcome === 'error').timestamp);
    await sleep(300); // the in-memory stats are fed by the same usage stream

    // 2. Tripped: point 0, excluded, the flaky model gets no request.
    for (let i = 0; i < 2; i++) {
      const { record } = await expectServedBy(p, unique('health tripped'), steady);
      const result = entry(record.trace, 'policy:result:health');
      assert.equal(pointOf(result, flaky.id), 0);
      assert.equal(pointOf(result, steady.id), 1);
      assert.deepEqual(excludesOf(result), [flaky.id]);
    }

    // 3. Fixed upstream, but the failure is still inside the window: still excluded.
    const fixed = flaky.upstream.replace(/-fail503$/, '');
    expectStatus(await fx.api('PUT', `/api/models/${encodeURIComponent(flaky.id)}`, { upstreamModelId: fixed }), 200);
    const windowMs = windowMinutes * 60_000;
    if (Date.now() < failedAt + windowMs - 2_000) await expectServedBy(p, unique('health still tripped'), steady);

    // 4. Once the failure has left the window the model is healthy again and, cheapest, wins.
    await sleep(Math.max(0, failedAt + windowMs + 1_500 - Date.now()));
    const { record } = await expectServedBy(p, unique('health recovered'), { id: flaky.id, upstream: fixed });
    const result = entry(record.trace, 'policy:result:health');
    assert.equal(pointOf(result, flaky.id), 1);
    assert.deepEqual(excludesOf(result), []);
  });
});

describe('capability', () => {
  const IMAGE = { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' } };

  test('an image request goes past a text-only model; a text request does not', T, async () => {
    const textOnly = await model('textonly', { price: 0.1, capabilities: { vision: false } });
    const vision = await model('vision', { price: 5, capabilities: { vision: true } });
    const p = await fx.project([textOnly.id, vision.id], { policies: [policy('capability'), policy('cheapest')] });
    await expectServedBy(p, unique('plain text'), textOnly);
    const text = unique('describe this image');
    const { record } = await expectServedBy(p, [{ type: 'text', text }, IMAGE], vision);
    const result = entry(record.trace, 'policy:result:capability');
    assert.equal(pointOf(result, textOnly.id), 0);
    assert.equal(pointOf(result, vision.id), 1);
    assert.deepEqual(excludesOf(result), [textOnly.id]);
  });

  test('no capable candidate → 503 no_model_available naming each model and why', T, async () => {
    const a = await model('textonly-a', { capabilities: { vision: false } });
    const b = await model('textonly-b', { capabilities: { vision: false } });
    const p = await fx.project([a.id, b.id], { policies: [policy('capability'), policy('cheapest')] });
    await fx.mock.clear();
    const res = await chat(fx, p.token, ask([{ type: 'text', text: unique('image for nobody') }, IMAGE]));
    expectError(res, 503, 'no_model_available', [a.id, b.id, 'capability']);
    assert.match(res.traceId ?? '', UUID_RE);
    assert.deepEqual(await upstreamChats(fx), []);
  });
});

describe('context', () => {
  test('a model whose context window is too small for the prompt is excluded', T, async () => {
    const small = await model('small-ctx', { price: 0.1, contextWindow: 64 });
    const large = await model('large-ctx', { price: 5, contextWindow: 128000 });
    const p = await fx.project([small.id, large.id], { policies: [policy('context'), policy('cheapest')] });
    await expectServedBy(p, unique('short'), small);
    const long = `${unique('long prompt')} ${'lorem ipsum dolor sit amet '.repeat(24)}`; // > 64 × 4 chars
    assert.ok(tokensOf(long) >= 64);
    const { record } = await expectServedBy(p, long, large);
    const result = entry(record.trace, 'policy:result:context');
    assert.equal(pointOf(result, small.id), 0);
    assert.deepEqual(excludesOf(result), [small.id]);
  });
});

describe('llm', () => {
  // Weights: llm 2, cheapest 1. The mock as routing model scores the last listed candidate
  // 0.9 and the one before 0.8; cheapest gives first 1.0 and second 1/1.1. With the llm
  // scores the second wins (0.903 vs 0.867); without them the first (cheaper) one does.
  async function pair(tag) {
    const first = await model(`${tag}-first`, { price: 1 });
    const second = await model(`${tag}-second`, { price: 1.1 });
    return { first, second };
  }

  test('the mock as routing model decides; its call is traced and recorded', T, async () => {
    const router = await model('router', { upstream: `router-${unique('u').split('-').pop()}-route` });
    const { first, second } = await pair('llm');
    const p = await fx.project([first.id, second.id], {
      policies: [policy('llm', { routingModelId: router.id }), policy('cheapest')],
    });
    const text = unique('route this request');
    await fx.mock.clear();
    const res = await chatOk(fx, p.token, text);
    assert.equal(res.json.choices[0].message.content, mockReply(second.upstream, text));
    const reqs = await fx.mock.requests('/v1/chat/completions');
    assert.deepEqual(reqs.map((r) => r.body.model), [router.upstream, second.upstream]);
    // The routing prompt lists every candidate and wraps the request.
    const routingBody = JSON.stringify(reqs[0].body.messages);
    assert.ok(routingBody.includes(`- id: \\"${first.id}\\"`) && routingBody.includes(`- id: \\"${second.id}\\"`), routingBody);
    assert.ok(routingBody.includes('<request_to_route>') && routingBody.includes(text), routingBody);
    assert.notEqual(reqs[0].body.stream, true, 'the routing call is not streamed');

    const record = await successRecord(fx, p.project, res.traceId);
    assert.equal(record.modelId, second.id);
    const scores = entry(record.trace, 'llm-policy:scores');
    assert.equal(scores.details.routingModel, router.id);
    assert.equal(pointOf(entry(record.trace, 'policy:result:llm'), second.id), 0.9);
    assert.equal(pointOf(entry(record.trace, 'policy:result:llm'), first.id), 0.8);
    // SPEC §9.1: the routing call has its own record (callType routing) under the same trace.
    const rows = await recordsOfTrace(fx, p.project, res.traceId, (rs) => rs.some((r) => r.callType === 'routing'));
    const routingRow = rows.find((r) => r.callType === 'routing');
    assert.equal(routingRow.modelId, router.id);
    assert.equal(routingRow.outcome, 'success');
  });

  test('a routing model that times out degrades to the other policies; the request still succeeds', T, async () => {
    const router = await model('slow-router', { upstream: `slowrouter-${unique('u').split('-').pop()}-delay6000-route` });
    const { first, second } = await pair('llmslow');
    const p = await fx.project([first.id, second.id], {
      policies: [policy('llm', { routingModelId: router.id, timeoutMs: 800 }), policy('cheapest')],
    });
    const text = unique('route despite a slow router');
    await fx.mock.clear();
    const res = await chatOk(fx, p.token, text);
    assert.equal(res.json.choices[0].message.content, mockReply(first.upstream, text));
    // The routing model was asked (and did not answer in time), then the first model served.
    assert.deepEqual(await upstreamChats(fx, text), [router.upstream, first.upstream]);
    const record = await successRecord(fx, p.project, res.traceId);
    assert.equal(record.modelId, first.id);
    assert.deepEqual(entries(record.trace, 'llm-policy:scores'), []);
    const failures = entries(record.trace, /^(policy:error:llm|llm-policy:error)$/);
    assert.ok(failures.length > 0, `the trace shows the llm policy failing: ${JSON.stringify(record.trace.map((e) => e.message))}`);
    assert.ok(failures.some((e) => /time/i.test(e.details?.error ?? '')), `a timeout: ${JSON.stringify(failures)}`);
    entry(record.trace, 'policy:result:cheapest');
  });
});

describe('semantic-intent', () => {
  const CODE = 'Write a Python function that reverses a linked list in place';
  const CHAT = 'Tell me a funny joke about cats and dogs';
  const EMBED_MODEL = 'text-embedding-3-small';
  let chatModel;
  let codeModel;

  const config = (embeddingModel = EMBED_MODEL) => ({
    embedding_provider: 'openai',
    embedding_model: embeddingModel,
    embedding_endpoint: `${fx.mock.base}/v1`,
    embedding_api_key: 'sk-embedding-test-key',
    intents: {
      coding: { examples: [CODE], candidate_models: [codeModel.id] },
      smalltalk: { examples: [CHAT], candidate_models: [chatModel.id] },
    },
  });

  before(async () => {
    chatModel = await model('si-chat', { price: 0.5 });
    codeModel = await model('si-code', { price: 5 });
  });

  test('a request matching an intent goes to its candidate models, even past a cheaper one', T, async () => {
    const p = await fx.project([chatModel.id, codeModel.id], { policies: [policy('semantic-intent', config()), policy('cheapest')] });
    await fx.mock.clear();
    const { res, record } = await expectServedBy(p, CODE, codeModel);
    const embeds = await fx.mock.requests('/v1/embeddings');
    assert.ok(embeds.length >= 1, 'the mock served embeddings');
    assert.ok(embeds.every((r) => r.body.model === EMBED_MODEL));
    assert.ok(embeds.some((r) => JSON.stringify(r.body.input).includes(CODE)), 'the request text was embedded');
    const cls = entry(record.trace, 'policy:semantic-intent:classification');
    assert.equal(cls.details.topIntent, 'coding');
    assert.equal(cls.details.status, 'confident');
    assert.ok(cls.details.topScore > 0.99, JSON.stringify(cls.details));
    const result = entry(record.trace, 'policy:result:semantic-intent');
    assert.deepEqual(excludesOf(result), [chatModel.id]);
    // SPEC §5.4 step 8: the request embedding is recorded as a routing call.
    const rows = await recordsOfTrace(fx, p.project, res.traceId, (rs) => rs.some((r) => r.callType === 'routing'));
    const embedRow = rows.find((r) => r.callType === 'routing');
    assert.equal(embedRow.modelId, EMBED_MODEL);
    assert.equal(embedRow.outcome, 'success');
    assert.equal(embedRow.outputTokens, 0);
    assert.ok(embedRow.inputTokens >= tokensOf(CODE), JSON.stringify(embedRow));

    await expectServedBy(p, CHAT, chatModel);
  });

  test('a request matching no intent passes every candidate (cheapest decides)', T, async () => {
    const p = await fx.project([codeModel.id, chatModel.id], { policies: [policy('semantic-intent', config()), policy('cheapest')] });
    const { record } = await expectServedBy(p, unique('What is the capital of France'), chatModel);
    assert.equal(entry(record.trace, 'policy:semantic-intent:classification').details.status, 'unknown');
  });

  test('an embedding failure passes every candidate and the request succeeds', T, async () => {
    const p = await fx.project([codeModel.id, chatModel.id], {
      policies: [policy('semantic-intent', config(`${EMBED_MODEL}-fail500`)), policy('cheapest')],
    });
    const { record } = await expectServedBy(p, CODE, chatModel);
    entry(record.trace, 'policy:semantic-intent:error');
  });
});

describe('routing configuration through the management API', () => {
  test('policies are stored in order with their configs; a bad config is a 400 naming the field', T, async () => {
    const a = await model('cfg-a');
    const b = await model('cfg-b');
    const policies = [
      policy('health', { windowMinutes: 10, circuitBreaker: 0.8 }),
      { type: 'cheapest', enabled: false },
      policy('context'),
    ];
    const p = await fx.project([a.id, b.id], { policies });
    assert.deepEqual(p.project.policies, policies);
    const got = expectStatus(await fx.api('GET', `/api/projects/${p.project.id}`), 200);
    assert.deepEqual(got.policies, policies);

    const bad = await fx.api('PUT', `/api/projects/${p.project.id}`, { policies: [policy('health', { windowMinutes: -1 })] });
    expectError(bad, 400, 'validation_error', 'windowMinutes');
    const unknownType = await fx.api('PUT', `/api/projects/${p.project.id}`, { policies: [policy('fastest')] });
    expectError(unknownType, 400, 'validation_error', 'type');
    assert.deepEqual(expectStatus(await fx.api('GET', `/api/projects/${p.project.id}`), 200).policies, policies, 'a refused update changes nothing');

    // Re-ordering is a PUT of the list; the routing follows at once (cheapest now enabled, first).
    const reordered = [policy('cheapest'), policy('health', { windowMinutes: 10 })];
    assert.deepEqual(expectStatus(await fx.api('PUT', `/api/projects/${p.project.id}`, { policies: reordered }), 200).policies, reordered);
    const res = await chatOk(fx, p.token, unique('reordered'));
    const record = await successRecord(fx, p.project, res.traceId);
    assert.equal(entry(record.trace, 'policy:result:cheapest').details.weight, 2);
    assert.equal(entry(record.trace, 'policy:result:health').details.weight, 1);
    assert.deepEqual(entries(record.trace, 'policy:result:context'), []);
  });
});

describe('routing trace', () => {
  let p;
  let cheap;
  let pricey;
  before(async () => {
    pricey = await model('trace-pricey', { price: 4 });
    cheap = await model('trace-cheap', { price: 2 });
    p = await fx.project([pricey.id, cheap.id], { policies: [policy('cheapest'), policy('health')] });
  });

  test('the stored record has every policy result with its positional weight', T, async () => {
    const text = unique('trace non-stream');
    const { res, record } = await expectServedBy(p, text, cheap);
    const cheapest = entry(record.trace, 'policy:result:cheapest');
    const health = entry(record.trace, 'policy:result:health');
    assert.equal(cheapest.details.type, 'cheapest');
    assert.equal(cheapest.details.weight, 2);
    assert.equal(health.details.weight, 1);
    assert.equal(pointOf(cheapest, cheap.id), 1);
    assert.equal(pointOf(cheapest, pricey.id), 0.5);
    const routed = entry(record.trace, 'router:result');
    assert.equal(routed.details.final[0].model, cheap.id);
    // The same trace by trace id.
    const byTrace = await fx.api('GET', `/api/traces/${res.traceId}`);
    assert.equal(byTrace.status, 200, byTrace.text);
    assert.ok(byTrace.json.trace.some((e) => e.message === 'policy:result:cheapest'));
    assert.deepEqual((await fullRecord(fx, record.id)).trace, record.trace);
  });

  test('the first stream chunk carries the policies; the SDK-visible chunk stays standard', T, async () => {
    const text = unique('trace stream');
    const res = await rawProxy(fx.base, '/v1/chat/completions', { token: p.token, body: ask(text, { stream: true }) });
    assert.equal(res.status, 200, res.text);
    const events = parseSse(res.text).filter((e) => e.data !== '[DONE]');
    const firstChunk = events[0].data;
    assert.equal(firstChunk.object, 'chat.completion.chunk');
    assert.equal(firstChunk.type, 'trace');
    assert.equal(firstChunk.traceId, res.headers.get('x-routerly-trace-id'));
    assert.deepEqual(firstChunk.choices[0].delta, { role: 'assistant', content: '' });
    assert.ok(Array.isArray(firstChunk.policies), JSON.stringify(firstChunk));
    assert.deepEqual(firstChunk.policies.map((x) => x.type), ['cheapest', 'health']);
    assert.equal(firstChunk.policies[0].weight, 2);
    const textOut = events.map((e) => e.data.choices?.[0]?.delta?.content ?? '').join('');
    assert.equal(textOut, mockReply(cheap.upstream, text));
  });

  test('x-routerly-trace: events streams the trace entries themselves', T, async () => {
    const text = unique('trace events');
    const res = await rawProxy(fx.base, '/v1/chat/completions', {
      token: p.token,
      body: ask(text, { stream: true }),
      headers: { 'x-routerly-trace': 'events' },
    });
    assert.equal(res.status, 200, res.text);
    const traced = parseSse(res.text)
      .map((e) => e.data)
      .filter((d) => d && typeof d === 'object' && d.type === 'trace' && d.entry);
    const messages = traced.map((d) => d.entry.message);
    assert.ok(messages.includes('policy:result:cheapest'), JSON.stringify(messages));
    assert.ok(messages.includes('router:result'), JSON.stringify(messages));
  });
});
