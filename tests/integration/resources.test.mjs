// CRUD of models, projects, tokens, members, users, roles and settings as an admin.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { PASSWORD, createModel, createProject, createUser, setupAdmin, unique } from './lib/accounts.mjs';
import { ISO_RE, TOKEN_RE, allKeys, expectError, expectStatus } from './lib/expect.mjs';
import { startServer } from './lib/server.mjs';

const T = { timeout: 60_000 };
let srv;
let admin;
let tok; // admin JWT

before(async () => {
  srv = await startServer();
  admin = await setupAdmin(srv);
  tok = admin.token;
});
after(async () => {
  await srv?.dispose();
});

const api = (method, path, body) => srv.api(method, path, { token: tok, body });
const enc = encodeURIComponent;

describe('models', () => {
  const KEY = 'sk-test-9f8e7d6c5b4a39281706abcd';

  test('create with P9 aliases; the key never comes back', T, async () => {
    const res = await api('POST', '/api/models', {
      id: 'alias-model',
      provider: 'openai',
      baseUrl: 'https://llm.example.test/v1',
      inputPrice: 1.5,
      outputPrice: 3,
      cachePrice: 0.5,
      capabilities: ['vision', 'functionCalling'],
      apiKey: KEY,
    });
    const m = expectStatus(res, 201);
    assert.ok(!res.text.includes(KEY), 'the key is not in the response');
    assert.equal(m.id, 'alias-model');
    assert.equal(m.name, 'alias-model', 'name defaults to id');
    assert.equal(m.provider, 'openai');
    assert.equal(m.endpoint, 'https://llm.example.test/v1');
    assert.equal(m.cost.inputPerMillion, 1.5);
    assert.equal(m.cost.outputPerMillion, 3);
    assert.equal(m.cost.cachePerMillion, 0.5);
    assert.equal(m.capabilities.vision, true);
    assert.equal(m.capabilities.functionCalling, true);
    assert.notEqual(m.capabilities.json, true, 'capabilities not listed are not set');
    assert.equal(m.enabled, true);
    assert.equal(m.hasApiKey, true);
    assert.match(m.createdAt, ISO_RE);
    assert.ok(!allKeys(m).has('apiKey'));
    assert.ok(!allKeys(m).has('baseUrl') && !allKeys(m).has('inputPrice'), 'responses use the §4 names');
  });

  test('a catalogue preset without prices gets the catalogue prices, context window and endpoint', T, async () => {
    const m = expectStatus(await api('POST', '/api/models', { id: 'openai/gpt-4o-mini', provider: 'openai', apiKey: KEY }), 201);
    assert.equal(m.cost.inputPerMillion, 0.15);
    assert.equal(m.cost.outputPerMillion, 0.6);
    assert.equal(m.contextWindow, 128000);
    assert.equal(m.endpoint, 'https://api.openai.com/v1');
  });

  test("GET list and GET by id (a '/' in the id sent as %2F) never contain the key", T, async () => {
    const list = await api('GET', '/api/models');
    const models = expectStatus(list, 200);
    assert.ok(Array.isArray(models));
    assert.ok(models.some((m) => m.id === 'openai/gpt-4o-mini'));
    assert.ok(!list.text.includes(KEY));
    assert.ok(!allKeys(models).has('apiKey'));
    const one = await api('GET', `/api/models/${enc('openai/gpt-4o-mini')}`);
    assert.equal(expectStatus(one, 200).id, 'openai/gpt-4o-mini');
    assert.ok(!one.text.includes(KEY));
    expectError(await api('GET', `/api/models/${enc('openai/nope')}`), 404, 'not_found');
  });

  test('GET apikey is masked; POST apikey rotates; a model without a key answers null', T, async () => {
    const masked = await api('GET', `/api/models/${enc('openai/gpt-4o-mini')}/apikey`);
    const k = expectStatus(masked, 200);
    assert.deepEqual(Object.keys(k), ['apiKey']);
    assert.equal(typeof k.apiKey, 'string');
    assert.ok(!masked.text.includes(KEY), 'not the key');
    assert.ok(!masked.text.includes(KEY.slice(0, 16)), 'not most of the key');
    assert.ok(k.apiKey.endsWith('abcd'), `masked key shows the last 4 characters: ${k.apiKey}`);

    const NEW = 'sk-test-rotated-000000000000wxyz';
    const rot = await api('POST', '/api/models/alias-model/apikey', { apiKey: NEW });
    assert.ok(expectStatus(rot, 200).apiKey.endsWith('wxyz'));
    assert.ok(!rot.text.includes(NEW));
    const after = expectStatus(await api('GET', '/api/models/alias-model/apikey'), 200);
    assert.ok(after.apiKey.endsWith('wxyz'));
    expectError(await api('POST', '/api/models/alias-model/apikey', {}), 400, 'validation_error', 'apiKey');

    const bare = await createModel(srv, tok);
    assert.equal(bare.hasApiKey, false);
    assert.deepEqual(expectStatus(await api('GET', `/api/models/${enc(bare.id)}/apikey`), 200), { apiKey: null });
    expectError(await api('GET', '/api/models/missing-model/apikey'), 404, 'not_found');
  });

  test('PUT is a partial update; the key survives', T, async () => {
    const res = await api('PUT', '/api/models/alias-model', { name: 'Alias Model' });
    const m = expectStatus(res, 200);
    assert.ok(!res.text.includes('sk-test-'), 'no key in the PUT response');
    assert.equal(m.name, 'Alias Model');
    assert.equal(m.cost.inputPerMillion, 1.5);
    assert.equal(m.endpoint, 'https://llm.example.test/v1');
    assert.equal(m.hasApiKey, true);
    const again = expectStatus(await api('GET', '/api/models/alias-model'), 200);
    assert.equal(again.name, 'Alias Model');
    const disabled = expectStatus(await api('PUT', '/api/models/alias-model', { enabled: false }), 200);
    assert.equal(disabled.enabled, false);
    expectError(await api('PUT', '/api/models/missing-model', { name: 'x' }), 404, 'not_found');
  });

  test('duplicate id → 409; custom provider needs an endpoint', T, async () => {
    expectError(await api('POST', '/api/models', { id: 'alias-model', provider: 'openai', inputPrice: 1, outputPrice: 1 }), 409, 'conflict');
    expectError(await api('POST', '/api/models', { id: unique('c'), provider: 'custom', inputPrice: 1, outputPrice: 1 }), 400, 'validation_error', 'endpoint');
  });

  test('rename cascades into projects; the old id is gone; renaming onto a taken id → 409', T, async () => {
    const m = await createModel(srv, tok, 'to-rename');
    const p = await createProject(srv, tok, { models: [m.id] });
    const limits = [{ metric: 'calls', windowType: 'rolling', rollingAmount: 1, rollingUnit: 'minute', value: 5 }];
    const t = expectStatus(await api('POST', `/api/projects/${p.id}/tokens`, { models: [{ modelId: m.id, limitsMode: 'replace', limits }] }), 201);
    assert.deepEqual(t.tokenInfo.models.map((x) => x.modelId), [m.id]);
    const renamed = expectStatus(await api('PUT', '/api/models/to-rename', { id: 'renamed/model' }), 200);
    assert.equal(renamed.id, 'renamed/model');
    expectError(await api('GET', '/api/models/to-rename'), 404, 'not_found');
    const proj = expectStatus(await api('GET', `/api/projects/${p.id}`), 200);
    assert.deepEqual(proj.models.map((x) => x.modelId), ['renamed/model']);
    const tokens = expectStatus(await api('GET', `/api/projects/${p.id}/tokens`), 200);
    const cascaded = tokens.find((x) => x.id === t.tokenInfo.id);
    assert.deepEqual(cascaded.models.map((x) => [x.modelId, x.limitsMode]), [['renamed/model', 'replace']]);
    expectError(await api('PUT', `/api/models/${enc('renamed/model')}`, { id: 'alias-model' }), 409, 'conflict');
  });

  test('delete of a model a project uses → 409 naming the project; unused → 204', T, async () => {
    const m = await createModel(srv, tok);
    const name = unique('Uses Model');
    const p = await createProject(srv, tok, { name, models: [m.id] });
    const res = await api('DELETE', `/api/models/${enc(m.id)}`);
    expectError(res, 409, 'conflict');
    assert.ok([name, p.slug, p.id].some((s) => res.json.message.includes(s)), `names the project: ${res.json.message}`);
    expectStatus(await api('PUT', `/api/projects/${p.id}`, { models: [] }), 200);
    assert.equal((await api('DELETE', `/api/models/${enc(m.id)}`)).status, 204);
    expectError(await api('GET', `/api/models/${enc(m.id)}`), 404, 'not_found');
    expectError(await api('DELETE', `/api/models/${enc(m.id)}`), 404, 'not_found');
  });
});

describe('projects', () => {
  let model;
  let project;

  before(async () => {
    model = await createModel(srv, tok, unique('proj-model'));
  });

  test('create generates the slug, answers the first token once, makes the creator member admin', T, async () => {
    const res = await api('POST', '/api/projects', { name: 'My App', models: [model.id], policies: [{ type: 'cheapest', enabled: true }] });
    project = expectStatus(res, 201);
    assert.equal(project.name, 'My App');
    assert.equal(project.slug, 'my-app');
    assert.match(project.token, TOKEN_RE);
    assert.deepEqual(project.models.map((m) => m.modelId), [model.id]);
    assert.deepEqual(project.policies.map((x) => [x.type, x.enabled]), [['cheapest', true]]);
    assert.deepEqual(project.members, [{ userId: admin.user.id, role: 'admin' }]);
    assert.equal(project.tokens.length, 1);
    assert.equal(project.tokens[0].tokenSnippet, project.token.slice(0, 10));
    assert.ok(Number.isInteger(project.timeoutMs));
    assert.match(project.createdAt, ISO_RE);
    const me = expectStatus(await api('GET', '/api/me'), 200);
    assert.ok(me.projectIds.includes(project.id));
  });

  test('addressed by id and by slug; GET responses never carry the token value', T, async () => {
    for (const key of [project.id, project.slug]) {
      const res = await api('GET', `/api/projects/${key}`);
      assert.equal(expectStatus(res, 200).id, project.id);
      assert.ok(!res.text.includes(project.token), 'token value not in GET');
      assert.ok(!res.text.includes(project.token.slice(10)), 'no part past the snippet');
    }
    const list = await api('GET', '/api/projects');
    assert.ok(expectStatus(list, 200).some((p) => p.id === project.id));
    assert.ok(!list.text.includes(project.token));
    for (const k of allKeys(list.json)) assert.ok(k !== 'token' && k !== 'hash' && k !== 'tokenHash', `key ${k}`);
    expectError(await api('GET', '/api/projects/no-such-project'), 404, 'not_found');
  });

  test('duplicate name (case-insensitive) or slug → 409', T, async () => {
    expectError(await api('POST', '/api/projects', { name: 'MY APP' }), 409, 'conflict');
    expectError(await api('POST', '/api/projects', { name: '  my app  ' }), 409, 'conflict');
    expectError(await api('POST', '/api/projects', { name: 'Another', slug: 'my-app' }), 409, 'conflict');
    // A slug outside [a-z0-9-] is either refused naming `slug` or normalised.
    const bad = await api('POST', '/api/projects', { name: 'Bad slug', slug: 'Not A Slug' });
    if (bad.status === 400) expectError(bad, 400, 'validation_error', 'slug');
    else assert.match(expectStatus(bad, 201).slug, /^[a-z0-9-]+$/);
    expectError(await api('POST', '/api/projects', { name: '' }), 400, 'validation_error', 'name');
  });

  test('unknown model id → 400 naming it; invalid policies → 400', T, async () => {
    const res = await api('POST', '/api/projects', { name: unique('P'), models: ['no-such-model-xyz'] });
    expectError(res, 400, 'validation_error', 'no-such-model-xyz');
    expectError(await api('POST', '/api/projects', { name: unique('P'), policies: [{ type: 'bogus', enabled: true }] }), 400, 'validation_error', /type|policies/);
    expectError(await api('POST', '/api/projects', { name: unique('P'), policies: 'cheapest' }), 400, 'validation_error', 'policies');
    expectError(await api('PUT', `/api/projects/${project.id}`, { models: ['no-such-model-xyz'] }), 400, 'validation_error', 'no-such-model-xyz');
  });

  test('PUT by slug is a partial update (defaultTimeoutMs alias); rename keeps the slug unique', T, async () => {
    const p = expectStatus(await api('PUT', '/api/projects/my-app', { defaultTimeoutMs: 12345 }), 200);
    assert.equal(p.timeoutMs, 12345);
    assert.equal(p.name, 'My App');
    assert.deepEqual(p.models.map((m) => m.modelId), [model.id]);
    assert.equal(p.tokens.length, 1, 'tokens untouched');
    assert.ok(!('token' in p));
    const other = await createProject(srv, tok);
    expectError(await api('PUT', `/api/projects/${other.id}`, { name: 'my app' }), 409, 'conflict');
    expectError(await api('PUT', `/api/projects/${other.id}`, { slug: 'my-app' }), 409, 'conflict');
  });

  test('DELETE by slug → 204, then 404', T, async () => {
    const p = await createProject(srv, tok, { name: 'Short Lived' });
    assert.equal(p.slug, 'short-lived');
    assert.equal((await api('DELETE', '/api/projects/short-lived')).status, 204);
    expectError(await api('GET', `/api/projects/${p.id}`), 404, 'not_found');
    expectError(await api('DELETE', `/api/projects/${p.id}`), 404, 'not_found');
  });

  describe('tokens', () => {
    let created;

    test('create shows the value once; tokenInfo has the snippet and no value or hash', T, async () => {
      const limits = [{ metric: 'calls', windowType: 'rolling', rollingAmount: 1, rollingUnit: 'minute', value: 10 }];
      const res = await api('POST', `/api/projects/${project.slug}/tokens`, { name: 'ci', labels: ['prod'], limits, limitsMode: 'extend' });
      created = expectStatus(res, 201);
      assert.deepEqual(Object.keys(created).sort(), ['token', 'tokenInfo']);
      assert.match(created.token, TOKEN_RE);
      const info = created.tokenInfo;
      assert.equal(info.tokenSnippet, created.token.slice(0, 10));
      assert.equal(info.name, 'ci');
      assert.deepEqual(info.labels, ['prod']);
      assert.equal(info.limits.length, 1);
      assert.equal(info.limits[0].metric, 'calls');
      assert.equal(info.limits[0].value, 10);
      assert.equal(info.limitsMode, 'extend');
      assert.ok(Array.isArray(info.models));
      assert.match(info.createdAt, ISO_RE);
      for (const k of allKeys(info)) assert.doesNotMatch(k, /^(token|hash|tokenHash)$/);
    });

    test('list shows tokenInfo only', T, async () => {
      const res = await api('GET', `/api/projects/${project.id}/tokens`);
      const list = expectStatus(res, 200);
      assert.equal(list.length, 2);
      assert.equal(list.find((t) => t.id === created.tokenInfo.id).tokenSnippet, created.token.slice(0, 10));
      assert.equal(list.find((t) => t.tokenSnippet === project.token.slice(0, 10))?.id, project.tokens[0].id);
      assert.ok(!res.text.includes(created.token) && !res.text.includes(project.token));
      for (const t of list) {
        assert.equal(t.tokenSnippet.length, 10);
        assert.ok(!('token' in t) && !('hash' in t));
      }
    });

    test('PUT updates labels and limits (P9 limit form accepted)', T, async () => {
      const res = await api('PUT', `/api/projects/${project.id}/tokens/${created.tokenInfo.id}`, {
        labels: ['staging', 'eu'],
        limits: [{ metric: 'cost', windowType: 'period', period: 'daily', value: 5 }],
      });
      const info = expectStatus(res, 200);
      assert.deepEqual(info.labels, ['staging', 'eu']);
      assert.deepEqual(info.limits.map((l) => [l.metric, l.period, l.value]), [['cost', 'daily', 5]]);
      assert.equal(info.tokenSnippet, created.tokenInfo.tokenSnippet);
      assert.ok(!res.text.includes(created.token));
      const p9 = await api('PUT', `/api/projects/${project.id}/tokens/${created.tokenInfo.id}`, { limits: [{ metric: 'calls', limit: 100, window: 'day' }] });
      const l = expectStatus(p9, 200).limits[0];
      assert.equal(l.metric, 'calls');
      assert.equal(l.value, 100, 'P9 `limit` normalised to `value`');
      assert.ok(!('limit' in l), 'responses use the §6.1 names');
      expectError(await api('PUT', `/api/projects/${project.id}/tokens/no-such-token`, { labels: [] }), 404, 'not_found');
    });

    test('DELETE → 204; gone from the list; again → 404', T, async () => {
      const path = `/api/projects/${project.id}/tokens/${created.tokenInfo.id}`;
      assert.equal((await api('DELETE', path)).status, 204);
      const list = expectStatus(await api('GET', `/api/projects/${project.id}/tokens`), 200);
      assert.ok(!list.some((t) => t.id === created.tokenInfo.id));
      expectError(await api('DELETE', path), 404, 'not_found');
    });
  });

  describe('members', () => {
    let u1;
    let u2;
    before(async () => {
      u1 = await createUser(srv, tok, { role: 'viewer' });
      u2 = await createUser(srv, tok, { role: 'viewer' });
    });

    test('add by userId and by email; duplicate → 409', T, async () => {
      const a = expectStatus(await api('POST', `/api/projects/${project.id}/members`, { userId: u1.user.id, role: 'editor' }), 201);
      assert.deepEqual(a, { userId: u1.user.id, email: u1.email, role: 'editor' });
      const b = expectStatus(await api('POST', `/api/projects/${project.slug}/members`, { email: u2.email, role: 'viewer' }), 201);
      assert.equal(b.userId, u2.user.id);
      assert.equal(b.role, 'viewer');
      expectError(await api('POST', `/api/projects/${project.id}/members`, { userId: u1.user.id, role: 'viewer' }), 409, 'conflict');
      const ghost = await api('POST', `/api/projects/${project.id}/members`, { email: 'ghost@example.com', role: 'viewer' });
      if (ghost.status === 400) expectError(ghost, 400, 'validation_error', 'email');
      else expectError(ghost, 404, 'not_found');
      const members = expectStatus(await api('GET', `/api/projects/${project.id}/members`), 200);
      assert.deepEqual(members.map((m) => m.userId).sort(), [admin.user.id, u1.user.id, u2.user.id].sort());
      for (const m of members) assert.deepEqual(Object.keys(m).sort(), ['email', 'role', 'userId']);
      const user = expectStatus(await api('GET', `/api/users/${u1.user.id}`), 200);
      assert.ok(user.projectIds.includes(project.id), 'projectIds lists memberships');
    });

    test('change role; remove', T, async () => {
      const m = expectStatus(await api('PUT', `/api/projects/${project.id}/members/${u1.user.id}`, { role: 'admin' }), 200);
      assert.equal(m.role, 'admin');
      assert.equal(m.userId, u1.user.id);
      assert.equal((await api('DELETE', `/api/projects/${project.id}/members/${u1.user.id}`)).status, 204);
      const members = expectStatus(await api('GET', `/api/projects/${project.id}/members`), 200);
      assert.ok(!members.some((x) => x.userId === u1.user.id));
      const user = expectStatus(await api('GET', `/api/users/${u1.user.id}`), 200);
      assert.ok(!user.projectIds.includes(project.id));
      expectError(await api('DELETE', `/api/projects/${project.id}/members/${u1.user.id}`), 404, 'not_found');
      expectError(await api('PUT', `/api/projects/${project.id}/members/${u1.user.id}`, { role: 'viewer' }), 404, 'not_found');
    });
  });
});

describe('users', () => {
  test('create answers the user shape without secrets; duplicate email (any case) → 409', T, async () => {
    const email = `${unique('Mixed')}@Example.com`;
    const res = await api('POST', '/api/users', { email, password: PASSWORD, role: 'operator' });
    const u = expectStatus(res, 201);
    for (const k of ['id', 'email', 'roleId', 'role', 'projectIds', 'createdAt']) assert.ok(k in u, `missing ${k}`);
    assert.equal(u.roleId, 'operator');
    assert.equal(u.role, 'operator');
    assert.deepEqual(u.projectIds, []);
    for (const k of allKeys(u)) assert.doesNotMatch(k, /hash|password/i);
    assert.ok(!res.text.includes('$argon2'));
    expectError(await api('POST', '/api/users', { email: email.toLowerCase(), password: PASSWORD }), 409, 'conflict');
    expectError(await api('POST', '/api/users', { email: email.toUpperCase(), password: PASSWORD }), 409, 'conflict');
    const list = await api('GET', '/api/users');
    assert.ok(expectStatus(list, 200).some((x) => x.id === u.id));
    assert.ok(!list.text.includes('$argon2'));
    assert.equal(expectStatus(await api('GET', `/api/users/${u.id}`), 200).email, u.email);
  });

  test('role defaults to viewer; roleId accepted; password ≥ 8 and email with @', T, async () => {
    const v = expectStatus(await api('POST', '/api/users', { email: `${unique('d')}@example.com`, password: PASSWORD }), 201);
    assert.equal(v.roleId, 'viewer');
    const o = expectStatus(await api('POST', '/api/users', { email: `${unique('r')}@example.com`, password: PASSWORD, roleId: 'operator' }), 201);
    assert.equal(o.roleId, 'operator');
    expectError(await api('POST', '/api/users', { email: `${unique('s')}@example.com`, password: '1234567' }), 400, 'validation_error', 'password');
    expectError(await api('POST', '/api/users', { email: 'no-at-sign', password: PASSWORD }), 400, 'validation_error', 'email');
  });

  test('PUT changes role, email and password', T, async () => {
    const u = await createUser(srv, tok, { role: 'viewer' });
    const newEmail = `${unique('moved')}@example.com`;
    const upd = expectStatus(await api('PUT', `/api/users/${u.user.id}`, { role: 'operator', email: newEmail, newPassword: 'another fine password' }), 200);
    assert.equal(upd.roleId, 'operator');
    assert.equal(upd.email, newEmail);
    const login = await srv.api('POST', '/api/auth/login', { body: { email: newEmail, password: 'another fine password' } });
    expectStatus(login, 200);
    expectError(await api('PUT', `/api/users/${u.user.id}`, { email: admin.email }), 409, 'conflict');
    expectError(await api('PUT', `/api/users/${u.user.id}`, { newPassword: 'short' }), 400, 'validation_error', 'newPassword');
    expectError(await api('PUT', '/api/users/no-such-user', { role: 'viewer' }), 404, 'not_found');
  });

  test('the last admin cannot be demoted or deleted (409); with a second admin it can', T, async () => {
    expectError(await api('PUT', `/api/users/${admin.user.id}`, { role: 'viewer' }), 409, 'conflict');
    expectError(await api('DELETE', `/api/users/${admin.user.id}`), 409, 'conflict');
    const second = await createUser(srv, tok, { role: 'admin' });
    const demoted = expectStatus(await api('PUT', `/api/users/${second.user.id}`, { role: 'viewer' }), 200);
    assert.equal(demoted.roleId, 'viewer');
    expectStatus(await api('PUT', `/api/users/${second.user.id}`, { role: 'admin' }), 200);
    assert.equal((await api('DELETE', `/api/users/${second.user.id}`)).status, 204);
    expectError(await api('GET', `/api/users/${second.user.id}`), 404, 'not_found');
    expectError(await api('DELETE', `/api/users/${admin.user.id}`), 409, 'conflict');
  });
});

describe('roles', () => {
  let role;

  test('built-ins first; create by name derives the id', T, async () => {
    const roles = expectStatus(await api('GET', '/api/roles'), 200);
    assert.deepEqual(roles.slice(0, 3).map((r) => r.id).sort(), ['admin', 'operator', 'viewer']);
    for (const r of roles.slice(0, 3)) assert.equal(r.builtin, true);
    const viewer = roles.find((r) => r.id === 'viewer');
    assert.deepEqual([...viewer.permissions].sort(), ['model:read', 'project:read', 'report:read']);

    role = expectStatus(await api('POST', '/api/roles', { name: 'Auditors', permissions: ['report:read'] }), 201);
    assert.equal(typeof role.id, 'string');
    assert.ok(role.id.length > 0);
    assert.equal(role.name, 'Auditors');
    assert.deepEqual(role.permissions, ['report:read']);
    assert.equal(role.builtin, false);
    const after = expectStatus(await api('GET', '/api/roles'), 200);
    assert.ok(after.findIndex((r) => r.id === role.id) >= 3, 'custom roles after the built-ins');
  });

  test('invalid permission → 400; taken name/id or built-in id → 409', T, async () => {
    expectError(await api('POST', '/api/roles', { name: unique('Bad'), permissions: ['model:destroy'] }), 400, 'validation_error', 'permissions');
    expectError(await api('POST', '/api/roles', { name: 'Auditors' }), 409, 'conflict');
    expectError(await api('POST', '/api/roles', { name: unique('Other'), id: role.id }), 409, 'conflict');
    expectError(await api('POST', '/api/roles', { name: 'Not Admin', id: 'admin' }), 409, 'conflict');
    expectError(await api('POST', '/api/roles', {}), 400, 'validation_error', 'name');
  });

  test('PUT changes a custom role; built-ins cannot be modified or deleted (403)', T, async () => {
    const r = expectStatus(await api('PUT', `/api/roles/${role.id}`, { permissions: ['report:read', 'model:read'] }), 200);
    assert.deepEqual([...r.permissions].sort(), ['model:read', 'report:read']);
    assert.equal(r.name, 'Auditors');
    expectError(await api('PUT', '/api/roles/admin', { name: 'Boss' }), 403, 'forbidden');
    expectError(await api('DELETE', '/api/roles/viewer'), 403, 'forbidden');
    expectError(await api('PUT', '/api/roles/no-such-role', { name: 'x' }), 404, 'not_found');
  });

  test('a custom role grants its permissions; delete while held → 409, then 204', T, async () => {
    const u = await createUser(srv, tok, { role: role.id });
    expectStatus(await srv.api('GET', '/api/models', { token: u.token }), 200);
    expectError(await srv.api('POST', '/api/models', { token: u.token, body: { id: unique('m'), provider: 'openai' } }), 403, 'forbidden', 'model:write');
    expectError(await api('DELETE', `/api/roles/${role.id}`), 409, 'conflict');
    assert.equal((await api('DELETE', `/api/users/${u.user.id}`)).status, 204);
    assert.equal((await api('DELETE', `/api/roles/${role.id}`)).status, 204);
    expectError(await api('DELETE', `/api/roles/${role.id}`), 404, 'not_found');
  });
});

describe('settings', () => {
  test('GET answers the settings with the §00 additions', T, async () => {
    const s = expectStatus(await api('GET', '/api/settings'), 200);
    assert.equal(s.defaultTimeoutMs, 30000);
    assert.ok(['trace', 'debug', 'info', 'warn', 'error'].includes(s.logLevel));
    assert.deepEqual(s.corsOrigins, ['*']);
    assert.equal(s.maxBodyBytes, 33554432);
    assert.equal(s.dashboardEnabled, true);
  });

  test('PUT is a partial update', T, async () => {
    const before = expectStatus(await api('GET', '/api/settings'), 200);
    const s = expectStatus(await api('PUT', '/api/settings', { defaultTimeoutMs: 45000, publicUrl: 'https://gw.example.test' }), 200);
    assert.equal(s.defaultTimeoutMs, 45000);
    assert.equal(s.publicUrl, 'https://gw.example.test');
    assert.equal(s.logLevel, before.logLevel);
    assert.deepEqual(s.corsOrigins, before.corsOrigins);
    assert.equal(expectStatus(await api('GET', '/api/settings'), 200).defaultTimeoutMs, 45000);
  });

  test('invalid logLevel and unknown keys → 400 naming the field; nothing changes', T, async () => {
    expectError(await api('PUT', '/api/settings', { logLevel: 'loud' }), 400, 'validation_error', 'logLevel');
    expectError(await api('PUT', '/api/settings', { noSuchSetting: 1 }), 400, 'validation_error', 'noSuchSetting');
    expectError(await api('PUT', '/api/settings', { defaultTimeoutMs: 1000, logLevel: 'loud' }), 400, 'validation_error', 'logLevel');
    assert.equal(expectStatus(await api('GET', '/api/settings'), 200).defaultTimeoutMs, 45000, 'a refused PUT changes nothing');
  });
});
