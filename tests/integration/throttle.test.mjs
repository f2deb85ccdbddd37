// Login throttling (SPEC §00 P21): 10 failures per account or per client address within
// 15 minutes, then 429 rate_limited — even for the correct password.
// Requests are sent from distinct loopback addresses (127.0.0.x) so that the account limit
// and the address limit can be told apart.
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

function loginFrom(srv, address, email, password) {
  const body = JSON.stringify({ email, password });
  const head = [
    'POST /api/auth/login HTTP/1.1',
    `Host: 127.0.0.1:${srv.port}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ].join('\r\n');
  return rawRequest(srv.port, head, { body: [Buffer.from(body)], localAddress: address });
}

test('10 wrong passwords for one account (from many addresses) → the 11th attempt is 429, even with the right password', T, async () => {
  const { srv, admin } = await freshServer();
  const victim = await createUser(srv, admin.token, { role: 'viewer' });
  for (let i = 0; i < 10; i++) {
    const res = await loginFrom(srv, `127.0.0.${10 + i}`, victim.email, `wrong password ${i}`);
    expectError(res, 401, 'unauthorized');
  }
  const blocked = await loginFrom(srv, '127.0.0.30', victim.email, PASSWORD);
  expectError(blocked, 429, 'rate_limited');
  // Other accounts are not affected by this account's block.
  expectStatus(await loginFrom(srv, '127.0.0.31', admin.email, admin.password), 200);
  // Sessions issued before the block keep working.
  expectStatus(await srv.api('GET', '/api/me', { token: victim.token }), 200);
});

test('10 failures from one address across different unknown emails → 429 for an 11th email from it', T, async () => {
  const { srv, admin } = await freshServer();
  for (let i = 0; i < 10; i++) {
    const res = await loginFrom(srv, '127.0.0.2', `nobody${i}@example.com`, 'whatever password');
    expectError(res, 401, 'unauthorized');
  }
  expectError(await loginFrom(srv, '127.0.0.2', 'nobody-else@example.com', 'whatever password'), 429, 'rate_limited');
  // The address is blocked even for a correct login …
  expectError(await loginFrom(srv, '127.0.0.2', admin.email, admin.password), 429, 'rate_limited');
  // … while another address still logs in.
  const ok = expectStatus(await loginFrom(srv, '127.0.0.3', admin.email, admin.password), 200);
  assert.equal(typeof ok.token, 'string');
});

test('nine failures do not block the account', T, async () => {
  const { srv, admin } = await freshServer();
  const u = await createUser(srv, admin.token, { role: 'viewer' });
  for (let i = 0; i < 9; i++) {
    expectError(await loginFrom(srv, `127.0.1.${10 + i}`, u.email, 'wrong password'), 401, 'unauthorized');
  }
  expectStatus(await loginFrom(srv, '127.0.1.40', u.email, u.password), 200);
});
