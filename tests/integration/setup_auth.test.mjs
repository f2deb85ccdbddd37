// Health, root redirects, setup, sessions (login, JWT, refresh rotation, logout), /api/me.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN_EMAIL, PASSWORD, createUser, login, unique } from './lib/accounts.mjs';
import { ISO_RE, SEMVER_RE, allKeys, expectError, expectStatus } from './lib/expect.mjs';
import { startServer } from './lib/server.mjs';

const T = { timeout: 60_000 };
let srv;
let admin; // first-admin session

before(async () => {
  srv = await startServer();
});
after(async () => {
  await srv?.dispose();
});

const b64urlJson = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

function expectSession(s, { email, role }) {
  assert.deepEqual(Object.keys(s).sort(), ['expiresIn', 'refreshToken', 'token', 'user']);
  assert.equal(s.expiresIn, 86400);
  assert.equal(typeof s.token, 'string');
  assert.equal(typeof s.refreshToken, 'string');
  assert.ok(s.refreshToken.length >= 32, 'refresh token has enough entropy');
  assert.deepEqual(Object.keys(s.user).sort(), ['email', 'id', 'permissions', 'role']);
  assert.equal(s.user.email, email);
  assert.equal(s.user.role, role);
  assert.ok(Array.isArray(s.user.permissions));
}

test('GET /health answers status, semver version, timestamp and store', T, async () => {
  const res = await srv.api('GET', '/health');
  const h = expectStatus(res, 200);
  assert.equal(h.status, 'ok');
  assert.match(h.version, SEMVER_RE);
  assert.match(h.timestamp, ISO_RE);
  assert.ok(Math.abs(Date.parse(h.timestamp) - Date.now()) < 60_000, 'timestamp is now');
  assert.equal(h.store, 'ok');
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
});

test('GET / and GET /dashboard redirect to /dashboard/, which serves HTML', T, async () => {
  for (const p of ['/', '/dashboard']) {
    const res = await srv.api('GET', p);
    assert.equal(res.status, 302, `${p}: ${res.status}`);
    assert.equal(new URL(res.headers.get('location'), srv.base).pathname, '/dashboard/', p);
  }
  const res = await srv.api('GET', '/dashboard/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  assert.match(res.text, /<html|<!doctype html/i);
});

test('GET /api/system/info is public and has the version keys with updateInfo null, without paths', T, async () => {
  const info = expectStatus(await srv.api('GET', '/api/system/info'), 200);
  for (const k of ['version', 'nodeVersion', 'platform', 'uptimeSeconds', 'channel', 'isDocker', 'updateInfo']) {
    assert.ok(k in info, `missing ${k}`);
  }
  // Filesystem paths are for a signed-in admin only.
  assert.ok(!('configDir' in info) && !('dataDir' in info), JSON.stringify(info));
  assert.match(info.version, SEMVER_RE);
  assert.equal(info.platform, 'linux');
  assert.ok(Number.isInteger(info.uptimeSeconds) && info.uptimeSeconds >= 0);
  assert.equal(info.channel, 'latest');
  assert.equal(info.isDocker, false);
  assert.equal(info.updateInfo, null);
});

test('setup status before setup: not configured', T, async () => {
  const s = expectStatus(await srv.api('GET', '/api/setup/status'), 200);
  assert.deepEqual(s, { configured: false, needsSetup: true });
});

test('first-admin validates email and password, naming the field', T, async () => {
  const badEmail = await srv.api('POST', '/api/setup/first-admin', { body: { email: 'not-an-email', password: PASSWORD } });
  expectError(badEmail, 400, 'validation_error', 'email');
  const shortPw = await srv.api('POST', '/api/setup/first-admin', { body: { email: ADMIN_EMAIL, password: 'short' } });
  expectError(shortPw, 400, 'validation_error', 'password');
  const missing = await srv.api('POST', '/api/setup/first-admin', { body: { email: ADMIN_EMAIL } });
  expectError(missing, 400, 'validation_error', 'password');
  // Nothing was created by the refused attempts.
  assert.equal(expectStatus(await srv.api('GET', '/api/setup/status'), 200).needsSetup, true);
});

test('first-admin creates the admin and answers a session', T, async () => {
  const res = await srv.api('POST', '/api/setup/first-admin', { body: { email: ADMIN_EMAIL, password: PASSWORD } });
  admin = expectStatus(res, 201);
  expectSession(admin, { email: ADMIN_EMAIL, role: 'admin' });
  assert.equal(admin.user.permissions.length, 7);
  const s = expectStatus(await srv.api('GET', '/api/setup/status'), 200);
  assert.deepEqual(s, { configured: true, needsSetup: false });
});

test('GET /api/system/info shows configDir and dataDir to a signed-in admin, not to others', T, async () => {
  const info = expectStatus(await srv.api('GET', '/api/system/info', { token: admin.token }), 200);
  assert.ok(info.configDir.startsWith('/') && info.dataDir.startsWith('/'), 'dirs are absolute');
  const viewer = await createUser(srv, admin.token, { role: 'viewer' });
  const seen = expectStatus(await srv.api('GET', '/api/system/info', { token: viewer.token }), 200);
  assert.ok(!('configDir' in seen) && !('dataDir' in seen), JSON.stringify(seen));
});

test('first-admin is refused once configured', T, async () => {
  const res = await srv.api('POST', '/api/setup/first-admin', { body: { email: 'second@example.com', password: PASSWORD } });
  expectError(res, 403, 'forbidden');
  const loginSecond = await srv.api('POST', '/api/auth/login', { body: { email: 'second@example.com', password: PASSWORD } });
  expectError(loginSecond, 401, 'unauthorized');
});

test('login answers the session shape; the JWT is a standard HS256 token of 24 h', T, async () => {
  const s = expectStatus(await srv.api('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: PASSWORD } }), 200);
  expectSession(s, { email: ADMIN_EMAIL, role: 'admin' });
  assert.deepEqual([...s.user.permissions].sort(), [
    'model:read', 'model:write', 'project:read', 'project:write', 'report:read', 'user:read', 'user:write',
  ]);
  const parts = s.token.split('.');
  assert.equal(parts.length, 3);
  for (const p of parts) assert.match(p, /^[A-Za-z0-9_-]+$/, 'base64url without padding');
  assert.deepEqual(b64urlJson(parts[0]), { alg: 'HS256', typ: 'JWT' });
  const claims = b64urlJson(parts[1]);
  for (const k of ['sub', 'role', 'iat', 'exp', 'jti']) assert.ok(k in claims, `claim ${k}`);
  assert.equal(claims.sub, s.user.id);
  assert.equal(claims.role, 'admin');
  assert.ok(Number.isInteger(claims.iat) && Number.isInteger(claims.exp), 'seconds, not milliseconds');
  assert.equal(claims.exp - claims.iat, 86400);
  assert.ok(Math.abs(claims.iat - Date.now() / 1000) < 120, 'iat is now, in seconds');
  const other = await login(srv, ADMIN_EMAIL);
  assert.notEqual(b64urlJson(other.token.split('.')[1]).jti, claims.jti, 'jti differs per token');
  expectStatus(await srv.api('GET', '/api/me', { token: s.token }), 200);
});

test('a tampered or unsigned JWT is refused', T, async () => {
  const [h, p, sig] = admin.token.split('.');
  const claims = b64urlJson(p);
  const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin', exp: claims.exp + 1 })).toString('base64url');
  expectError(await srv.api('GET', '/api/me', { token: `${h}.${forged}.${sig}` }), 401, 'unauthorized');
  const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  expectError(await srv.api('GET', '/api/me', { token: `${none}.${p}.` }), 401, 'unauthorized');
  expectError(await srv.api('GET', '/api/me', { token: 'garbage' }), 401, 'unauthorized');
  expectError(await srv.api('GET', '/api/me'), 401, 'unauthorized');
});

test('wrong password and unknown email → 401 unauthorized', T, async () => {
  const wrong = await srv.api('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: 'wrong password!' } });
  expectError(wrong, 401, 'unauthorized');
  const unknown = await srv.api('POST', '/api/auth/login', { body: { email: 'nobody@example.com', password: PASSWORD } });
  expectError(unknown, 401, 'unauthorized');
});

test('refresh rotates; reusing a rotated token revokes the whole session family', T, async () => {
  const s1 = await login(srv, ADMIN_EMAIL);
  const r2 = await srv.api('POST', '/api/auth/refresh', { body: { refreshToken: s1.refreshToken } });
  const s2 = expectStatus(r2, 200);
  expectSession(s2, { email: ADMIN_EMAIL, role: 'admin' });
  assert.notEqual(s2.refreshToken, s1.refreshToken, 'a new refresh token');
  expectStatus(await srv.api('GET', '/api/me', { token: s2.token }), 200);

  const s3 = expectStatus(await srv.api('POST', '/api/auth/refresh', { body: { refreshToken: s2.refreshToken } }), 200);
  // Reuse of the rotated token s1: refused, and the family (s3's refresh token) dies with it.
  const reuse = await srv.api('POST', '/api/auth/refresh', { body: { refreshToken: s1.refreshToken } });
  expectError(reuse, 401, 'unauthorized');
  const newest = await srv.api('POST', '/api/auth/refresh', { body: { refreshToken: s3.refreshToken } });
  expectError(newest, 401, 'unauthorized');

  // Another session of the same user is not part of that family.
  const other = await login(srv, ADMIN_EMAIL);
  expectStatus(await srv.api('POST', '/api/auth/refresh', { body: { refreshToken: other.refreshToken } }), 200);

  expectError(await srv.api('POST', '/api/auth/refresh', { body: { refreshToken: 'nope' } }), 401, 'unauthorized');
});

test('logout revokes the JWT and the refresh token of that session only', T, async () => {
  const s = await login(srv, ADMIN_EMAIL);
  const keep = await login(srv, ADMIN_EMAIL);
  const res = await srv.api('POST', '/api/auth/logout', { token: s.token, body: { refreshToken: s.refreshToken } });
  assert.equal(res.status, 204, res.text);
  assert.equal(res.text, '');
  expectError(await srv.api('GET', '/api/me', { token: s.token }), 401, 'unauthorized');
  expectError(await srv.api('POST', '/api/auth/refresh', { body: { refreshToken: s.refreshToken } }), 401, 'unauthorized');
  expectStatus(await srv.api('GET', '/api/me', { token: keep.token }), 200);

  // Without a body the session is found from the JWT.
  const t = await login(srv, ADMIN_EMAIL);
  assert.equal((await srv.api('POST', '/api/auth/logout', { token: t.token })).status, 204);
  expectError(await srv.api('GET', '/api/me', { token: t.token }), 401, 'unauthorized');
  expectError(await srv.api('POST', '/api/auth/refresh', { body: { refreshToken: t.refreshToken } }), 401, 'unauthorized');

  expectError(await srv.api('POST', '/api/auth/logout'), 401, 'unauthorized');
});

test('GET /api/me answers the user shape without secrets', T, async () => {
  const me = expectStatus(await srv.api('GET', '/api/me', { token: admin.token }), 200);
  for (const k of ['id', 'email', 'roleId', 'role', 'projectIds', 'createdAt']) assert.ok(k in me, `missing ${k}`);
  assert.equal(me.id, admin.user.id);
  assert.equal(me.email, ADMIN_EMAIL);
  assert.equal(me.roleId, 'admin');
  assert.equal(me.role, 'admin');
  assert.deepEqual(me.projectIds, []);
  assert.match(me.createdAt, ISO_RE);
  for (const k of allKeys(me)) assert.doesNotMatch(k, /hash|password/i);
});

test('PUT /api/me: wrong current password → 400 naming currentPassword; email change', T, async () => {
  const u = await createUser(srv, admin.token, { role: 'viewer' });
  const wrong = await srv.api('PUT', '/api/me', { token: u.token, body: { currentPassword: 'not it at all', newEmail: 'x@example.com' } });
  expectError(wrong, 400, 'validation_error', 'currentPassword');
  const missing = await srv.api('PUT', '/api/me', { token: u.token, body: { newEmail: 'x@example.com' } });
  expectError(missing, 400, 'validation_error', 'currentPassword');
  const taken = await srv.api('PUT', '/api/me', { token: u.token, body: { currentPassword: u.password, newEmail: ADMIN_EMAIL } });
  expectError(taken, 409, 'conflict');

  const newEmail = `${unique('renamed')}@example.com`;
  const me = expectStatus(await srv.api('PUT', '/api/me', { token: u.token, body: { currentPassword: u.password, newEmail } }), 200);
  assert.equal(me.email, newEmail);
  assert.equal(me.id, u.user.id);
  expectStatus(await srv.api('GET', '/api/me', { token: u.token }), 200);
  await login(srv, newEmail, u.password);
  const old = await srv.api('POST', '/api/auth/login', { body: { email: u.email, password: u.password } });
  expectError(old, 401, 'unauthorized');
});

test('PUT /api/me password change ends the other sessions, not the current one', T, async () => {
  const u = await createUser(srv, admin.token, { role: 'viewer' });
  const current = u.session;
  const other = await login(srv, u.email, u.password);
  const short = await srv.api('PUT', '/api/me', { token: current.token, body: { currentPassword: u.password, newPassword: 'short' } });
  expectError(short, 400, 'validation_error', 'newPassword');

  const newPassword = 'a brand new password';
  expectStatus(await srv.api('PUT', '/api/me', { token: current.token, body: { currentPassword: u.password, newPassword } }), 200);
  expectStatus(await srv.api('GET', '/api/me', { token: current.token }), 200);
  expectError(await srv.api('GET', '/api/me', { token: other.token }), 401, 'unauthorized');
  expectError(await srv.api('POST', '/api/auth/refresh', { body: { refreshToken: other.refreshToken } }), 401, 'unauthorized');
  expectStatus(await srv.api('POST', '/api/auth/refresh', { body: { refreshToken: current.refreshToken } }), 200);
  expectError(await srv.api('POST', '/api/auth/login', { body: { email: u.email, password: u.password } }), 401, 'unauthorized');
  await login(srv, u.email, newPassword);
});

test('update-check and releases need a session and answer offline', T, async () => {
  expectError(await srv.api('GET', '/api/system/update-check'), 401, 'unauthorized');
  expectError(await srv.api('GET', '/api/system/releases'), 401, 'unauthorized');
  const started = Date.now();
  const u = expectStatus(await srv.api('GET', '/api/system/update-check', { token: admin.token }), 200);
  assert.ok(Date.now() - started < 5000, 'answers without waiting for a network');
  assert.equal(u.available, false);
  assert.match(u.currentVersion, SEMVER_RE);
  assert.equal(u.latestVersion, u.currentVersion);
  assert.equal(u.channel, 'latest');
  assert.match(u.checkedAt, ISO_RE);
  const r = expectStatus(await srv.api('GET', '/api/system/releases', { token: admin.token }), 200);
  assert.deepEqual(r, { channels: ['latest', 'stable', 'develop'], versions: [] });
});

test('POST /api/system/update is refused (403) even for the admin; 401 without a session', T, async () => {
  expectError(await srv.api('POST', '/api/system/update', { token: admin.token }), 403, 'forbidden');
  expectError(await srv.api('POST', '/api/system/update'), 401, 'unauthorized');
});

test("a deleted user's JWT and refresh token stop working at once", T, async () => {
  const u = await createUser(srv, admin.token, { role: 'operator' });
  expectStatus(await srv.api('GET', '/api/me', { token: u.token }), 200);
  assert.equal((await srv.api('DELETE', `/api/users/${u.user.id}`, { token: admin.token })).status, 204);
  expectError(await srv.api('GET', '/api/me', { token: u.token }), 401, 'unauthorized');
  expectError(await srv.api('GET', '/api/models', { token: u.token }), 401, 'unauthorized');
  expectError(await srv.api('POST', '/api/auth/refresh', { body: { refreshToken: u.session.refreshToken } }), 401, 'unauthorized');
});

test('a role change applies to an existing JWT at once', T, async () => {
  const u = await createUser(srv, admin.token, { role: 'viewer' });
  expectError(await srv.api('GET', '/api/users', { token: u.token }), 403, 'forbidden', 'user:read');
  expectStatus(await srv.api('PUT', `/api/users/${u.user.id}`, { token: admin.token, body: { role: 'operator' } }), 200);
  expectStatus(await srv.api('GET', '/api/users', { token: u.token }), 200);
});
