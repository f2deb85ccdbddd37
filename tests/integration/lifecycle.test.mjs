// Durability across restarts, files at rest, graceful shutdown, environment overrides and
// `routerly config export|import`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ADMIN_EMAIL, PASSWORD, createUser, login, setupAdmin } from './lib/accounts.mjs';
import { expectStatus } from './lib/expect.mjs';
import { Server, freePort, makeHome, rawRequest, removeHome, runCli, startServer } from './lib/server.mjs';

const T = { timeout: 90_000 };
const API_KEY = 'sk-provider-secret-5e1f0c2a9b7d4e36';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cleanup = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

// A server with some data in it; returns the values the tests look for afterwards.
async function populated(srv) {
  const admin = await setupAdmin(srv);
  const api = (method, p, body) => srv.api(method, p, { token: admin.token, body });
  const model = expectStatus(await api('POST', '/api/models', {
    id: 'openai/gpt-4o-mini', provider: 'openai', apiKey: API_KEY, inputPrice: 0.15, outputPrice: 0.6,
  }), 201);
  const project = expectStatus(await api('POST', '/api/projects', { name: 'Durable', models: [model.id] }), 201);
  const extra = expectStatus(await api('POST', `/api/projects/${project.id}/tokens`, { name: 'second', labels: ['x'] }), 201);
  const user = await createUser(srv, admin.token, { role: 'operator' });
  expectStatus(await api('PUT', '/api/settings', { defaultTimeoutMs: 41000, logLevel: 'warn' }), 200);
  return { admin, api, model, project, tokenValues: [project.token, extra.token], user };
}

// Everything the API shows about the populated data, for before/after comparisons.
async function snapshot(srv, token) {
  const get = async (p) => expectStatus(await srv.api('GET', p, { token }), 200);
  const projects = await get('/api/projects');
  return {
    models: await get('/api/models'),
    projects,
    tokens: await Promise.all(projects.map((p) => get(`/api/projects/${p.id}/tokens`))),
    users: await get('/api/users'),
    roles: await get('/api/roles'),
    settings: await get('/api/settings'),
  };
}

function filesAtRest(home) {
  return ['routerly.db', 'routerly.db-wal', 'routerly.db-shm', 'routerly.db-journal']
    .map((f) => path.join(home, f))
    .filter((f) => existsSync(f));
}

describe('state on disk', () => {
  let srv;
  let data;

  before(async () => {
    srv = await startServer();
    cleanup.push(() => srv.dispose());
    data = await populated(srv);
  });

  test('secret and routerly.db exist with mode 0600; the secret is 64 hex chars', T, async () => {
    const secret = path.join(srv.home, 'secret');
    const db = path.join(srv.home, 'routerly.db');
    for (const f of [secret, db]) {
      assert.ok(existsSync(f), `${f} exists`);
      assert.equal((statSync(f).mode & 0o777).toString(8), '600', `${path.basename(f)} mode`);
    }
    assert.match(readFileSync(secret, 'utf8').trim(), /^[0-9a-f]{64}$/);
  });

  test('no provider key, token value, password or refresh token in the database files', T, async () => {
    const needles = [API_KEY, ...data.tokenValues, PASSWORD, data.admin.refreshToken, data.user.session.refreshToken];
    const check = () => {
      const files = filesAtRest(srv.home);
      assert.ok(files.length >= 1);
      for (const f of files) {
        const bytes = readFileSync(f);
        for (const n of needles) {
          assert.equal(bytes.indexOf(Buffer.from(n)), -1, `${path.basename(f)} contains a secret in plain text (${n.slice(0, 12)}…)`);
          // A token's 64 hex chars without the prefix must not be there either.
          if (n.startsWith('sk-rt-')) assert.equal(bytes.indexOf(Buffer.from(n.slice(6))), -1);
        }
      }
    };
    check(); // while running (WAL)
    const exit = await srv.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
    check(); // after the final checkpoint
    await srv.start();
  });

  test('users, models, projects, tokens, roles, settings and sessions survive a restart', T, async () => {
    const before = await snapshot(srv, data.admin.token);
    assert.ok(before.models.some((m) => m.id === 'openai/gpt-4o-mini'));
    const exit = await srv.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
    await srv.start();
    // The JWT issued before the restart is still valid (same secret, sessions in the store).
    const afterRestart = await snapshot(srv, data.admin.token);
    assert.deepEqual(afterRestart.models, before.models);
    assert.deepEqual(afterRestart.projects, before.projects);
    assert.deepEqual(afterRestart.tokens, before.tokens);
    assert.deepEqual(afterRestart.users, before.users);
    assert.deepEqual(afterRestart.roles, before.roles);
    // `port` shows the effective listening port, which the restart chose anew.
    const stored = ({ port, ...rest }) => rest;
    assert.deepEqual(stored(afterRestart.settings), stored(before.settings));
    assert.equal(afterRestart.settings.defaultTimeoutMs, 41000);
    assert.equal(afterRestart.tokens.flat().length, 2);
    await login(srv, data.user.email);
    expectStatus(await srv.api('POST', '/api/auth/refresh', { body: { refreshToken: data.user.session.refreshToken } }), 200);
    const key = expectStatus(await srv.api('GET', '/api/models/openai%2Fgpt-4o-mini/apikey', { token: data.admin.token }), 200);
    assert.ok(key.apiKey.endsWith(API_KEY.slice(-4)), 'the encrypted key decrypts after restart');
  });
});

describe('shutdown', () => {
  test('SIGTERM while requests are in flight: they complete, then exit 0', T, async () => {
    const srv = await startServer();
    cleanup.push(() => srv.dispose());
    await setupAdmin(srv);
    // Logins verify an argon2id hash on the blocking pool, so eight of them queue up there.
    // SIGTERM goes out when the first answer arrives: by then the server has read the others
    // (sent at the same time) and is still working on them.
    let done = 0;
    const inflight = Array.from({ length: 8 }, () =>
      srv.api('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: PASSWORD } }).finally(() => done++));
    await Promise.race(inflight);
    srv.proc.kill('SIGTERM');
    assert.ok(done < 8, 'some requests were still in flight at SIGTERM');
    const results = await Promise.all(inflight);
    for (const r of results) assert.equal(r.status, 200, r.text);
    const exit = await srv.waitExit();
    assert.deepEqual(exit, { code: 0, signal: null });
  });

  test('SIGTERM while a request body is still arriving: it completes; new connections are refused', T, async () => {
    const srv = await startServer();
    cleanup.push(() => srv.dispose());
    await setupAdmin(srv);
    const body = Buffer.from(JSON.stringify({ email: ADMIN_EMAIL, password: PASSWORD }));
    const head = [
      'POST /api/auth/login HTTP/1.1',
      `Host: 127.0.0.1:${srv.port}`,
      'Content-Type: application/json',
      `Content-Length: ${body.length}`,
      'Connection: close',
    ].join('\r\n');
    let release;
    const gate = new Promise((r) => (release = r));
    async function* slowBody() {
      yield body.subarray(0, 10);
      await gate;
      yield body.subarray(10);
    }
    const pending = rawRequest(srv.port, head, { body: slowBody() });
    await sleep(200);
    srv.proc.kill('SIGTERM');
    await sleep(300);
    await assert.rejects(fetch(`${srv.base}/health`, { signal: AbortSignal.timeout(2000) }), 'a new connection after SIGTERM is refused');
    release();
    const res = await pending;
    assert.equal(res.status, 200, res.text);
    const exit = await srv.waitExit();
    assert.deepEqual(exit, { code: 0, signal: null });
  });

  test('SIGTERM when idle (with an open keep-alive connection) exits 0 quickly', T, async () => {
    const srv = await startServer();
    cleanup.push(() => srv.dispose());
    expectStatus(await srv.api('GET', '/health'), 200); // leaves a keep-alive connection open
    const started = Date.now();
    const exit = await srv.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.ok(Date.now() - started < 3000, `exited after ${Date.now() - started} ms`);
  });
});

describe('environment overrides', () => {
  test('ROUTERLY_PORT chooses the port when --port is absent', T, async () => {
    const port = await freePort();
    const srv = new Server({ args: ['serve', '--host', '127.0.0.1'], env: { ROUTERLY_PORT: String(port) }, port });
    cleanup.push(() => srv.dispose());
    await srv.start();
    expectStatus(await srv.api('GET', '/health'), 200);
  });

  test('ROUTERLY_PUBLIC_URL shows as publicUrl and is not persisted', T, async () => {
    const url = 'https://gateway.example.test';
    const srv = await startServer({ env: { ROUTERLY_PUBLIC_URL: url } });
    cleanup.push(() => srv.dispose());
    const admin = await setupAdmin(srv);
    const s = expectStatus(await srv.api('GET', '/api/settings', { token: admin.token }), 200);
    assert.equal(s.publicUrl, url);
    srv.env = {};
    await srv.restart();
    const again = expectStatus(await srv.api('GET', '/api/settings', { token: admin.token }), 200);
    assert.notEqual(again.publicUrl, url, 'an override is not written to the store');
  });
});

describe('config export and import', () => {
  let srv;
  let data;
  let exported;
  let file;

  before(async () => {
    srv = await startServer();
    cleanup.push(() => srv.dispose());
    data = await populated(srv);
    const exit = await srv.stop();
    assert.equal(exit.code, 0);
    file = path.join(srv.home, 'export.json');
  });

  test('export prints the configuration without secrets', T, async () => {
    const r = runCli(srv.home, ['config', 'export']);
    assert.equal(r.code, 0, r.stderr);
    exported = JSON.parse(r.stdout);
    for (const k of ['settings', 'models', 'projects', 'users', 'roles']) assert.ok(k in exported, `missing ${k}`);
    assert.ok(exported.models.some((m) => m.id === 'openai/gpt-4o-mini'));
    assert.ok(exported.projects.some((p) => p.name === 'Durable' && p.slug === 'durable'));
    assert.ok(exported.users.some((u) => u.email === ADMIN_EMAIL));
    assert.equal(exported.settings.defaultTimeoutMs, 41000);
    for (const secret of [API_KEY, ...data.tokenValues, PASSWORD, '$argon2']) {
      assert.ok(!r.stdout.includes(secret), `export contains ${secret.slice(0, 12)}…`);
    }
    for (const t of data.tokenValues) assert.ok(!r.stdout.includes(t.slice(6)), 'no token hex');
  });

  test('export --output writes the same document to a file', T, async () => {
    const r = runCli(srv.home, ['config', 'export', '--output', file]);
    assert.equal(r.code, 0, r.stderr);
    const fromFile = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(fromFile.models, exported.models);
    assert.deepEqual(fromFile.projects, exported.projects);
    assert.deepEqual(fromFile.roles, exported.roles);
  });

  test('import restores models and projects (into a home with its own admin)', T, async () => {
    const target = await startServer();
    cleanup.push(() => target.dispose());
    const own = await setupAdmin(target, { email: 'new-admin@example.com' });
    assert.equal((await target.stop()).code, 0);

    const copy = path.join(target.home, 'import.json');
    writeFileSync(copy, JSON.stringify(exported));
    const r = runCli(target.home, ['config', 'import', copy]);
    assert.equal(r.code, 0, r.stderr);
    const re = runCli(target.home, ['config', 'export']);
    assert.equal(re.code, 0, re.stderr);
    const back = JSON.parse(re.stdout);
    const essentials = (models) => models.map(({ id, name, provider, endpoint, cost, contextWindow }) => ({ id, name, provider, endpoint, cost, contextWindow }));
    assert.deepEqual(essentials(back.models), essentials(exported.models));
    assert.deepEqual(back.projects.map((p) => [p.name, p.slug]), exported.projects.map((p) => [p.name, p.slug]));

    await target.start();
    const token = (await login(target, own.email)).token;
    const models = expectStatus(await target.api('GET', '/api/models', { token }), 200);
    const model = models.find((m) => m.id === 'openai/gpt-4o-mini');
    assert.ok(model, 'model restored');
    assert.deepEqual(model.cost, data.model.cost);
    const projects = expectStatus(await target.api('GET', '/api/projects', { token }), 200);
    const p = projects.find((x) => x.slug === 'durable');
    assert.ok(p, 'project restored');
    assert.deepEqual(p.models.map((m) => m.modelId), ['openai/gpt-4o-mini']);
    assert.equal(expectStatus(await target.api('GET', '/api/settings', { token }), 200).defaultTimeoutMs, 41000);
  });

  test('after an import into an empty home the installation can still be administered', T, async () => {
    const home = makeHome();
    cleanup.push(() => removeHome(home));
    const copy = path.join(home, 'import.json');
    writeFileSync(copy, JSON.stringify(exported));
    const r = runCli(home, ['config', 'import', copy]);
    assert.equal(r.code, 0, r.stderr);
    const fresh = await startServer({ home });
    cleanup.push(() => fresh.dispose());
    const status = expectStatus(await fresh.api('GET', '/api/setup/status'), 200);
    if (status.needsSetup) {
      await setupAdmin(fresh, { email: 'new-admin@example.com' });
      return;
    }
    // Setup is closed because imported admins exist, so one of them must be able to log in.
    const res = await fresh.api('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: PASSWORD } });
    assert.equal(res.status, 200, 'imported admins exist (needsSetup false) but none can log in: locked out');
  });
});
