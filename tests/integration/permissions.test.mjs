// The permission matrix of docs/management-api.md, driven by the route table below, plus
// project membership (SPEC §00 P20).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { PASSWORD, createModel, createProject, createRole, createUser, login, setupAdmin, unique } from './lib/accounts.mjs';
import { expectError, expectStatus } from './lib/expect.mjs';
import { startServer } from './lib/server.mjs';

const T = { timeout: 60_000 };
const enc = encodeURIComponent;
const MISSING_ID = '0190a6f2-0000-7000-8000-000000000000';

// Global permissions of the callers (contract: "Permissions").
const PERMS = {
  admin: ['project:read', 'project:write', 'model:read', 'model:write', 'user:read', 'user:write', 'report:read'],
  operator: ['project:read', 'project:write', 'model:read', 'model:write', 'report:read', 'user:read'],
  viewer: ['project:read', 'model:read', 'report:read'],
  usermgr: ['user:read', 'user:write', 'report:read'], // a custom role that manages users
  none: [], // a custom role without permissions
};
const CALLERS = ['anonymous', 'garbage', 'forged', 'admin', 'operator', 'viewer', 'usermgr', 'none'];

let srv;
const fx = {}; // fixtures: tokens per caller and ids of resources
const admin = () => fx.tokens.admin;
const adminApi = (method, path, body) => srv.api(method, path, { token: admin(), body });

// The first permission of a granted (or managed) role that the caller lacks: nobody grants more
// than it holds, and only an admin grants the admin role.
function missingGrant(caller, grants) {
  if (!grants) return undefined;
  const perms = PERMS[caller];
  const missing = grants.find((p) => !perms.includes(p));
  if (missing) return missing;
  return grants === PERMS.admin && caller !== 'admin' ? 'admin' : undefined;
}

// What the contract's "Needs" column means for a caller: 'allowed', or the refusal status.
// None of the callers is a member of the fixture project, so project access comes from the
// global role alone: no read access → 404 (invisible), read but no write → 403.
function expectedFor(needs, caller, opts = {}) {
  if (needs === 'public') return 'allowed';
  if (['anonymous', 'garbage', 'forged'].includes(caller)) return 401;
  const perms = PERMS[caller];
  switch (needs) {
    case 'session':
      return 'allowed';
    case 'role admin, unavailable':
      return 403;
    case 'project read':
      return perms.includes('project:read') ? 'allowed' : 404;
    case 'project write':
    case 'project:write or member admin':
      if (perms.includes('project:write')) return 'allowed';
      return perms.includes('project:read') ? 403 : 404;
    default:
      if (!perms.includes(needs)) return 403;
      return missingGrant(caller, opts.grants) ? 403 : 'allowed';
  }
}

// [method, path, needs, {body, prepare, ok, fresh}]. Path placeholders name fixtures (see
// `resolve`); `{new}`/`{new-slug}` is the throwaway that `prepare` makes (as the admin) before
// each call; `body` may be a function of it; `ok` lists the success statuses when not 2xx;
// `fresh` uses a fresh session of the caller (for logout).
const P = () => fx.project.id;
const resolve = (path, prep) =>
  path.replace(/\{([a-z0-9-]+)\}/g, (_, name) => {
    const values = {
      model: enc(fx.model.id),
      p: fx.project.id,
      slug: fx.project.slug,
      token: fx.project.tokens[0].id,
      member: fx.member.id,
      candidate2: fx.candidate2.id,
      victim: fx.victim.id,
      role: fx.role.id,
      admin: fx.adminId,
      missing: MISSING_ID,
      new: prep.id && enc(prep.id),
      'new-slug': prep.slug,
    };
    assert.ok(values[name], `placeholder {${name}} has a value`);
    return values[name];
  });
const ROUTES = [
  ['GET', '/health', 'public'],
  ['GET', '/api/setup/status', 'public'],
  ['POST', '/api/setup/first-admin', 'public', { body: { email: 'late@example.com', password: PASSWORD }, ok: [403] }],
  ['POST', '/api/auth/login', 'public', { body: () => ({ email: fx.adminEmail, password: PASSWORD }) }],
  ['POST', '/api/auth/refresh', 'public', {
    prepare: async () => ({ refreshToken: (await login(srv, fx.adminEmail)).refreshToken }),
    body: (p) => ({ refreshToken: p.refreshToken }),
  }],
  ['GET', '/api/system/info', 'public'],
  ['POST', '/api/auth/logout', 'session', { fresh: true }],
  ['GET', '/api/me', 'session'],
  ['PUT', '/api/me', 'session', { body: { currentPassword: 'not the password' }, ok: [400] }],
  ['GET', '/api/system/update-check', 'session'],
  ['GET', '/api/system/releases', 'session'],
  ['POST', '/api/system/update', 'role admin, unavailable'],

  ['GET', '/api/models', 'model:read'],
  ['GET', '/api/models/{model}', 'model:read'],
  ['GET', '/api/providers', 'model:read'],
  ['POST', '/api/models', 'model:write', {
    body: () => ({ id: unique('perm/model'), provider: 'custom', endpoint: 'http://127.0.0.1:9/v1', inputPrice: 1, outputPrice: 1 }),
  }],
  ['PUT', '/api/models/{model}', 'model:write', { body: { name: 'Fixture model' } }],
  ['DELETE', '/api/models/{new}', 'model:write', { prepare: () => createModel(srv, admin()) }],
  ['GET', '/api/models/{model}/apikey', 'model:write'],
  ['POST', '/api/models/{model}/apikey', 'model:write', { body: { apiKey: 'sk-perm-test-0000abcd' } }],

  ['GET', '/api/projects', 'session'],
  ['POST', '/api/projects', 'project:write', { body: () => ({ name: unique('Perm project') }) }],
  ['GET', '/api/projects/{p}', 'project read'],
  ['GET', '/api/projects/{slug}', 'project read'],
  ['PUT', '/api/projects/{p}', 'project write', { body: { timeoutMs: 30000 } }],
  ['DELETE', '/api/projects/{new-slug}', 'project:write or member admin', { prepare: () => createProject(srv, admin()) }],
  ['GET', '/api/projects/{p}/tokens', 'project read'],
  ['POST', '/api/projects/{p}/tokens', 'project write', { body: { name: 'perm' } }],
  ['PUT', '/api/projects/{p}/tokens/{token}', 'project write', { body: { labels: ['perm'] } }],
  ['DELETE', '/api/projects/{p}/tokens/{new}', 'project write', {
    prepare: async () => expectStatus(await adminApi('POST', `/api/projects/${P()}/tokens`, {}), 201).tokenInfo,
  }],
  ['GET', '/api/projects/{p}/members', 'project read'],
  ['POST', '/api/projects/{p}/members', 'project:write or member admin', {
    prepare: async () => {
      await adminApi('DELETE', `/api/projects/${P()}/members/${fx.candidate.id}`);
      return {};
    },
    body: () => ({ userId: fx.candidate.id, role: 'viewer' }),
  }],
  ['PUT', '/api/projects/{p}/members/{member}', 'project:write or member admin', { body: { role: 'viewer' } }],
  ['DELETE', '/api/projects/{p}/members/{candidate2}', 'project:write or member admin', {
    prepare: async () => {
      await adminApi('POST', `/api/projects/${P()}/members`, { userId: fx.candidate2.id, role: 'viewer' });
      return {};
    },
  }],

  ['GET', '/api/users', 'user:read'],
  ['GET', '/api/users/{victim}', 'user:read'],
  // `grants`: the permissions of the role given or managed, all of which the caller must hold.
  ['POST', '/api/users', 'user:write', { body: () => ({ email: `${unique('perm')}@example.com`, password: PASSWORD }), grants: PERMS.viewer }],
  ['POST', '/api/users', 'user:write', { body: () => ({ email: `${unique('perm')}@example.com`, password: PASSWORD, roleId: 'admin' }), grants: PERMS.admin }],
  ['POST', '/api/users', 'user:write', { body: () => ({ email: `${unique('perm')}@example.com`, password: PASSWORD, role: fx.role.id }), grants: ['report:read'] }],
  ['PUT', '/api/users/{victim}', 'user:write', { body: { role: 'viewer' }, grants: PERMS.viewer }],
  ['PUT', '/api/users/{new}', 'user:write', {
    prepare: async () => expectStatus(await adminApi('POST', '/api/users', { email: `${unique('up')}@example.com`, password: PASSWORD, roleId: fx.role.id }), 201),
    body: { roleId: 'admin' },
    grants: PERMS.admin,
  }],
  ['PUT', '/api/users/{new}', 'user:write', {
    prepare: async () => expectStatus(await adminApi('POST', '/api/users', { email: `${unique('up')}@example.com`, password: PASSWORD, roleId: fx.role.id }), 201),
    body: { newPassword: 'a brand new password' },
    grants: ['report:read'],
  }],
  ['PUT', '/api/users/{admin}', 'user:write', { body: { newPassword: PASSWORD }, grants: PERMS.admin }],
  ['DELETE', '/api/users/{new}', 'user:write', {
    prepare: async () => expectStatus(await adminApi('POST', '/api/users', { email: `${unique('gone')}@example.com`, password: PASSWORD }), 201),
    grants: PERMS.viewer,
  }],
  ['GET', '/api/roles', 'user:read'],
  ['POST', '/api/roles', 'user:write', { body: () => ({ name: unique('Perm role') }) }],
  ['POST', '/api/roles', 'user:write', { body: () => ({ name: unique('Perm role'), permissions: ['model:write'] }), grants: ['model:write'] }],
  ['PUT', '/api/roles/{new}', 'user:write', {
    prepare: () => createRole(srv, admin(), unique('Widened role'), ['report:read']),
    body: { permissions: ['report:read', 'project:write'] },
    grants: ['report:read', 'project:write'],
  }],
  ['PUT', '/api/roles/{role}', 'user:write', { body: { name: 'Fixture role' } }],
  ['DELETE', '/api/roles/{new}', 'user:write', { prepare: () => createRole(srv, admin(), unique('Doomed role')) }],
  ['GET', '/api/settings', 'user:write'],
  ['PUT', '/api/settings', 'user:write', { body: { defaultTimeoutMs: 30000 } }],

  ['GET', '/api/usage', 'report:read'],
  ['GET', '/api/usage/{missing}', 'report:read', { ok: [404] }],
  ['GET', '/api/traces/{missing}', 'report:read', { ok: [404] }],
];

function forgedJwt() {
  const b = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b({ alg: 'HS256', typ: 'JWT' });
  const body = b({ sub: fx.adminId, role: 'admin', iat: now, exp: now + 3600, jti: 'forged' });
  const sig = createHmac('sha256', 'not-the-server-key').update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

async function tokenFor(caller, fresh) {
  if (caller === 'anonymous') return undefined;
  if (caller === 'garbage') return 'garbage-token';
  if (caller === 'forged') return forgedJwt();
  if (!fresh) return fx.tokens[caller];
  return (await login(srv, fx.emails[caller])).token;
}

before(async () => {
  srv = await startServer();
  const a = await setupAdmin(srv);
  fx.adminEmail = a.email;
  fx.adminId = a.user.id;
  fx.tokens = { admin: a.token };
  fx.emails = { admin: a.email };
  const nothing = await createRole(srv, a.token, 'Nothing', []);
  const usermgr = await createRole(srv, a.token, 'User manager', PERMS.usermgr);
  fx.usermgrRole = usermgr.id;
  for (const [caller, role] of [['operator', 'operator'], ['viewer', 'viewer'], ['usermgr', usermgr.id], ['none', nothing.id]]) {
    const u = await createUser(srv, a.token, { role });
    fx.tokens[caller] = u.token;
    fx.emails[caller] = u.email;
  }
  fx.model = await createModel(srv, a.token, 'fixture/model');
  fx.project = await createProject(srv, a.token, { name: 'Fixture project', models: [fx.model.id] });
  fx.member = (await createUser(srv, a.token, { role: 'viewer' })).user;
  fx.candidate = (await createUser(srv, a.token, { role: 'viewer' })).user;
  fx.candidate2 = (await createUser(srv, a.token, { role: 'viewer' })).user;
  fx.victim = (await createUser(srv, a.token, { role: 'viewer' })).user;
  expectStatus(await adminApi('POST', `/api/projects/${P()}/members`, { userId: fx.member.id, role: 'viewer' }), 201);
  fx.role = await createRole(srv, a.token, 'Fixture role', ['report:read']);
});
after(async () => {
  await srv?.dispose();
});

describe('permission matrix', () => {
  for (const [method, pathSpec, needs, opts = {}] of ROUTES) {
    describe(`${method} ${pathSpec} [${needs}]`, () => {
      for (const caller of CALLERS) {
        const want = expectedFor(needs, caller, opts);
        test(`${caller} → ${want === 'allowed' ? (opts.ok ?? ['2xx']).join('/') : want}`, T, async () => {
          const prep = opts.prepare ? await opts.prepare() : {};
          const path = resolve(pathSpec, prep);
          const body = typeof opts.body === 'function' ? opts.body(prep) : opts.body;
          const token = await tokenFor(caller, opts.fresh);
          const res = await srv.api(method, path, { token, body });
          if (want === 'allowed') {
            const ok = opts.ok ? opts.ok.includes(res.status) : res.status >= 200 && res.status < 300;
            assert.ok(ok, `${caller} ${method} ${path}: expected ${opts.ok ?? '2xx'}, got ${res.status} ${res.text.slice(0, 200)}`);
            if (needs === 'public') assert.notEqual(res.status, 401);
          } else if (want === 401) {
            expectError(res, 401, 'unauthorized');
          } else if (want === 403) {
            const perm = ['project write', 'project:write or member admin', 'project read', 'role admin, unavailable'].includes(needs)
              ? []
              : PERMS[caller].includes(needs) ? missingGrant(caller, opts.grants) : needs;
            expectError(res, 403, 'forbidden', perm);
          } else {
            expectError(res, 404, 'not_found');
          }
        });
      }
    });
  }
});

describe('project membership (P20)', () => {
  let project;
  let nothingRole;
  let editorViewer; // global viewer, member editor
  let memberViewer; // no global permissions, member viewer
  let memberEditor; // no global permissions, member editor
  let memberAdmin; // no global permissions, member admin
  let outsider; // no global permissions, no membership

  before(async () => {
    nothingRole = (await adminApi('GET', '/api/roles')).json.find((r) => r.name === 'Nothing');
    project = await createProject(srv, admin(), { name: 'Members only' });
    editorViewer = await createUser(srv, admin(), { role: 'viewer' });
    memberViewer = await createUser(srv, admin(), { role: nothingRole.id });
    memberEditor = await createUser(srv, admin(), { role: nothingRole.id });
    memberAdmin = await createUser(srv, admin(), { role: nothingRole.id });
    outsider = await createUser(srv, admin(), { role: nothingRole.id });
    for (const [u, role] of [[editorViewer, 'editor'], [memberViewer, 'viewer'], [memberEditor, 'editor'], [memberAdmin, 'admin']]) {
      expectStatus(await adminApi('POST', `/api/projects/${project.id}/members`, { userId: u.user.id, role }), 201);
    }
  });

  const as = (u, method, path, body) => srv.api(method, path, { token: u.token, body });

  test('a global viewer who is member editor can change the project', T, async () => {
    const p = expectStatus(await as(editorViewer, 'PUT', `/api/projects/${project.id}`, { timeoutMs: 4321 }), 200);
    assert.equal(p.timeoutMs, 4321);
    expectStatus(await as(editorViewer, 'POST', `/api/projects/${project.slug}/tokens`, { name: 'by editor' }), 201);
    // Other projects stay read-only for this viewer.
    expectError(await as(editorViewer, 'PUT', `/api/projects/${fx.project.id}`, { timeoutMs: 1 }), 403, 'forbidden');
  });

  test('a user without permissions or membership does not see the project', T, async () => {
    expectError(await as(outsider, 'GET', `/api/projects/${project.id}`), 404, 'not_found');
    expectError(await as(outsider, 'GET', `/api/projects/${project.slug}`), 404, 'not_found');
    expectError(await as(outsider, 'PUT', `/api/projects/${project.id}`, { timeoutMs: 1 }), 404, 'not_found');
    expectError(await as(outsider, 'GET', `/api/projects/${project.id}/tokens`), 404, 'not_found');
    const list = expectStatus(await as(outsider, 'GET', '/api/projects'), 200);
    assert.deepEqual(list, []);
  });

  test('member viewer reads but may not change (403)', T, async () => {
    assert.equal(expectStatus(await as(memberViewer, 'GET', `/api/projects/${project.slug}`), 200).id, project.id);
    const list = expectStatus(await as(memberViewer, 'GET', '/api/projects'), 200);
    assert.deepEqual(list.map((p) => p.id), [project.id]);
    expectStatus(await as(memberViewer, 'GET', `/api/projects/${project.id}/tokens`), 200);
    expectStatus(await as(memberViewer, 'GET', `/api/projects/${project.id}/members`), 200);
    expectError(await as(memberViewer, 'PUT', `/api/projects/${project.id}`, { timeoutMs: 1 }), 403, 'forbidden');
    expectError(await as(memberViewer, 'POST', `/api/projects/${project.id}/tokens`, {}), 403, 'forbidden');
    expectError(await as(memberViewer, 'DELETE', `/api/projects/${project.id}`), 403, 'forbidden');
  });

  test('member editor writes the project and tokens but not members, and cannot delete it', T, async () => {
    expectStatus(await as(memberEditor, 'PUT', `/api/projects/${project.id}`, { timeoutMs: 5000 }), 200);
    const t = expectStatus(await as(memberEditor, 'POST', `/api/projects/${project.id}/tokens`, { name: 'editor token' }), 201);
    assert.equal((await as(memberEditor, 'DELETE', `/api/projects/${project.id}/tokens/${t.tokenInfo.id}`)).status, 204);
    expectError(await as(memberEditor, 'POST', `/api/projects/${project.id}/members`, { userId: outsider.user.id, role: 'viewer' }), 403, 'forbidden');
    expectError(await as(memberEditor, 'PUT', `/api/projects/${project.id}/members/${memberViewer.user.id}`, { role: 'admin' }), 403, 'forbidden');
    expectError(await as(memberEditor, 'DELETE', `/api/projects/${project.id}`), 403, 'forbidden');
    // Global permissions are still needed outside the project.
    expectError(await as(memberEditor, 'GET', '/api/models'), 403, 'forbidden', 'model:read');
    expectError(await as(memberEditor, 'POST', '/api/projects', { name: unique('nope') }), 403, 'forbidden', 'project:write');
  });

  test('member admin manages members and may delete the project', T, async () => {
    const m = expectStatus(await as(memberAdmin, 'POST', `/api/projects/${project.id}/members`, { userId: outsider.user.id, role: 'viewer' }), 201);
    assert.equal(m.userId, outsider.user.id);
    expectStatus(await as(outsider, 'GET', `/api/projects/${project.id}`), 200);
    expectStatus(await as(memberAdmin, 'PUT', `/api/projects/${project.id}/members/${outsider.user.id}`, { role: 'editor' }), 200);
    assert.equal((await as(memberAdmin, 'DELETE', `/api/projects/${project.id}/members/${outsider.user.id}`)).status, 204);
    expectError(await as(outsider, 'GET', `/api/projects/${project.id}`), 404, 'not_found');
    assert.equal((await as(memberAdmin, 'DELETE', `/api/projects/${project.id}`)).status, 204);
    expectError(await adminApi('GET', `/api/projects/${project.id}`), 404, 'not_found');
  });
});

describe('no escalation through user:write', () => {
  test('a user:write holder cannot raise its own role, directly or through the role it holds', T, async () => {
    const me = await createUser(srv, admin(), { role: fx.usermgrRole });
    for (const roleId of ['admin', 'operator']) {
      expectError(await srv.api('PUT', `/api/users/${me.user.id}`, { token: me.token, body: { roleId } }), 403, 'forbidden', 'project:read');
    }
    const widen = { permissions: [...PERMS.usermgr, 'model:write'] };
    expectError(await srv.api('PUT', `/api/roles/${fx.usermgrRole}`, { token: me.token, body: widen }), 403, 'forbidden', 'model:write');
    const self = expectStatus(await srv.api('GET', '/api/me', { token: me.token }), 200);
    assert.equal(self.roleId, fx.usermgrRole);
    const role = expectStatus(await adminApi('GET', '/api/roles'), 200).find((r) => r.id === fx.usermgrRole);
    assert.deepEqual([...role.permissions].sort(), [...PERMS.usermgr].sort());
  });
});
