// Request validation, the error envelope, routing errors, size limits and CORS.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { PASSWORD, createProject, createUser, setupAdmin } from './lib/accounts.mjs';
import { expectError, expectStatus } from './lib/expect.mjs';
import { rawRequest, startServer } from './lib/server.mjs';

const T = { timeout: 60_000 };
let srv;
let tok;
let project;
let member; // a user who is not yet a member of `project`

before(async () => {
  srv = await startServer();
  tok = (await setupAdmin(srv)).token;
  project = await createProject(srv, tok, { name: 'Validation' });
  member = (await createUser(srv, tok, { role: 'viewer' })).user;
});
after(async () => {
  await srv?.dispose();
});

const api = (method, path, opts = {}) => srv.api(method, path, { token: tok, ...opts });
const MODEL = { id: 'v-model', provider: 'openai', inputPrice: 1, outputPrice: 1 };

describe('bodies', () => {
  test('invalid JSON → 400 validation_error', T, async () => {
    expectError(await api('POST', '/api/models', { rawBody: '{"id": "x",' }), 400, 'validation_error');
    expectError(await api('POST', '/api/auth/login', { rawBody: 'not json at all' }), 400, 'validation_error');
    expectError(await api('PUT', '/api/settings', { rawBody: '' }), 400, 'validation_error');
  });

  test('a body of the wrong JSON type → 400', T, async () => {
    expectError(await api('POST', '/api/models', { body: [MODEL] }), 400, 'validation_error');
    expectError(await api('POST', '/api/projects', { body: 'a string' }), 400, 'validation_error');
    expectError(await api('PUT', '/api/settings', { body: null }), 400, 'validation_error');
    expectError(await api('POST', '/api/auth/login', { body: 42 }), 400, 'validation_error');
  });

  test('wrong field types name the field', T, async () => {
    const cases = [
      ['POST', '/api/models', { ...MODEL, id: 123 }, 'id'],
      ['POST', '/api/models', { ...MODEL, inputPrice: 'cheap' }, 'inputPrice'],
      ['POST', '/api/models', { ...MODEL, contextWindow: 'big' }, 'contextWindow'],
      ['POST', '/api/models', { ...MODEL, capabilities: 'vision' }, 'capabilities'],
      ['POST', '/api/projects', { name: 5 }, 'name'],
      ['POST', '/api/projects', { name: 'Typed', models: 'v-model' }, 'models'],
      ['POST', '/api/projects', { name: 'Typed', timeoutMs: 'soon' }, 'timeoutMs'],
      ['POST', '/api/users', { email: 'typed@example.com', password: 12345678 }, 'password'],
      ['POST', '/api/users', { email: ['typed@example.com'], password: PASSWORD }, 'email'],
      ['POST', '/api/roles', { name: 'Typed', permissions: 'model:read' }, 'permissions'],
      ['PUT', '/api/settings', { defaultTimeoutMs: 'abc' }, 'defaultTimeoutMs'],
      ['PUT', '/api/settings', { corsOrigins: 'https://a.example' }, 'corsOrigins'],
      ['POST', '/api/projects/{p}/tokens', { labels: 'prod' }, 'labels'],
      ['POST', '/api/auth/login', { email: 'a@example.com', password: 12345678 }, 'password'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await api(method, path.replace('{p}', project.id), { body });
      expectError(res, 400, 'validation_error', field);
    }
  });

  test('unknown enum values → 400 naming the field', T, async () => {
    const cases = [
      ['POST', '/api/models', { ...MODEL, provider: 'skynet' }, 'provider'],
      ['PUT', '/api/settings', { logLevel: 'verbose' }, 'logLevel'],
      ['POST', '/api/projects', { name: 'Enum', policies: [{ type: 'random', enabled: true }] }, 'type'],
      ['POST', '/api/projects/{p}/members', { userId: '{u}', role: 'owner' }, 'role'],
      ['POST', '/api/projects/{p}/tokens', { limits: [{ metric: 'bananas', windowType: 'period', period: 'daily', value: 1 }] }, 'metric'],
      ['POST', '/api/projects/{p}/tokens', { limits: [{ metric: 'calls', windowType: 'period', period: 'fortnightly', value: 1 }] }, 'period'],
      ['POST', '/api/projects/{p}/tokens', { limitsMode: 'sometimes' }, 'limitsMode'],
    ];
    for (const [method, path, body, field] of cases) {
      if (body.userId === '{u}') body.userId = member.id;
      const res = await api(method, path.replace('{p}', project.id), { body });
      expectError(res, 400, 'validation_error', field);
    }
  });
});

describe('routing errors', () => {
  test('unknown /api path → 404 not_found, with or without a session', T, async () => {
    expectError(await api('GET', '/api/x'), 404, 'not_found');
    expectError(await api('POST', '/api/models/a/b/c/d'), 404, 'not_found');
    expectError(await srv.api('GET', '/api/nonexistent'), 404, 'not_found');
  });

  test('known path, wrong method → 405 method_not_allowed', T, async () => {
    expectError(await api('PATCH', '/api/models'), 405, 'method_not_allowed');
    expectError(await api('DELETE', '/api/settings'), 405, 'method_not_allowed');
    expectError(await api('PUT', '/api/auth/login', { body: {} }), 405, 'method_not_allowed');
  });
});

describe('limits', () => {
  test('a body over 32 MiB → 413 payload_too_large', T, async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const [open, close] = [Buffer.from('{"name":"'), Buffer.from('"}')];
    const size = open.length + 33 * chunk.length + close.length;
    async function* body() {
      yield open;
      for (let i = 0; i < 33; i++) yield chunk;
      yield close;
    }
    const head = [
      'POST /api/projects HTTP/1.1',
      `Host: 127.0.0.1:${srv.port}`,
      `Authorization: Bearer ${tok}`,
      'Content-Type: application/json',
      `Content-Length: ${size}`,
    ].join('\r\n');
    const res = await rawRequest(srv.port, head, { body: body(), timeout: 60_000 });
    expectError(res, 413, 'payload_too_large');
  });

  test('a chunked body over the limit → 413 too', T, async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    async function* body() {
      for (let i = 0; i < 34; i++) yield frame;
      yield Buffer.from('0\r\n\r\n');
    }
    const head = [
      'POST /api/projects HTTP/1.1',
      `Host: 127.0.0.1:${srv.port}`,
      `Authorization: Bearer ${tok}`,
      'Content-Type: application/json',
      'Transfer-Encoding: chunked',
    ].join('\r\n');
    const res = await rawRequest(srv.port, head, { body: body(), timeout: 60_000 });
    expectError(res, 413, 'payload_too_large');
  });

  test('a 20 KiB header → 431 headers_too_large', T, async () => {
    const head = ['GET /health HTTP/1.1', `Host: 127.0.0.1:${srv.port}`, `X-Big: ${'b'.repeat(20 * 1024)}`].join('\r\n');
    const res = await rawRequest(srv.port, head);
    expectError(res, 431, 'headers_too_large');
  });

  test('the server still serves after the refusals', T, async () => {
    expectStatus(await srv.api('GET', '/health'), 200);
  });

  test('settings.maxBodyBytes sets the body limit (after a restart at the latest)', T, async () => {
    expectStatus(await api('PUT', '/api/settings', { body: { maxBodyBytes: 4096 } }), 200);
    await srv.restart();
    const big = await api('POST', '/api/projects', { body: { name: 'b'.repeat(8192) } });
    expectError(big, 413, 'payload_too_large');
    const small = await api('POST', '/api/projects', { body: { name: `small ${'s'.repeat(2000)}` } });
    assert.notEqual(small.status, 413, small.text.slice(0, 200));
    expectStatus(await api('PUT', '/api/settings', { body: { maxBodyBytes: 33554432 } }), 200);
    expectError(await api('PUT', '/api/settings', { body: { maxBodyBytes: -1 } }), 400, 'validation_error', 'maxBodyBytes');
  });
});

describe('CORS', () => {
  const preflight = (origin, headers = {}) =>
    srv.api('OPTIONS', '/api/models', {
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
        ...headers,
      },
    });

  test('preflight with Origin → 204 echoing the origin, never allowing credentials', T, async () => {
    const res = await preflight('https://app.example');
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match((res.headers.get('access-control-allow-headers') ?? '').toLowerCase(), /authorization/);
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
  });

  test('simple requests reflect the origin with Vary: Origin and no credentials header', T, async () => {
    for (const [method, path, token] of [['GET', '/health'], ['GET', '/api/models', tok], ['GET', '/api/nope', tok], ['GET', '/api/models']]) {
      const res = await srv.api(method, path, { token, headers: { origin: 'https://app.example' } });
      assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example', `${method} ${path} (${res.status})`);
      assert.match(res.headers.get('vary') ?? '', /origin/i, `${method} ${path} Vary`);
      assert.equal(res.headers.get('access-control-allow-credentials'), null);
    }
  });

  test('preflight without Access-Control-Request-Method → 400', T, async () => {
    const res = await srv.api('OPTIONS', '/api/models', { headers: { origin: 'https://app.example' } });
    expectError(res, 400, 'validation_error');
  });

  test('corsOrigins restricts which origins are reflected', T, async () => {
    const s = expectStatus(await api('PUT', '/api/settings', { body: { corsOrigins: ['https://a.example'] } }), 200);
    assert.deepEqual(s.corsOrigins, ['https://a.example']);
    const allowed = await srv.api('GET', '/health', { headers: { origin: 'https://a.example' } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://a.example');
    const other = await srv.api('GET', '/health', { headers: { origin: 'https://b.example' } });
    assert.equal(other.status, 200, 'the request itself is still served');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const pre = await preflight('https://b.example');
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
    assert.equal(pre.headers.get('access-control-allow-credentials'), null);
    const preOk = await preflight('https://a.example');
    assert.equal(preOk.status, 204);
    assert.equal(preOk.headers.get('access-control-allow-origin'), 'https://a.example');
    expectStatus(await api('PUT', '/api/settings', { body: { corsOrigins: ['*'] } }), 200);
    const back = await srv.api('GET', '/health', { headers: { origin: 'https://b.example' } });
    assert.equal(back.headers.get('access-control-allow-origin'), 'https://b.example');
  });
});
