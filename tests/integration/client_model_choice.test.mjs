// The client's `model` chooses: a request naming one of the project's models (its id, exactly)
// calls that model first, with routing's order behind it as the fallback; `auto`, a provider's
// own model name or a project slug leave the choice to routing, never an error. The stored
// trace has a `router:pinned` entry and a chat stream's first chunk says `pinned`. Which model
// answered is read from the mock's reply text (it names the upstream model it was asked for),
// the mock's request log and the usage record.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { unique } from './lib/accounts.mjs';
import { mockReply } from './lib/mock.mjs';
import { parseSse, rawProxy, startProxyFixture } from './lib/proxy_fixture.mjs';
import { ask, chat, entries, entry, successRecord, upstreamChats } from './lib/routing.mjs';

const T = { timeout: 60_000 };

let fx;
let a;
let b;
let p;

// A model served by the mock under its own upstream name.
async function model(name, suffix = '') {
  const id = unique(name);
  const upstream = `${name}-${id.split('-').pop()}${suffix}`;
  await fx.model({ id, upstream, inputPrice: 1, outputPrice: 1 });
  return { id, upstream };
}

before(async () => {
  fx = await startProxyFixture();
  a = await model('pin-a');
  b = await model('pin-b');
  // No policies: routing keeps the configured order, so it picks A.
  p = await fx.project([a.id, b.id]);
});
after(async () => {
  await fx?.dispose();
});

// A chat naming `name`; must succeed. Returns {res, text}.
async function chatNaming(name, extra = {}) {
  const text = unique('pin');
  await fx.mock.clear();
  const res = await chat(fx, p.token, { ...ask(text, extra), model: name });
  assert.equal(res.status, 200, res.text);
  return { res, text };
}

describe('the client names a model', () => {
  test('naming B gets B first; the trace says pinned', T, async () => {
    const { res, text } = await chatNaming(b.id);
    assert.equal(res.json.choices[0].message.content, mockReply(b.upstream, text));
    assert.deepEqual(await upstreamChats(fx, text), [b.upstream]);
    const record = await successRecord(fx, p.project, res.traceId);
    assert.equal(record.modelId, b.id);
    const pinned = entry(record.trace, 'router:pinned');
    assert.deepEqual(pinned.details, { model: b.id, applied: true, routedRank: 2 });
    // Routing's own result is kept as it was: A first.
    assert.equal(entry(record.trace, 'router:result').details.final[0].model, a.id);
  });

  test('auto, a provider model name, the project slug or an unknown id leave the choice to routing', T, async () => {
    for (const name of ['auto', b.upstream, p.project.slug, `${b.id}-nope`, b.id.toUpperCase()]) {
      const { res, text } = await chatNaming(name);
      assert.equal(res.json.choices[0].message.content, mockReply(a.upstream, text), `model ${name}`);
      const record = await successRecord(fx, p.project, res.traceId);
      assert.equal(record.modelId, a.id, `model ${name}`);
      assert.deepEqual(entries(record.trace, 'router:pinned'), [], `model ${name}`);
    }
  });

  test('when the named model fails, routing order takes over', T, async () => {
    const broken = await model('pin-broken', '-fail503');
    const q = await fx.project([a.id, broken.id]);
    const text = unique('pin fallback');
    await fx.mock.clear();
    const res = await chat(fx, q.token, { ...ask(text), model: broken.id });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.choices[0].message.content, mockReply(a.upstream, text));
    assert.deepEqual(await upstreamChats(fx, text), [broken.upstream, a.upstream], 'the named model was tried first');
    const record = await successRecord(fx, q.project, res.traceId);
    assert.equal(record.modelId, a.id);
    assert.equal(entry(record.trace, 'router:pinned').details.model, broken.id);
  });

  test('the stream first chunk says pinned', T, async () => {
    const text = unique('pin stream');
    const named = await rawProxy(fx.base, '/v1/chat/completions', { token: p.token, body: { ...ask(text, { stream: true }), model: b.id } });
    assert.equal(named.status, 200, named.text);
    const first = parseSse(named.text)[0].data;
    assert.equal(first.type, 'trace');
    assert.equal(first.model, b.id);
    assert.equal(first.pinned, true);
    const routed = await rawProxy(fx.base, '/v1/chat/completions', { token: p.token, body: { ...ask(text, { stream: true }), model: 'auto' } });
    const firstRouted = parseSse(routed.text)[0].data;
    assert.equal(firstRouted.model, a.id);
    assert.equal(firstRouted.pinned, false);
  });

  test('messages and responses honour the named model too', T, async () => {
    const anthropic = fx.anthropic(p.token);
    const text = unique('pin messages');
    const message = await anthropic.messages.create({ model: b.id, max_tokens: 64, messages: [{ role: 'user', content: text }] });
    assert.equal(message.content[0].text, mockReply(b.upstream, text));
    const routed = await anthropic.messages.create({ model: 'auto', max_tokens: 64, messages: [{ role: 'user', content: text }] });
    assert.equal(routed.content[0].text, mockReply(a.upstream, text));

    await fx.mock.clear();
    const responsesText = unique('pin responses');
    const res = await rawProxy(fx.base, '/v1/responses', {
      token: p.token,
      body: { model: b.id, input: responsesText, stream: true },
    });
    assert.equal(res.status, 200, res.text);
    const seen = (await fx.mock.requests('/v1/responses')).map((r) => r.body?.model);
    assert.deepEqual(seen, [b.upstream]);
    const record = await successRecord(fx, p.project, res.headers.get('x-routerly-trace-id'));
    assert.equal(record.modelId, b.id);
  });
});
