// The `routerly` client commands against a live server: each runs the real binary with HOME
// pointed at a private directory, so its saved accounts live in <home>/.routerly/cli.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { cliRunner } from './lib/cli.mjs';
import { Server } from './lib/server.mjs';
import { ADMIN_EMAIL, PASSWORD, setupAdmin, unique } from './lib/accounts.mjs';

let srv;
let cliHome;

const { routerly, ok, json } = cliRunner(() => cliHome);
const configPath = () => path.join(cliHome, '.routerly', 'cli', 'config.json');
const readConfig = () => JSON.parse(readFileSync(configPath(), 'utf8'));

// A syntactically valid JWT whose `exp` lies in the past (the signature is not checked locally).
function expiredJwt() {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'x', exp: 1000 })}.c2ln`;
}

before(async () => {
  srv = await new Server().start();
  await setupAdmin(srv);
  cliHome = mkdtempSync(path.join(os.tmpdir(), 'routerly-cli-'));
});

after(async () => {
  await srv?.stop();
  if (cliHome) rmSync(cliHome, { recursive: true, force: true });
});

test('commands that need an account say so when nobody is logged in', () => {
  const r = routerly(['model', 'list']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /not logged in/);
});

test('a wrong password exits non-zero with the server message', async () => {
  const expected = await srv.api('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: 'wrong password' } });
  assert.equal(expected.status, 401);
  const r = routerly(['auth', 'login', '--url', srv.base, '--email', ADMIN_EMAIL, '--password', 'wrong password']);
  assert.notEqual(r.code, 0);
  assert.ok(expected.json.message.length > 0);
  assert.ok(r.stderr.includes(expected.json.message), r.stderr);
});

test('login saves the account in a 0600 file; whoami, ps, switch, status', () => {
  ok(['auth', 'login', '--url', `${srv.base}/`, '--email', ADMIN_EMAIL, '--password', PASSWORD, '--alias', 'main']);
  assert.equal(statSync(configPath()).mode & 0o777, 0o600);
  const cfg = readConfig();
  assert.equal(cfg.currentAlias, 'main');
  const acct = cfg.accounts.find((a) => a.alias === 'main');
  assert.equal(acct.serverUrl, srv.base);
  assert.equal(acct.email, ADMIN_EMAIL);
  assert.equal(acct.role, 'admin');
  assert.ok(acct.token && acct.refreshToken);
  assert.ok(acct.expiresAt > Date.now() + 3600_000);

  assert.equal(json(['auth', 'whoami']).email, ADMIN_EMAIL);
  assert.match(ok(['auth', 'whoami']).stdout, new RegExp(`${ADMIN_EMAIL} \\(admin\\)`));

  // A second account through --password-stdin becomes current.
  ok(['auth', 'login', '--url', srv.base, '--email', ADMIN_EMAIL, '--password-stdin', '--alias', 'second'], {
    input: `${PASSWORD}\n`,
  });
  let ps = json(['auth', 'ps']);
  assert.deepEqual(ps.map((a) => a.alias).sort(), ['main', 'second']);
  assert.equal(ps.find((a) => a.current).alias, 'second');
  ok(['auth', 'switch', 'main']);
  ps = json(['auth', 'ps']);
  assert.equal(ps.find((a) => a.current).alias, 'main');
  const bad = routerly(['auth', 'switch', 'nobody']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /nobody/);

  const status = json(['status']);
  assert.equal(status.health.status, 'ok');
  assert.equal(status.user.email, ADMIN_EMAIL);
  assert.match(ok(['status']).stdout, /SERVER\s+STATUS/);
});

test('model add and list', () => {
  const id = unique('cli-model');
  ok(['model', 'add', '--id', id, '--provider', 'custom', '--base-url', 'http://127.0.0.1:9/v1', '--input-price', '1.5',
    '--output-price', '3', '--context-window', '8000']);
  const models = json(['model', 'list']);
  const m = models.find((x) => x.id === id);
  assert.ok(m, 'the added model is listed');
  assert.equal(m.endpoint, 'http://127.0.0.1:9/v1');
  assert.equal(m.cost.inputPerMillion, 1.5);
  assert.equal(m.cost.outputPerMillion, 3);
  assert.equal(m.contextWindow, 8000);
  const table = ok(['model', 'list']).stdout.split('\n');
  assert.match(table[0], /^ID\s+PROVIDER\s+ENDPOINT/);
  const row = table.find((l) => l.startsWith(id));
  assert.ok(row);
  // Columns line up with the header.
  assert.equal(row.indexOf('custom'), table[0].indexOf('PROVIDER'));

  const dup = routerly(['model', 'add', '--id', id, '--provider', 'custom', '--endpoint', 'http://127.0.0.1:9/v1']);
  assert.notEqual(dup.code, 0);
  assert.match(dup.stderr, /^error: /);

  const missing = routerly(['model', 'add', '--provider', 'custom']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /--id/);
});

test('project add, token create/list, unknown project, remove', () => {
  const model = unique('cli-pm');
  ok(['model', 'add', '--id', model, '--provider', 'custom', '--endpoint', 'http://127.0.0.1:9/v1']);
  const slug = unique('cli-proj').toLowerCase();
  const created = json(['project', 'add', '--name', `Name ${slug}`, '--slug', slug, '--models', `${model}`, '--timeout', '30000']);
  assert.equal(created.slug, slug);
  assert.match(created.token, /^sk-rt-[0-9a-f]{64}$/);

  const p = json(['project', 'list']).find((x) => x.slug === slug);
  assert.ok(p);
  assert.deepEqual(p.models.map((m) => m.modelId), [model]);
  assert.equal(p.timeoutMs, 30000);

  const value = ok(['project', 'token', 'create', slug, '--labels', 'ci, batch']).stdout.trim();
  assert.match(value, /^sk-rt-[0-9a-f]{64}$/);
  const tokens = json(['project', 'token', 'list', slug]);
  assert.equal(tokens.length, 2);
  const labelled = tokens.find((t) => t.labels.length > 0);
  assert.deepEqual(labelled.labels, ['ci', 'batch']);
  assert.ok(!JSON.stringify(tokens).includes(value), 'the token value is never listed');

  const unknown = routerly(['project', 'token', 'list', 'no-such-project']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /^error: .+/);

  ok(['project', 'remove', slug]);
  assert.ok(!json(['project', 'list']).some((x) => x.slug === slug));
});

test('user add, list, remove', () => {
  const email = `${unique('cli-user')}@example.com`;
  const u = json(['user', 'add', '--email', email, '--password', PASSWORD, '--role', 'operator']);
  assert.equal(u.role, 'operator');
  assert.ok(json(['user', 'list']).some((x) => x.email === email));
  const short = routerly(['user', 'add', '--email', `x${email}`, '--password', 'short']);
  assert.notEqual(short.code, 0);
  assert.match(short.stderr, /password/i);
  ok(['user', 'remove', u.id]);
  assert.ok(!json(['user', 'list']).some((x) => x.email === email));
});

test('model edit renames and reprices', () => {
  const id = unique('cli-edit');
  ok(['model', 'add', '--id', id, '--provider', 'custom', '--endpoint', 'http://127.0.0.1:9/v1']);
  const renamed = `${id}-new`;
  const m = json(['model', 'edit', id, '--new-id', renamed, '--input-price', '7']);
  assert.equal(m.id, renamed);
  assert.equal(m.cost.inputPerMillion, 7);
  const ids = json(['model', 'list']).map((x) => x.id);
  assert.ok(ids.includes(renamed) && !ids.includes(id));
  const gone = routerly(['model', 'edit', id, '--input-price', '1']);
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, /^error: /);
  ok(['model', 'remove', renamed]);
});

test('roles, project members and token removal', () => {
  const roleName = unique('Auditors');
  const role = json(['role', 'add', '--name', roleName, '--permissions', 'report:read, project:read']);
  assert.deepEqual([...role.permissions].sort(), ['project:read', 'report:read']);
  const roles = json(['role', 'list']);
  assert.ok(roles.some((r) => r.id === role.id));
  assert.equal(roles[0].builtin, true);
  const edited = json(['role', 'edit', role.id, '--permissions', 'model:read']);
  assert.deepEqual(edited.permissions, ['model:read']);
  const builtin = routerly(['role', 'remove', 'admin']);
  assert.notEqual(builtin.code, 0);

  const email = `${unique('member')}@example.com`;
  ok(['user', 'add', '--email', email, '--password', PASSWORD, '--role', role.id]);
  const slug = unique('cli-members').toLowerCase();
  ok(['project', 'add', '--name', slug, '--slug', slug]);
  const added = json(['project', 'member', 'add', slug, '--email', email, '--role', 'editor']);
  assert.equal(added.role, 'editor');
  ok(['project', 'member', 'set-role', slug, '--email', email, '--role', 'viewer']);
  let members = json(['project', 'member', 'list', slug]);
  assert.equal(members.find((m) => m.email === email).role, 'viewer');
  ok(['project', 'member', 'remove', slug, '--email', email]);
  members = json(['project', 'member', 'list', slug]);
  assert.ok(!members.some((m) => m.email === email));
  const notMember = routerly(['project', 'member', 'remove', slug, '--email', email]);
  assert.notEqual(notMember.code, 0);
  assert.match(notMember.stderr, /not a member/);

  // User removal by email, then the now unused role.
  ok(['user', 'remove', email]);
  assert.ok(!json(['user', 'list']).some((u) => u.email === email));
  ok(['role', 'remove', role.id]);

  const [first] = json(['project', 'token', 'list', slug]);
  ok(['project', 'token', 'remove', slug, first.id]);
  assert.equal(json(['project', 'token', 'list', slug]).length, 0);
});

test('project token edit: labels and per-model limits in the spec syntax', () => {
  const model = unique('cli-lim');
  ok(['model', 'add', '--id', model, '--provider', 'custom', '--endpoint', 'http://127.0.0.1:9/v1']);
  const slug = unique('cli-limits').toLowerCase();
  ok(['project', 'add', '--name', slug, '--slug', slug, '--models', model]);
  const [tok] = json(['project', 'token', 'list', slug]);

  const bad = routerly(['project', 'token', 'edit', slug, tok.id, '--add-limit', `${model}:cost:period:fortnightly:5`]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /invalid limit spec/);

  const edited = json(['project', 'token', 'edit', slug, tok.id, '--labels', 'x,y', '--add-limit',
    `${model}:cost:period:monthly:25`, '--add-limit', `${model}:calls:rolling:5:minute:100`, '--limits-mode', 'extend']);
  assert.deepEqual(edited.labels, ['x', 'y']);
  const entry = edited.models.find((m) => m.modelId === model);
  assert.ok(entry, JSON.stringify(edited));
  assert.equal(entry.limitsMode, 'extend');
  assert.equal(entry.limits.length, 2);
  assert.ok(entry.limits.some((l) => l.metric === 'cost' && l.windowType === 'period' && l.period === 'monthly' && l.value === 25));
  assert.ok(entry.limits.some((l) => l.metric === 'calls' && l.rollingAmount === 5 && l.rollingUnit === 'minute'));

  json(['project', 'token', 'edit', slug, tok.id, '--remove-limit', `${model}:cost:period`]);
  const after = json(['project', 'token', 'list', slug]).find((t) => t.id === tok.id);
  const limits = after.models.find((m) => m.modelId === model).limits;
  assert.deepEqual(limits.map((l) => l.metric), ['calls']);

  const none = routerly(['project', 'token', 'edit', slug, tok.id, '--remove-limit', `${model}:cost:period`]);
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /no cost period limit/);
});

test('login without --url uses ~/.routerly/config/cli.json serviceUrl', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'routerly-cli-'));
  try {
    mkdirSync(path.join(home, '.routerly', 'config'), { recursive: true });
    writeFileSync(path.join(home, '.routerly', 'config', 'cli.json'), JSON.stringify({ serviceUrl: srv.base }));
    ok(['auth', 'login', '--email', ADMIN_EMAIL, '--password', PASSWORD], { home });
    const [acct] = json(['auth', 'ps'], { home });
    assert.equal(acct.serverUrl, srv.base);
    assert.equal(acct.alias, ADMIN_EMAIL);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('report calls and usage', () => {
  const calls = json(['report', 'calls', '--limit', '5']);
  assert.ok(Array.isArray(calls));
  const usage = json(['report', 'usage', '--period', 'all']);
  assert.equal(typeof usage.summary.totalCalls, 'number');
  assert.ok(usage.byModel && typeof usage.byModel === 'object');
  assert.notEqual(routerly(['report', 'calls', '--limit', '0']).code, 0);
});

test('an expired access token is renewed with the refresh token', () => {
  const cfg = readConfig();
  const acct = cfg.accounts.find((a) => a.alias === cfg.currentAlias);
  const oldRefresh = acct.refreshToken;
  acct.token = expiredJwt();
  acct.expiresAt = 1000_000;
  writeFileSync(configPath(), JSON.stringify(cfg));
  assert.equal(json(['auth', 'whoami']).email, ADMIN_EMAIL);
  const after = readConfig().accounts.find((a) => a.alias === cfg.currentAlias);
  assert.notEqual(after.token, acct.token);
  assert.notEqual(after.refreshToken, oldRefresh, 'the rotated refresh token is saved');
  assert.ok(after.expiresAt > Date.now() + 3600_000);

  // `auth refresh` rotates on demand.
  ok(['auth', 'refresh']);
  assert.notEqual(readConfig().accounts.find((a) => a.alias === cfg.currentAlias).refreshToken, after.refreshToken);

  // With both tokens dead the user is told to log in again.
  const dead = readConfig();
  const d = dead.accounts.find((a) => a.alias === cfg.currentAlias);
  d.token = expiredJwt();
  d.refreshToken = 'not-a-refresh-token';
  writeFileSync(configPath(), JSON.stringify(dead));
  const r = routerly(['auth', 'whoami']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /auth login/);
});

test('--help on groups and commands; logout forgets the account', () => {
  for (const args of [['--help'], ['auth', '--help'], ['model', 'add', '--help'], ['project', 'token', 'create', '--help']]) {
    const r = routerly(args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /Usage|OPTIONS|Options/i);
  }
  ok(['auth', 'login', '--url', srv.base, '--email', ADMIN_EMAIL, '--password', PASSWORD, '--alias', 'main']);
  ok(['auth', 'logout']);
  const aliases = json(['auth', 'ps']).map((a) => a.alias);
  assert.ok(!aliases.includes('main'));
  assert.equal(readConfig().currentAlias, aliases[0] ?? '');
});
