// Password throttling that cannot lock other people out: an (account, address) pair is blocked
// after 10 failures within 15 minutes and an address after 50 (429, even for the right
// password); an account alone is only answered more slowly. PUT /api/me with a wrong
// currentPassword counts like a failed login. X-Forwarded-For is believed only from
// settings.trustedProxies.
// Requests are sent from distinct loopback addresses (127.0.0.x) so that the rules can be told apart.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { PASSWORD, createUser, setupAdmin } from './lib/accounts.mjs';
import { expectError, expectStatus } from './lib/expect.mjs';
import { rawRequest, startServer } from './lib/server.mjs';

const T = { timeout: 120_000 };
const servers = [];
after(async () => {
  for (const s of servers) await s.dispose();
});

async function freshServer() {
  const srv = await startServer();
  servers.push(srv);
  const admin = await setupAdmin(srv);
  return { srv, admin };
}

function sendFrom(srv, address, method, path, payload, extraHeaders = []) {
  const body = JSON.stringify(payload);
  const head = [
    `${method} ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${srv.port}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...extraHeaders,
  ].join('\r\n');
  return rawRequest(srv.port, head, { body: [Buffer.from(body)], localAddress: address, timeout: 30_000 });
}

const loginFrom = (srv, address, email, password, headers) =>
  sendFrom(srv, address, 'POST', '/api/auth/login', { email, password }, headers);

test('10 wrong passwords from one address block that address for that account only', T, async () => {
  const { srv, admin } = await freshServer();
  const victim = await createUser(srv, admin.token, { role: 'viewer' });
  for (let i = 0; i < 10; i++) {
    expectError(await loginFrom(srv, '127.0.0.10', victim.email, `wrong password ${i}`), 401, 'unauthorized');
  }
  // The pair is blocked, even for the right password …
  const blocked = await loginFrom(srv, '127.0.0.10', victim.email, PASSWORD);
  expectError(blocked, 429, 'rate_limited');
  assert.ok(Number(blocked.headers['retry-after']) > 0);
  // … while the account's owner still signs in from elsewhere, and the address for other accounts.
  expectStatus(await loginFrom(srv, '127.0.0.11', victim.email, PASSWORD), 200);
  expectStatus(await loginFrom(srv, '127.0.0.10', admin.email, admin.password), 200);
  // Sessions issued before keep working.
  expectStatus(await srv.api('GET', '/api/me', { token: victim.token }), 200);
});

test('an attacker on other addresses cannot lock the admin out: only slower answers', T, async () => {
  const { srv, admin } = await freshServer();
  // 30 failures for the admin account from 15 addresses (two each, in parallel batches).
  for (let round = 0; round < 2; round++) {
    const attempts = [];
    for (let i = 0; i < 15; i++) attempts.push(loginFrom(srv, `127.0.2.${10 + i}`, admin.email, `guess ${round}-${i}`));
    for (const res of await Promise.all(attempts)) expectError(res, 401, 'unauthorized');
  }
  const started = Date.now();
  const ok = expectStatus(await loginFrom(srv, '127.0.2.200', admin.email, admin.password), 200);
  const took = Date.now() - started;
  assert.equal(typeof ok.token, 'string');
  assert.ok(took >= 1000, `the answer was slowed down (${took} ms)`);
  assert.ok(took < 10_000, `the delay is bounded (${took} ms)`);
  // The server stays responsive meanwhile: the delay holds no thread.
  const slow = loginFrom(srv, '127.0.2.201', admin.email, 'still guessing');
  const t0 = Date.now();
  expectStatus(await srv.api('GET', '/health'), 200);
  assert.ok(Date.now() - t0 < 1000, 'health answered while a login waits');
  expectError(await slow, 401, 'unauthorized');
});

test('50 failures from one address across different emails → 429 for any account from it', T, async () => {
  const { srv, admin } = await freshServer();
  const attempts = [];
  for (let i = 0; i < 50; i++) attempts.push(loginFrom(srv, '127.0.0.2', `nobody${i}@example.com`, 'whatever password'));
  for (const res of await Promise.all(attempts)) expectError(res, 401, 'unauthorized');
  expectError(await loginFrom(srv, '127.0.0.2', 'nobody-else@example.com', 'whatever password'), 429, 'rate_limited');
  // The address is blocked even for a correct login …
  expectError(await loginFrom(srv, '127.0.0.2', admin.email, admin.password), 429, 'rate_limited');
  // … while another address still logs in.
  const ok = expectStatus(await loginFrom(srv, '127.0.0.3', admin.email, admin.password), 200);
  assert.equal(typeof ok.token, 'string');
});

test('nine failures do not block the pair', T, async () => {
  const { srv, admin } = await freshServer();
  const u = await createUser(srv, admin.token, { role: 'viewer' });
  for (let i = 0; i < 9; i++) {
    expectError(await loginFrom(srv, '127.0.1.10', u.email, 'wrong password'), 401, 'unauthorized');
  }
  expectStatus(await loginFrom(srv, '127.0.1.10', u.email, u.password), 200);
});

test('PUT /api/me with a wrong currentPassword counts like a failed login', T, async () => {
  const { srv, admin } = await freshServer();
  const u = await createUser(srv, admin.token, { role: 'viewer' });
  const auth = [`Authorization: Bearer ${u.token}`];
  for (let i = 0; i < 10; i++) {
    const res = await sendFrom(srv, '127.0.3.10', 'PUT', '/api/me', { currentPassword: `guess ${i}`, newPassword: 'new password 123' }, auth);
    expectError(res, 400, 'validation_error', 'currentPassword');
  }
  const blocked = await sendFrom(srv, '127.0.3.10', 'PUT', '/api/me', { currentPassword: PASSWORD }, auth);
  expectError(blocked, 429, 'rate_limited');
  expectError(await loginFrom(srv, '127.0.3.10', u.email, PASSWORD), 429, 'rate_limited');
  expectStatus(await loginFrom(srv, '127.0.3.11', u.email, PASSWORD), 200);
});

test('X-Forwarded-For is believed only from settings.trustedProxies', T, async () => {
  const { srv, admin } = await freshServer();
  const u = await createUser(srv, admin.token, { role: 'viewer' });
  const via = (client) => [`X-Forwarded-For: ${client}`];
  // Not trusted (the default): the header is ignored and the peer address counts.
  for (let i = 0; i < 10; i++) {
    expectError(await loginFrom(srv, '127.0.4.10', u.email, 'wrong', via(`198.51.100.${i}`)), 401, 'unauthorized');
  }
  expectError(await loginFrom(srv, '127.0.4.10', u.email, PASSWORD, via('198.51.100.99')), 429, 'rate_limited');

  expectError(await srv.api('PUT', '/api/settings', { token: admin.token, body: { trustedProxies: ['127.0.4.0/33'] } }), 400, 'validation_error', 'trustedProxies[0]');
  expectError(await srv.api('PUT', '/api/settings', { token: admin.token, body: { trustedProxies: '127.0.4.0/24' } }), 400, 'validation_error', 'trustedProxies');
  const saved = expectStatus(await srv.api('PUT', '/api/settings', { token: admin.token, body: { trustedProxies: ['127.0.5.0/24'] } }), 200);
  const w = await createUser(srv, admin.token, { role: 'viewer' });
  assert.deepEqual(saved.trustedProxies, ['127.0.5.0/24']);
  // From the proxy, each forwarded client is its own address.
  for (let i = 0; i < 10; i++) {
    expectError(await loginFrom(srv, '127.0.5.1', w.email, 'wrong', via('203.0.113.7')), 401, 'unauthorized');
  }
  expectError(await loginFrom(srv, '127.0.5.1', w.email, PASSWORD, via('203.0.113.7')), 429, 'rate_limited');
  // A client spoofing a left-most entry does not escape its own address.
  expectError(await loginFrom(srv, '127.0.5.1', w.email, PASSWORD, via('192.0.2.1, 203.0.113.7')), 429, 'rate_limited');
  expectStatus(await loginFrom(srv, '127.0.5.1', w.email, PASSWORD, via('203.0.113.8')), 200);
});
