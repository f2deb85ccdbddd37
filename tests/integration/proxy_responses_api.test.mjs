// The Responses API as fetch-based clients and the official `openai` client use it, against an
// OpenAI upstream (native) and an Anthropic upstream (translated): a request without `stream`
// gets the JSON `response` object whatever its Accept header, and the responses the gateway
// stored are retrieved, their input items listed and deleted from the gateway's own store,
// scoped to the token's project; ids the gateway does not hold go to the upstream.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { mockReply } from './lib/mock.mjs';
import { SDK_TIMEOUT_MS, rawProxy, startProxyFixture } from './lib/proxy_fixture.mjs';

const T = { timeout: 30_000 };

let fx;
let stranger; // a token of a project that serves the same models
const targets = {
  openai: { provider: 'openai', modelId: 'openai/gpt-4o', upstream: 'gpt-4o' },
  anthropic: { provider: 'anthropic', modelId: 'anthropic/claude-haiku-4-5', upstream: 'claude-haiku-4-5' },
};

before(async () => {
  fx = await startProxyFixture();
  for (const t of Object.values(targets)) {
    await fx.model({ id: t.modelId, provider: t.provider });
    const { project, token } = await fx.project([t.modelId]);
    t.project = project;
    t.token = token;
    t.client = fx.openai(token);
  }
  stranger = (await fx.project([targets.openai.modelId, targets.anthropic.modelId])).token;
});
after(async () => {
  await fx?.dispose();
});

// A raw call with any method; the body parsed when it is JSON.
async function call(method, path, token, headers = {}) {
  const res = await fetch(fx.base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...headers },
    signal: AbortSignal.timeout(SDK_TIMEOUT_MS),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

// The mock's requests for one response id (the gateway should not have asked it).
async function upstreamAsked(id) {
  return (await fx.mock.requests('/v1/responses/')).filter((r) => r.path.includes(id));
}

for (const [name, t] of Object.entries(targets)) {
  describe(`Responses API → ${name} upstream`, () => {
    test('no `stream` key and Accept: */* (fetch-based SDKs) → the JSON response object', T, async () => {
      for (const extra of [{}, { stream: false }]) {
        const input = `Plain JSON please ${name} ${JSON.stringify(extra)}`;
        const res = await rawProxy(fx.base, '/v1/responses', {
          token: t.token,
          body: { model: 'x', input, ...extra },
          headers: { accept: '*/*' },
        });
        assert.equal(res.status, 200, res.text);
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/, res.text.slice(0, 200));
        assert.ok(res.json, `not JSON: ${res.text.slice(0, 200)}`);
        assert.equal(res.json.object, 'response');
        assert.equal(res.json.status, 'completed');
        const msg = res.json.output.find((i) => i.type === 'message');
        assert.equal(msg.content[0].text, mockReply(t.upstream, input));
      }
      // The native upstream is asked for JSON too.
      if (t.provider === 'openai') {
        const up = (await fx.mock.requests('/v1/responses')).filter((r) => JSON.stringify(r.body).includes('Plain JSON'));
        assert.equal(up.length, 2);
        for (const r of up) assert.notEqual(r.body.stream, true, JSON.stringify(r.body));
      }
    });

    test('only "stream": true streams', T, async () => {
      const res = await rawProxy(fx.base, '/v1/responses', {
        token: t.token,
        body: { model: 'x', input: `Stream it ${name}`, stream: true },
        headers: { accept: '*/*' },
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.match(res.text, /event: response\.completed/);
    });

    test('retrieve, input items and delete come from the gateway store', T, async () => {
      const input = [
        { role: 'user', content: `First turn ${name}` },
        { role: 'assistant', content: 'Noted.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: `Second turn ${name}` }] },
      ];
      const created = await t.client.responses.create({ model: 'x', input });
      assert.equal(created.object, 'response');

      const got = await t.client.responses.retrieve(created.id);
      assert.equal(got.id, created.id);
      assert.equal(got.object, 'response');
      assert.equal(got.status, 'completed');
      assert.deepEqual(got.output, created.output);
      assert.equal(got.output_text, mockReply(t.upstream, `Second turn ${name}`));

      // Newest first by default; the SDK pages with `after` through every item.
      const listed = [];
      for await (const item of t.client.responses.inputItems.list(created.id, { limit: 2 })) listed.push(item);
      assert.equal(listed.length, 3);
      const texts = listed.map((i) => i.content[0].text);
      assert.deepEqual(texts, [`Second turn ${name}`, 'Noted.', `First turn ${name}`]);
      assert.deepEqual(listed.map((i) => i.role), ['user', 'assistant', 'user']);
      assert.deepEqual(listed.map((i) => i.content[0].type), ['input_text', 'output_text', 'input_text']);
      for (const item of listed) {
        assert.equal(item.type, 'message');
        assert.equal(typeof item.id, 'string');
      }
      assert.equal(new Set(listed.map((i) => i.id)).size, 3, 'item ids are distinct');

      const page = await call('GET', `/v1/responses/${created.id}/input_items?order=asc&limit=2`, t.token);
      assert.equal(page.status, 200, page.text);
      assert.equal(page.json.object, 'list');
      assert.deepEqual(page.json.data.map((i) => i.content[0].text), [`First turn ${name}`, 'Noted.']);
      assert.equal(page.json.first_id, page.json.data[0].id);
      assert.equal(page.json.last_id, page.json.data[1].id);
      assert.equal(page.json.has_more, true);
      const bad = await call('GET', `/v1/responses/${created.id}/input_items?limit=0`, t.token);
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error, 'validation_error');
      assert.match(bad.json.message, /^limit:/);

      // The project-scoped base URL reaches the same store.
      const scoped = await call('GET', `/projects/${t.project.slug}/v1/responses/${created.id}`, t.token);
      assert.equal(scoped.status, 200, scoped.text);
      assert.equal(scoped.json.id, created.id);

      const deleted = await call('DELETE', `/v1/responses/${created.id}`, t.token);
      assert.equal(deleted.status, 200, deleted.text);
      assert.deepEqual(deleted.json, { id: created.id, object: 'response', deleted: true });

      await assert.rejects(t.client.responses.retrieve(created.id), (err) => err.status === 404);
      const gone = await call('GET', `/v1/responses/${created.id}`, t.token);
      assert.equal(gone.status, 404);
      assert.equal(gone.json.error, 'not_found');
      assert.match(gone.headers.get('x-routerly-trace-id') ?? '', /./);
      assert.equal((await call('GET', `/v1/responses/${created.id}/input_items`, t.token)).status, 404);
      assert.equal((await call('DELETE', `/v1/responses/${created.id}`, t.token)).status, 404);
      assert.deepEqual(await upstreamAsked(created.id), [], 'the upstream was never asked about a stored id');
    });

    test('the SDK delete and a streamed response are served from the store', T, async () => {
      const stream = await t.client.responses.create({ model: 'x', input: `Stored stream ${name}`, stream: true });
      let id;
      for await (const ev of stream) if (ev.type === 'response.completed') id = ev.response.id;
      assert.ok(id);
      const got = await t.client.responses.retrieve(id);
      assert.equal(got.output_text, mockReply(t.upstream, `Stored stream ${name}`));
      await t.client.responses.delete(id);
      await assert.rejects(t.client.responses.retrieve(id), (err) => err.status === 404);
      assert.deepEqual(await upstreamAsked(id), []);
    });

    test("another project's response id is not found, and not asked upstream", T, async () => {
      const created = await t.client.responses.create({ model: 'x', input: `Private ${name}` });
      for (const [method, suffix] of [
        ['GET', ''],
        ['GET', '/input_items'],
        ['DELETE', ''],
      ]) {
        const res = await call(method, `/v1/responses/${created.id}${suffix}`, stranger);
        assert.equal(res.status, 404, `${method} ${suffix}: ${res.text}`);
        assert.equal(res.json.error, 'not_found');
      }
      assert.deepEqual(await upstreamAsked(created.id), []);
      assert.equal((await t.client.responses.retrieve(created.id)).id, created.id, 'still there for its owner');
    });
  });
}

test('an id the gateway does not hold goes to the upstream', T, async () => {
  const id = 'resp_not_stored_here_0123';
  const res = await call('GET', `/v1/responses/${id}`, targets.openai.token);
  assert.equal(res.status, 404, res.text); // the mock knows no such route: its own answer
  assert.equal(typeof res.json.error, 'object', `the upstream's error body: ${res.text}`);
  const asked = await upstreamAsked(id);
  assert.equal(asked.length, 1);
  assert.equal(asked[0].method, 'GET');
  assert.equal(asked[0].path, `/v1/responses/${id}`);
});
