// How `routerly serve` serves the dashboard bundle (issue 6): SPA fallback to index.html for
// client routes, long-lived caching only for hashed assets, the placeholder page when the
// files are absent, settings.dashboardEnabled=false turning it off, and the catalogue route
// the model form reads its presets from.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rawRequest, startServer } from './lib/server.mjs';
import { setupAdmin, createUser } from './lib/accounts.mjs';
import { expectStatus, expectError } from './lib/expect.mjs';

const T = { timeout: 30_000 };
const INDEX = '<!doctype html><html><head><title>Routerly test bundle</title></head><body><div id="root"></div></body></html>';
let bundle, srv, admin, noBundleSrv;

before(async () => {
  bundle = mkdtempSync(path.join(os.tmpdir(), 'routerly-bundle-'));
  mkdirSync(path.join(bundle, 'assets'));
  writeFileSync(path.join(bundle, 'index.html'), INDEX);
  writeFileSync(path.join(bundle, 'assets', 'index-abc123.js'), 'console.log("bundle");');
  writeFileSync(path.join(bundle, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(path.join(bundle, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  srv = await startServer({ env: { ROUTERLY_DASHBOARD_DIR: bundle } });
  admin = await setupAdmin(srv);
  noBundleSrv = await startServer({ env: { ROUTERLY_DASHBOARD_DIR: path.join(bundle, 'missing') } });
});

after(async () => {
  await srv?.stop();
  await noBundleSrv?.stop();
  rmSync(bundle, { recursive: true, force: true });
});

test('hashed assets are served with their type and a one-year immutable cache', T, async () => {
  const js = await srv.api('GET', '/dashboard/assets/index-abc123.js');
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  assert.match(js.headers.get('cache-control'), /max-age=31536000/);
  assert.match(js.headers.get('cache-control'), /immutable/);
  assert.equal(js.text, 'console.log("bundle");');
  const css = await srv.api('GET', '/dashboard/assets/index-abc123.css');
  assert.match(css.headers.get('content-type'), /^text\/css/);
  const icon = await srv.api('GET', '/dashboard/favicon.svg');
  assert.match(icon.headers.get('content-type'), /^image\/svg\+xml/);
  assert.equal(icon.headers.get('cache-control'), 'no-cache');
});

test('client routes fall back to index.html, never cached', T, async () => {
  for (const p of ['/dashboard/', '/dashboard/login', '/dashboard/projects/abc/routing', '/dashboard/usage/123?x=1']) {
    const res = await srv.api('GET', p);
    assert.equal(res.status, 200, p);
    assert.match(res.headers.get('content-type'), /^text\/html/, p);
    assert.equal(res.headers.get('cache-control'), 'no-cache', p);
    assert.equal(res.text, INDEX, p);
  }
});

test('paths escaping the bundle directory never read files outside it', T, async () => {
  // Sent over a raw socket: fetch would normalise the dot segments away before sending.
  writeFileSync(path.join(path.dirname(bundle), 'routerly-outside-secret.txt'), 'outside-secret');
  const name = path.basename(bundle);
  for (const p of ['/dashboard/../routerly-outside-secret.txt', '/dashboard/%2e%2e/routerly-outside-secret.txt',
                   `/dashboard/assets/..%2f..%2f..%2f${name}%2f..%2frouterly-outside-secret.txt`, '/dashboard/../../../../etc/passwd']) {
    const res = await rawRequest(srv.port, `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close`);
    assert.ok([200, 400, 401, 404].includes(res.status), `${p}: ${res.status}`);
    assert.doesNotMatch(res.text, /outside-secret|root:/, p);
  }
  rmSync(path.join(path.dirname(bundle), 'routerly-outside-secret.txt'), { force: true });
});

test('a missing asset under assets/ is the SPA index only for non-asset paths', T, async () => {
  const res = await srv.api('GET', '/dashboard/assets/missing-file.js');
  // Unknown files still answer the index (the SPA shows its 404 page); never a server error.
  assert.equal(res.status, 200);
  assert.equal(res.text, INDEX);
});

test('dashboard responses carry a same-origin content security policy', T, async () => {
  for (const p of ['/dashboard/', '/dashboard/assets/index-abc123.js']) {
    const res = await srv.api('GET', p);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/, p);
    assert.match(csp, /script-src 'self'(;|$)/, `${p}: no inline or foreign scripts`);
    assert.match(csp, /frame-ancestors 'none'/, p);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', p);
  }
});

test('without the bundle the service still starts and explains itself at /dashboard/', T, async () => {
  const res = await noBundleSrv.api('GET', '/dashboard/');
  assert.equal(res.status, 200);
  assert.match(res.text, /dashboard files are not installed/);
  const health = await noBundleSrv.api('GET', '/health');
  assert.equal(health.status, 200);
});

test('settings.dashboardEnabled=false turns the dashboard off; true brings it back', T, async () => {
  expectStatus(await srv.api('PUT', '/api/settings', { token: admin.token, body: { dashboardEnabled: false } }), 200);
  expectError(await srv.api('GET', '/dashboard/'), 404, 'not_found', 'dashboardEnabled');
  expectError(await srv.api('GET', '/dashboard/assets/index-abc123.js'), 404, 'not_found');
  expectStatus(await srv.api('PUT', '/api/settings', { token: admin.token, body: { dashboardEnabled: true } }), 200);
  assert.equal((await srv.api('GET', '/dashboard/')).status, 200);
});

test('GET /api/providers lists the catalogue with presets for model forms', T, async () => {
  const list = expectStatus(await srv.api('GET', '/api/providers', { token: admin.token }), 200);
  const ids = list.map((p) => p.id);
  for (const id of ['openai', 'anthropic', 'gemini', 'ollama', 'custom', 'mistral', 'groq']) assert.ok(ids.includes(id), id);
  const openai = list.find((p) => p.id === 'openai');
  assert.equal(openai.wire, 'openai');
  assert.match(openai.endpoint, /^https:\/\/api\.openai\.com/);
  const mini = openai.models.find((m) => m.id === 'gpt-4o-mini');
  assert.ok(mini, 'gpt-4o-mini preset');
  assert.ok(mini.input > 0 && mini.output > mini.input, 'prices per 1M');
  assert.ok(mini.contextWindow > 0);
  assert.equal(list.find((p) => p.id === 'anthropic').wire, 'anthropic');
  expectError(await srv.api('GET', '/api/providers'), 401, 'unauthorized');
  const viewer = await createUser(srv, admin.token, { role: 'viewer' });
  expectStatus(await srv.api('GET', '/api/providers', { token: viewer.token }), 200);
});
