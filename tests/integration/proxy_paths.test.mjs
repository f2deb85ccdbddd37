// Request targets and paths on the LLM proxy: only origin-form targets are served (a provider
// key never leaves for a host the admin did not configure); every spelling of a path reaches the
// route of its canonical path with the same auth, budget and usage record; the billable
// pass-through routes are budgeted and recorded; every /v1 answer carries a trace id; other
// methods on a named route's path go to the upstream; an upstream's Set-Cookie is never relayed.
// Requests go over raw sockets: fetch would normalise the very paths under test.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';

import { unique } from './lib/accounts.mjs';
import { UPSTREAM_KEY, startProxyFixture } from './lib/proxy_fixture.mjs';
import { periodLimit, recordsOfTrace } from './lib/routing.mjs';
import { rawRequest } from './lib/server.mjs';

const T = { timeout: 60_000 };

let fx;
let upstream; // an OpenAI-like upstream answering every pass-through route
let attacker; // stands in for a host the admin never configured
let port;

// Answers with `usage` like OpenAI does per route, sets a cookie, and records what it got.
function startUpstream() {
  const seen = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
      const path = req.url.split('?')[0];
      let body;
      if (path === '/v1/completions') body = { object: 'text_completion', usage: { prompt_tokens: 5, completion_tokens: 7 } };
      else if (path === '/v1/embeddings') body = { object: 'list', data: [], usage: { prompt_tokens: 3, total_tokens: 3 } };
      else if (path.startsWith('/v1/images/')) body = { data: [], usage: { input_tokens: 11, output_tokens: 13 } };
      else if (path === '/v1/moderations') body = { id: 'modr-1', results: [] };
      else if (path.startsWith('/v1/audio/')) body = { text: 'hello' };
      else body = { object: 'list', data: [], path, method: req.method };
      res.writeHead(200, {
        'content-type': 'application/json',
        'set-cookie': ['upstream_session=secret; Path=/; HttpOnly', 'other=1'],
      });
      res.end(JSON.stringify(body));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, seen, port: server.address().port })),
  );
}

function startAttacker() {
  const state = { connections: 0, bytes: '' };
  const server = net.createServer((sock) => {
    state.connections += 1;
    sock.on('data', (d) => (state.bytes += d.toString('latin1')));
    sock.on('error', () => {});
    sock.end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, state, port: server.address().port })),
  );
}

before(async () => {
  fx = await startProxyFixture();
  port = Number(new URL(fx.base).port);
  upstream = await startUpstream();
  attacker = await startAttacker();
});
after(async () => {
  upstream?.server.close();
  attacker?.server.close();
  await fx?.dispose();
});

// A model served by the local upstream and a project using it (optionally with a budget).
async function passthroughProject(extra = {}) {
  const id = unique('pt');
  await fx.model({ id, upstream: 'pt-model', endpoint: `http://127.0.0.1:${upstream.port}/v1` });
  return fx.project([id], extra);
}

// A chat model served by the fixture's mock upstream and a project using it.
async function chatProject(extra = {}) {
  const id = unique('chat');
  await fx.model({ id, upstream: 'gpt-4o-mini' });
  return fx.project([id], extra);
}

function send(method, target, { token, body, headers = [] } = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const lines = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', ...headers];
  if (token) lines.push(`Authorization: Bearer ${token}`);
  if (body !== undefined) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(payload)}`);
  return rawRequest(port, lines.join('\r\n'), {
    body: body === undefined ? undefined : [Buffer.from(payload)],
  });
}

const chatBody = (text) => ({ model: 'x', messages: [{ role: 'user', content: text }] });

describe('request targets', () => {
  test('every target form but origin-form gets 400 and no connection leaves for its host', T, async () => {
    const { token } = await passthroughProject();
    const a = `127.0.0.1:${attacker.port}`;
    const targets = [
      `@${a}/v1/embeddings`,
      `.attacker.test/v1/embeddings`,
      `http://${a}/v1/embeddings`,
      `https://${a}/v1/embeddings`,
      `${a}`,
      `*`,
    ];
    const before = upstream.seen.length;
    for (const method of ['POST', 'GET']) {
      for (const target of targets) {
        const body = method === 'POST' ? { model: 'pt-model', input: 'hi' } : undefined;
        const res = await send(method, target, { token, body });
        assert.equal(res.status, 400, `${method} ${target}: ${res.text}`);
        assert.equal(res.json?.error, 'validation_error', `${method} ${target}: ${res.text}`);
      }
    }
    const connect = await send('CONNECT', a, { token });
    assert.equal(connect.status, 400, connect.text);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(attacker.state.connections, 0, `the attacker host was contacted: ${attacker.state.bytes}`);
    assert.ok(!attacker.state.bytes.includes(UPSTREAM_KEY));
    assert.equal(upstream.seen.length, before, 'nothing was forwarded');
  });

  test('a path climbing above the root is 400 with a trace id', T, async () => {
    const { token } = await passthroughProject();
    for (const target of ['/v1/../../v1/embeddings', '/v1/%2e%2e/%2E%2E/x']) {
      const res = await send('POST', target, { token, body: { input: 'x' } });
      assert.equal(res.status, 400, `${target}: ${res.text}`);
      assert.equal(res.json?.error, 'validation_error');
      assert.ok(res.headers['x-routerly-trace-id'], `${target}: no trace id`);
    }
  });

  test('an escaped slash is not forwarded', T, async () => {
    const { token } = await passthroughProject();
    const before = upstream.seen.length;
    const res = await send('POST', '/v1/chat%2Fcompletions', { token, body: chatBody('x') });
    assert.equal(res.status, 400, res.text);
    assert.equal(upstream.seen.length, before);
  });
});

const chatSpellings = (slug) => [
  '/v1/chat/completions',
  '/v1//chat/completions',
  '/v1/./chat/completions',
  '/v1/x/../chat/completions',
  '/v1/%2e/chat/completions',
  '//v1/chat/completions',
  `/projects/${slug}/v1//chat/completions`,
  `/projects/${slug}/./v1/chat/completions`,
];

const billableSpellings = (slug) => [
  ['/v1/completions', 'completions', { prompt: 'hello' }, { inputTokens: 5, outputTokens: 7 }],
  ['/v1//completions', 'completions', { prompt: 'hello' }, { inputTokens: 5, outputTokens: 7 }],
  ['/v1/./embeddings', 'embeddings', { input: 'hello' }, { inputTokens: 3, outputTokens: 0 }],
  ['/v1/x/../images/generations', 'images', { prompt: 'a cat' }, { inputTokens: 11, outputTokens: 13 }],
  ['/v1/%2e/moderations', 'moderations', { input: 'hello' }, undefined],
  ['//v1/audio/speech', 'audio', { input: 'hello', voice: 'alloy' }, undefined],
  [`/projects/${slug}/v1//embeddings`, 'embeddings', { input: 'hello' }, { inputTokens: 3, outputTokens: 0 }],
];

describe('path spellings', () => {
  test('each spelling of /v1/chat/completions is the named route: answered and recorded as chat', T, async () => {
    const { project, token } = await chatProject();
    for (const target of chatSpellings(project.slug)) {
      await fx.mock.clear();
      const res = await send('POST', target, { token, body: chatBody(`spelling ${target}`) });
      assert.equal(res.status, 200, `${target}: ${res.text}`);
      assert.equal(res.json?.object, 'chat.completion', `${target}: ${res.text}`);
      const rows = await recordsOfTrace(fx, project, res.headers['x-routerly-trace-id']);
      assert.equal(rows[0].type, 'chat', target);
      assert.equal(rows[0].outcome, 'success', target);
    }
  });

  test('an exhausted budget blocks every spelling, and each blocked request is recorded', T, async () => {
    const { project, token } = await chatProject({ budgets: [periodLimit('calls', 1, 'daily')] });
    const first = await send('POST', '/v1/chat/completions', { token, body: chatBody('allowed') });
    assert.equal(first.status, 200, first.text);
    await fx.mock.clear();
    for (const target of chatSpellings(project.slug)) {
      const res = await send('POST', target, { token, body: chatBody(`blocked ${target}`) });
      assert.equal(res.status, 503, `${target}: ${res.text}`);
      assert.equal(res.json?.error, 'budget_exceeded', target);
      const rows = await recordsOfTrace(fx, project, res.headers['x-routerly-trace-id']);
      assert.equal(rows[0].outcome, 'budget_exceeded', target);
    }
    assert.deepEqual(await fx.mock.requests(), [], 'no blocked spelling reached the provider');
  });

  test('billable pass-through routes are recorded with their type and the answer\'s usage', T, async () => {
    const { project, token } = await passthroughProject();
    for (const [target, type, body, usage] of billableSpellings(project.slug)) {
      const res = await send('POST', target, { token, body: { model: 'pt-model', ...body } });
      assert.equal(res.status, 200, `${target}: ${res.text}`);
      const rows = await recordsOfTrace(fx, project, res.headers['x-routerly-trace-id']);
      assert.equal(rows.length, 1, target);
      assert.equal(rows[0].type, type, target);
      assert.equal(rows[0].outcome, 'success', target);
      if (usage) {
        assert.equal(rows[0].inputTokens, usage.inputTokens, target);
        assert.equal(rows[0].outputTokens, usage.outputTokens, target);
      }
    }
    // Each was forwarded to its canonical path.
    const paths = upstream.seen.slice(-billableSpellings('').length).map((r) => r.url);
    assert.deepEqual(paths, [
      '/v1/completions',
      '/v1/completions',
      '/v1/embeddings',
      '/v1/images/generations',
      '/v1/moderations',
      '/v1/audio/speech',
      '/v1/embeddings',
    ]);
  });

  test('an exhausted budget blocks every billable pass-through spelling', T, async () => {
    const { project, token } = await passthroughProject({ budgets: [periodLimit('calls', 1, 'daily')] });
    const first = await send('POST', '/v1/completions', { token, body: { model: 'pt-model', prompt: 'x' } });
    assert.equal(first.status, 200, first.text);
    const before = upstream.seen.length;
    for (const [target, type, body] of billableSpellings(project.slug)) {
      const res = await send('POST', target, { token, body: { model: 'pt-model', ...body } });
      assert.equal(res.status, 503, `${target}: ${res.text}`);
      assert.equal(res.json?.error, 'budget_exceeded', target);
      const rows = await recordsOfTrace(fx, project, res.headers['x-routerly-trace-id']);
      assert.equal(rows[0].outcome, 'budget_exceeded', target);
      assert.equal(rows[0].type, type, target);
    }
    assert.equal(upstream.seen.length, before, 'no blocked request reached the provider');
  });

  test('the usage API filters by the pass-through types', T, async () => {
    const { project, token } = await passthroughProject();
    const res = await send('POST', '/v1/moderations', { token, body: { model: 'pt-model', input: 'x' } });
    assert.equal(res.status, 200, res.text);
    await recordsOfTrace(fx, project, res.headers['x-routerly-trace-id']);
    const { records } = await fx.usage({ project: project.id, type: 'moderations' });
    assert.equal(records.length, 1);
    assert.equal(records[0].type, 'moderations');
  });
});

describe('every /v1 answer', () => {
  test('other methods on a named route path pass through to the upstream, with a trace id', T, async () => {
    const { project, token } = await passthroughProject();
    for (const target of ['/v1/chat/completions?limit=2', `/projects/${project.slug}/v1/chat/completions`]) {
      const before = upstream.seen.length;
      const res = await send('GET', target, { token });
      assert.equal(res.status, 200, `${target}: ${res.text}`);
      assert.equal(res.json?.method, 'GET');
      assert.equal(res.json?.path, '/v1/chat/completions');
      assert.ok(res.headers['x-routerly-trace-id'], target);
      const got = upstream.seen.slice(before);
      assert.equal(got.length, 1);
      assert.equal(got[0].authorization, `Bearer ${UPSTREAM_KEY}`);
    }
    const del = await send('DELETE', '/v1/models', { token });
    assert.equal(del.status, 200, del.text);
    assert.equal(del.json?.method, 'DELETE');
  });

  test('a 413 on a /v1 path carries a trace id', T, async () => {
    const res = await rawRequest(
      port,
      [`POST /v1//chat/completions HTTP/1.1`, 'Host: x', 'Content-Type: application/json', 'Content-Length: 999999999999'].join(
        '\r\n',
      ),
    );
    assert.equal(res.status, 413, res.text);
    assert.match(res.headers['x-routerly-trace-id'] ?? '', /^[0-9a-f-]{36}$/);
  });

  test('the pass-through never relays an upstream Set-Cookie', T, async () => {
    const { token } = await passthroughProject();
    for (const [method, target, body] of [
      ['POST', '/v1/completions', { model: 'pt-model', prompt: 'x' }],
      ['GET', '/v1/files', undefined],
    ]) {
      const res = await send(method, target, { token, body });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers['set-cookie'], undefined, `${method} ${target} relayed a cookie`);
    }
  });
});
