// The `routerly` client commands added on top of cli_basic: project show/edit, routing and
// policies, the candidate pool, user edit and password sources, service status/configure,
// provider inference in `model add` and `report usage --by`. Each runs the real binary
// (HOME = a private directory) against a live server with the mock upstream behind it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { cliRunner } from './lib/cli.mjs';
import { ADMIN_EMAIL, PASSWORD, unique } from './lib/accounts.mjs';
import { rawProxy, startProxyFixture } from './lib/proxy_fixture.mjs';

let fx;
let cliHome;

const { routerly, ok, failsWith, json } = cliRunner(() => cliHome);

// A custom model pointing at the mock upstream.
function addModel(prefix = 'cli-pool') {
  const id = unique(prefix);
  ok(['model', 'add', '--id', id, '--provider', 'custom', '--endpoint', `${fx.mock.base}/v1`, '--api-key', 'sk-up-x',
    '--input-price', '1', '--output-price', '2']);
  return id;
}

function addProject(models = []) {
  const slug = unique('cli-proj').toLowerCase();
  const args = ['project', 'add', '--name', `Name ${slug}`, '--slug', slug];
  if (models.length) args.push('--models', models.join(','));
  return json(args);
}

before(async () => {
  fx = await startProxyFixture();
  cliHome = mkdtempSync(path.join(os.tmpdir(), 'routerly-cli-'));
  ok(['auth', 'login', '--url', fx.base, '--email', ADMIN_EMAIL, '--password', PASSWORD]);
});

after(async () => {
  await fx?.dispose();
  if (cliHome) rmSync(cliHome, { recursive: true, force: true });
});

test('project show and edit, by slug or id', async () => {
  const model = addModel();
  const created = addProject([model]);
  const shown = json(['project', 'show', created.slug]);
  assert.equal(shown.id, created.id);
  assert.deepEqual(shown.models.map((m) => m.modelId), [model]);
  assert.equal(json(['project', 'show', created.id]).slug, created.slug);
  const table = ok(['project', 'show', created.slug]).stdout.split('\n');
  assert.match(table[0], /^FIELD\s+VALUE$/);
  const slugRow = table.find((l) => l.startsWith('slug'));
  assert.equal(slugRow.indexOf(created.slug), table[0].indexOf('VALUE'));

  const newSlug = `${created.slug}-x`;
  const edited = json(['project', 'edit', created.id, '--name', `Renamed ${created.slug}`, '--slug', newSlug, '--timeout', '45000']);
  assert.equal(edited.name, `Renamed ${created.slug}`);
  assert.equal(edited.slug, newSlug);
  assert.equal(edited.timeoutMs, 45000);
  assert.equal(json(['project', 'show', newSlug]).timeoutMs, 45000);

  const expected = await fx.api('GET', '/api/projects/no-such-project');
  assert.equal(expected.status, 404);
  const stderr = failsWith(['project', 'show', 'no-such-project'], /.+/);
  assert.ok(stderr.includes(expected.json.message), stderr);
  failsWith(['project', 'edit', 'no-such-project', '--name', 'x'], /.+/);
  failsWith(['project', 'edit', newSlug], /nothing to change/);
  // `project create` is SPEC §11's name for `project add`.
  const other = json(['project', 'create', '--name', unique('Created')]);
  assert.equal(json(['project', 'show', other.id]).slug, other.slug);
  failsWith(['project', 'edit', newSlug, '--timeout', '5'], /timeoutMs/);
});

test('routing policies: enable, configure, disable, reorder, list (and the `project policy` alias)', () => {
  const model = addModel();
  const { slug } = addProject([model]);
  assert.deepEqual(json(['project', 'routing', 'policy', 'list', slug]), []);

  let p = json(['project', 'routing', 'policy', 'enable', slug, 'cheapest']);
  assert.deepEqual(p.policies, [{ type: 'cheapest', enabled: true }]);
  p = json(['project', 'routing', 'policy', 'enable', slug, 'health', '--config', '{"windowMinutes": 10}']);
  assert.deepEqual(p.policies.map((x) => x.type), ['cheapest', 'health']);
  assert.deepEqual(p.policies[1].config, { windowMinutes: 10 });
  assert.match(ok(['project', 'policy', 'enable', slug, 'performance']).stdout, /Enabled policy performance on .*cheapest, health, performance/);

  p = json(['project', 'policy', 'disable', slug, 'health']);
  assert.deepEqual(p.policies[1], { type: 'health', enabled: false, config: { windowMinutes: 10 } });
  // Re-enabling keeps the configuration unless a new one is given.
  p = json(['project', 'policy', 'enable', slug, 'health']);
  assert.deepEqual(p.policies[1], { type: 'health', enabled: true, config: { windowMinutes: 10 } });
  json(['project', 'policy', 'disable', slug, 'health']);

  p = json(['project', 'routing', 'policy', 'reorder', slug, 'performance, health']);
  assert.deepEqual(p.policies.map((x) => x.type), ['performance', 'health', 'cheapest']);
  const listed = json(['project', 'policy', 'list', slug]);
  assert.deepEqual(listed.map((x) => [x.type, x.enabled]), [['performance', true], ['health', false], ['cheapest', true]]);
  const table = ok(['project', 'policy', 'list', slug]).stdout.split('\n');
  assert.match(table[0], /^#\s+TYPE\s+ENABLED\s+CONFIG$/);
  assert.match(table[2], /^2\s+health\s+no\s+\{"windowMinutes":10\}$/);

  // Errors: bad JSON is caught locally, the server's validation otherwise.
  failsWith(['project', 'policy', 'enable', slug, 'health', '--config', '{windowMinutes: 10'], /--config is not valid JSON/);
  failsWith(['project', 'policy', 'enable', slug, 'health', '--config', '[1]'], /must be a JSON object/);
  failsWith(['project', 'policy', 'enable', slug, 'health', '--config', '{"windowMinutes": -1}'], /windowMinutes.*greater than 0/);
  failsWith(['project', 'policy', 'enable', slug, 'fastest'], /type.*must be one of/);
  failsWith(['project', 'policy', 'disable', slug, 'llm'], /'llm' is not configured/);
  failsWith(['project', 'policy', 'reorder', slug, 'cheapest,llm'], /'llm' is not configured/);
  failsWith(['project', 'policy', 'list', 'no-such-project'], /.+/);
  failsWith(['project', 'policy', 'enable', 'no-such-project', 'cheapest'], /.+/);
  // Nothing changed by the failures.
  assert.deepEqual(json(['project', 'policy', 'list', slug]), listed);
});

test('routing show and update of the legacy fields', () => {
  const a = addModel();
  const b = addModel();
  const { slug } = addProject([a, b]);
  json(['project', 'policy', 'enable', slug, 'llm', '--config', `{"routingModelId": "${a}"}`]);
  json(['project', 'model', 'set-prompt', slug, b, '--prompt', 'hard maths']);

  let view = json(['project', 'routing', 'show', slug]);
  assert.equal(view.slug, slug);
  assert.deepEqual(view.policies, [{ type: 'llm', enabled: true, config: { routingModelId: a } }]);
  assert.deepEqual(view.models, [{ modelId: a }, { modelId: b, prompt: 'hard maths' }]);
  assert.equal(view.routingModelId, null);
  assert.deepEqual(view.fallbackRoutingModelIds, []);
  assert.match(ok(['project', 'routing', 'show', slug]).stdout, /FALLBACK MODELS\n-\s+-\s+-\n$/);

  const updated = json(['project', 'routing', 'update', slug, '--routing-model', a, '--fallback-models', `${b}, ${a}`, '--no-auto-routing']);
  assert.equal(updated.routingModelId, a);
  assert.equal(updated.autoRouting, false);
  view = json(['project', 'routing', 'show', slug]);
  assert.equal(view.routingModelId, a);
  assert.equal(view.autoRouting, false);
  assert.deepEqual(view.fallbackRoutingModelIds, [b, a]);
  assert.equal(json(['project', 'routing', 'update', slug, '--auto-routing']).autoRouting, true);

  const text = ok(['project', 'routing', 'show', slug]).stdout;
  assert.match(text, /Policies \(applied in order\)\n#\s+TYPE\s+ENABLED\s+CONFIG\n1\s+llm\s+yes/);
  assert.match(text, new RegExp(`${b}\\s+hard maths`));
  assert.match(text, new RegExp(`ROUTING MODEL\\s+AUTO ROUTING\\s+FALLBACK MODELS\\n${a}\\s+yes\\s+${b},${a}`));

  failsWith(['project', 'routing', 'update', slug], /nothing to change/);
  failsWith(['project', 'routing', 'show', 'no-such-project'], /.+/);
  failsWith(['project', 'routing', 'update', 'no-such-project', '--auto-routing'], /.+/);
});

test('project model list, add, set-prompt, remove', async () => {
  const a = addModel();
  const b = addModel();
  const { slug } = addProject([a]);
  // Limits on an existing entry survive edits of the pool.
  const limit = { metric: 'calls', windowType: 'period', period: 'daily', value: 5 };
  const put = await fx.api('PUT', `/api/projects/${slug}`, { models: [{ modelId: a, limitsMode: 'extend', limits: [limit] }] });
  assert.equal(put.status, 200, put.text);
  const added = json(['project', 'model', 'add', slug, b, '--prompt', 'long documents']);
  assert.deepEqual(added.models.map((m) => [m.modelId, m.prompt]), [[a, undefined], [b, 'long documents']]);
  assert.equal(added.models[0].limitsMode, 'extend');
  assert.equal(added.models[0].limits.length, 1);
  assert.equal(added.models[0].limits[0].value, 5);
  let models = json(['project', 'model', 'list', slug]);
  assert.deepEqual(models.map((m) => m.modelId), [a, b]);
  const table = ok(['project', 'model', 'list', slug]).stdout.split('\n');
  assert.match(table[0], /^MODEL\s+PROMPT\s+LIMITS MODE\s+LIMITS$/);
  assert.equal(table[2].indexOf('long documents'), table[0].indexOf('PROMPT'));

  assert.match(table[1], new RegExp(`^${a}\\s+extend\\s+1$`));

  json(['project', 'model', 'set-prompt', slug, a, '--prompt', 'short chats']);
  json(['project', 'model', 'set-prompt', slug, b, '--prompt', '']);
  models = json(['project', 'model', 'list', slug]);
  assert.deepEqual(models.map((m) => [m.modelId, m.prompt]), [[a, 'short chats'], [b, undefined]]);
  assert.equal(models[0].limits.length, 1);

  failsWith(['project', 'model', 'add', slug, 'no-such-model'], /unknown model.*no-such-model/);
  failsWith(['project', 'model', 'add', slug, a], /already in the project/);
  failsWith(['project', 'model', 'set-prompt', slug, 'no-such-model', '--prompt', 'x'], /not in the project/);
  failsWith(['project', 'model', 'list', 'no-such-project'], /.+/);

  assert.match(ok(['project', 'model', 'remove', slug, a]).stdout, new RegExp(`Removed ${a} from ${slug}`));
  assert.deepEqual(json(['project', 'model', 'list', slug]).map((m) => m.modelId), [b]);
  failsWith(['project', 'model', 'remove', slug, a], /not in the project/);
});

test('user add reads the password from --password-stdin or ROUTERLY_USER_PASSWORD; user edit', async () => {
  const viaStdin = `${unique('stdin')}@example.com`;
  ok(['user', 'add', '--email', viaStdin, '--password-stdin'], { input: `${PASSWORD}\n` });
  let login = await fx.srv.api('POST', '/api/auth/login', { body: { email: viaStdin, password: PASSWORD } });
  assert.equal(login.status, 200);

  const viaEnv = `${unique('env')}@example.com`;
  const envPassword = 'from the environment';
  const created = json(['user', 'add', '--email', viaEnv, '--role', 'operator'], { env: { ROUTERLY_USER_PASSWORD: envPassword } });
  assert.equal(created.role, 'operator');
  login = await fx.srv.api('POST', '/api/auth/login', { body: { email: viaEnv, password: envPassword } });
  assert.equal(login.status, 200);

  // No source at all (stdin is not a terminal here): a clear error, nothing created.
  const none = `${unique('none')}@example.com`;
  failsWith(['user', 'add', '--email', none], /password is required.*ROUTERLY_USER_PASSWORD/);
  failsWith(['user', 'add', '--email', none, '--password', 'x', '--password-stdin'], /either --password or --password-stdin/);
  assert.ok(!json(['user', 'list']).some((u) => u.email === none));

  const renamed = `${unique('renamed')}@example.com`;
  const edited = json(['user', 'edit', viaEnv, '--email', renamed, '--role', 'viewer', '--password', 'a new password']);
  assert.equal(edited.email, renamed);
  assert.equal(edited.role, 'viewer');
  assert.equal(edited.id, created.id);
  login = await fx.srv.api('POST', '/api/auth/login', { body: { email: renamed, password: 'a new password' } });
  assert.equal(login.status, 200);
  ok(['user', 'edit', renamed.toUpperCase(), '--password-stdin'], { input: 'stdin new password\n' });
  login = await fx.srv.api('POST', '/api/auth/login', { body: { email: renamed, password: 'stdin new password' } });
  assert.equal(login.status, 200);

  failsWith(['user', 'edit', renamed], /nothing to change/);
  failsWith(['user', 'edit', 'nobody@example.com', '--role', 'viewer'], /no user with email nobody@example.com/);
  failsWith(['user', 'edit', renamed, '--role', 'no-such-role'], /role/i);
  failsWith(['user', 'edit', renamed, '--password', 'short'], /password/i);
});

test('service status and configure', async () => {
  const status = json(['service', 'status']);
  assert.equal(status.health.status, 'ok');
  assert.equal(typeof status.info.version, 'string');
  assert.equal(typeof status.info.uptimeSeconds, 'number');
  assert.equal(typeof status.settings.defaultTimeoutMs, 'number');
  const table = ok(['service', 'status']).stdout;
  assert.match(table, /^FIELD\s+VALUE\n/);
  assert.match(table, /\nversion\s+\S+/);

  const r = ok(['service', 'configure', '--timeout', '45000', '--no-dashboard', '--log-level', 'debug', '--port', '4123', '--host', '127.0.0.1',
    '--public-url', 'https://llm.example.com', '--json']);
  const settings = JSON.parse(r.stdout);
  assert.equal(settings.defaultTimeoutMs, 45000);
  assert.equal(settings.dashboardEnabled, false);
  // The test server runs with ROUTERLY_LOG_LEVEL, which wins over the stored level.
  assert.match(r.stderr, /log level applies when the server starts again/);
  assert.equal(settings.publicUrl, 'https://llm.example.com');
  assert.match(r.stderr, /ignores port and host/);
  const stored = await fx.api('GET', '/api/settings');
  assert.equal(stored.json.defaultTimeoutMs, 45000);
  // The running server keeps its port (its --port also wins in what it reports), and this
  // very call reached it there.
  assert.equal(stored.json.port, fx.srv.port);
  assert.equal(json(['service', 'status']).settings.dashboardEnabled, false);

  const back = ok(['service', 'configure', '--dashboard', '--port', String(fx.srv.port)]);
  assert.match(back.stdout, /Updated settings: .*dashboardEnabled=yes/);
  assert.equal((await fx.api('GET', '/api/settings')).json.dashboardEnabled, true);
  const quiet = ok(['service', 'configure', '--timeout', '30000']);
  assert.equal(quiet.stderr, '');

  failsWith(['service', 'configure'], /nothing to change/);
  failsWith(['service', 'configure', '--public-url', 'not a url'], /publicUrl/);
  failsWith(['service', 'configure', '--timeout', '10'], /defaultTimeoutMs/);
  const level = routerly(['service', 'configure', '--log-level', 'loud']);
  assert.notEqual(level.code, 0);
  assert.match(level.stderr, /log-level/);
});

test('model add infers the provider of a catalogue preset id', () => {
  const m = json(['model', 'add', '--id', 'openai/gpt-4o-mini']);
  assert.equal(m.id, 'openai/gpt-4o-mini');
  assert.equal(m.provider, 'openai');
  assert.equal(m.cost.inputPerMillion, 0.15);
  failsWith(['model', 'add', '--id', 'openai/not-a-preset'], /--provider is required/);
  failsWith(['model', 'add', '--id', unique('bare')], /--provider is required/);
  ok(['model', 'remove', 'openai/gpt-4o-mini']);
});

test('report usage --by model, project and day', async () => {
  const model = addModel('cli-usage');
  const created = addProject([model]);
  const res = await rawProxy(fx.base, '/v1/chat/completions', {
    token: created.token,
    body: { model, messages: [{ role: 'user', content: 'hello there' }] },
  });
  assert.equal(res.status, 200, res.text);
  await fx.waitRecords({ project: created.slug }, (rs) => rs.length >= 1);

  const byModel = json(['report', 'usage', '--period', 'all', '--project', created.slug]);
  assert.equal(byModel.by, 'model');
  assert.equal(byModel.summary.totalCalls, 1);
  assert.equal(byModel.byModel[model].calls, 1);

  const byProject = json(['report', 'usage', '--by', 'project', '--period', 'all']);
  const entry = byProject.byProject[created.id];
  assert.equal(entry.slug, created.slug);
  assert.equal(entry.calls, 1);
  const projectTable = ok(['report', 'usage', '--by', 'project', '--period', 'all']).stdout;
  assert.match(projectTable, new RegExp(`\\n${created.slug}\\s+1\\s+0\\s+\\d+\\s+\\d+\\s+[0-9.e-]+\\n`));

  const today = new Date().toISOString().slice(0, 10);
  const byDay = json(['report', 'usage', '--by', 'day', '--project', created.slug, '--from', today, '--to', today]);
  assert.equal(byDay.series.length, 1);
  assert.ok(byDay.series[0].bucket.startsWith(today), JSON.stringify(byDay.series));
  assert.equal(byDay.series[0].calls, 1);
  assert.match(ok(['report', 'usage', '--by', 'day', '--period', 'monthly']).stdout, /\nDAY\s+CALLS\s+ERRORS/);

  const bad = routerly(['report', 'usage', '--by', 'week']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--by/);
  // Usage outlives deleted projects: an unknown one is a warning and an empty report.
  const gone = routerly(['report', 'usage', '--project', 'no-such-project', '--json']);
  assert.equal(gone.code, 0, gone.stderr);
  assert.match(gone.stderr, /warning: no current project 'no-such-project'/);
  assert.equal(JSON.parse(gone.stdout).summary.totalCalls, 0);
});

test('--help on every new command', () => {
  const commands = [
    ['project', 'show'], ['project', 'edit'], ['project', 'routing'], ['project', 'routing', 'show'],
    ['project', 'routing', 'update'], ['project', 'routing', 'policy', 'enable'], ['project', 'policy', 'reorder'],
    ['project', 'model', 'add'], ['project', 'model', 'set-prompt'], ['user', 'edit'], ['service'],
    ['service', 'status'], ['service', 'configure'], ['report', 'usage'],
  ];
  for (const args of commands) {
    const r = routerly([...args, '--help']);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /Usage|OPTIONS|Options/i, args.join(' '));
  }
});
