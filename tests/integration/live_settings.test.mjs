// Settings that apply at once: a PUT /api/settings changes what the running server enforces,
// without a restart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ADMIN_EMAIL, PASSWORD, setupAdmin } from './lib/accounts.mjs';
import { expectStatus } from './lib/expect.mjs';
import { startServer } from './lib/server.mjs';

const T = { timeout: 30_000 };

// A login whose body is padded to `size` bytes (valid JSON, so a body within the limit gets an
// ordinary answer).
const paddedLogin = (size) => {
  const base = JSON.stringify({ email: ADMIN_EMAIL, password: PASSWORD, pad: '' });
  return JSON.stringify({ email: ADMIN_EMAIL, password: PASSWORD, pad: 'x'.repeat(size - base.length) });
};

describe('live settings', () => {
  let srv;
  let admin;
  before(async () => {
    srv = await startServer();
    admin = await setupAdmin(srv);
  });
  after(async () => {
    await srv?.dispose();
  });

  test('maxBodyBytes lowered by PUT /api/settings answers 413 at once; raised again, the body passes', T, async () => {
    const body = paddedLogin(4096);
    assert.equal(Buffer.byteLength(body), 4096);
    expectStatus(await srv.api('POST', '/api/auth/login', { rawBody: body }), 200);

    expectStatus(await srv.api('PUT', '/api/settings', { token: admin.token, body: { maxBodyBytes: 2048 } }), 200);
    const refused = await srv.api('POST', '/api/auth/login', { rawBody: body });
    assert.equal(refused.status, 413, refused.text);
    assert.equal(refused.json.error, 'payload_too_large');
    assert.match(refused.json.message, /2048 bytes/);
    expectStatus(await srv.api('POST', '/api/auth/login', { rawBody: paddedLogin(2000) }), 200);

    expectStatus(await srv.api('PUT', '/api/settings', { token: admin.token, body: { maxBodyBytes: null } }), 200);
    expectStatus(await srv.api('POST', '/api/auth/login', { rawBody: body }), 200);
  });

  test('shutdownGraceMs is a setting with its default, validated', T, async () => {
    const settings = expectStatus(await srv.api('GET', '/api/settings', { token: admin.token }), 200);
    assert.equal(settings.shutdownGraceMs, 10000);
    const bad = await srv.api('PUT', '/api/settings', { token: admin.token, body: { shutdownGraceMs: -5 } });
    assert.equal(bad.status, 400, bad.text);
    assert.match(bad.text, /shutdownGraceMs/);
  });
});
