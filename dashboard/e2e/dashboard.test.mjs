// Browser test of the dashboard (issue 6): the real `routerly serve` with the built bundle, the
// mock upstream, and Debian's Chromium driven by playwright-core (never a downloaded browser).
// One user journey, step by step, each step with its own assertions:
//   first-admin setup → logout/login → add a model (Models form) → create a project and give it a
//   routing policy → create a token and copy it → streamed playground chat → the call in Usage
//   with its trace → a viewer sees no edit controls and the API refuses its writes.
// Along the way every page is photographed (light, some dark, some at 420 px) into
// ROUTERLY_TEST_OUTPUT, and every console error / uncaught page error fails the run.
//
// Env: ROUTERLY_BIN, ROUTERLY_DASHBOARD_DIR (built bundle), ROUTERLY_SOURCE_DIR (repo root, for
// the mock upstream), ROUTERLY_TEST_OUTPUT (screenshot dir; default a temp dir),
// ROUTERLY_CHROMIUM (default /usr/bin/chromium).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { Server } from '../../tests/integration/lib/server.mjs';
import { Mock, mockReply } from '../../tests/integration/lib/mock.mjs';

const CHROMIUM = process.env.ROUTERLY_CHROMIUM ?? '/usr/bin/chromium';
const DASHBOARD_DIR = process.env.ROUTERLY_DASHBOARD_DIR;
const OUT = process.env.ROUTERLY_TEST_OUTPUT ?? mkdtempSync(path.join(os.tmpdir(), 'routerly-e2e-'));
mkdirSync(OUT, { recursive: true });

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };
const VIEWER = { email: 'viewer@example.com', password: 'viewer password 1' };
const MODEL_ID = 'mock/gpt-4o';
const MODEL2_ID = 'mock/gpt-4o-mini';
const PROJECT_NAME = 'E2E Project';
const STEP_TIMEOUT = 8_000; // every single wait
const TOKEN_RE = /^sk-rt-[0-9a-f]{64}$/;

const missing = [];
if (!process.env.ROUTERLY_BIN) missing.push('ROUTERLY_BIN');
if (!DASHBOARD_DIR || !existsSync(path.join(DASHBOARD_DIR, 'index.html'))) missing.push('ROUTERLY_DASHBOARD_DIR (with index.html)');
if (!existsSync(CHROMIUM)) missing.push(`${CHROMIUM}`);

let mock;
let server;
let browser;
let context;
let page;
const problems = []; // console errors and page errors, with the page they happened on
const expectedErrors = []; // predicates for console errors a step provokes on purpose

before(async () => {
  // Without the binary, the bundle or the browser this test cannot say anything: fail loudly.
  if (missing.length) throw new Error(`dashboard e2e cannot run, missing: ${missing.join(', ')}`);
  mock = await new Mock().start();
  server = new Server({ env: { ROUTERLY_DASHBOARD_DIR: DASHBOARD_DIR } });
  await server.start();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'], timeout: 20_000 });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(15_000);
  page = await context.newPage();
  watch(page);
}, { timeout: 60_000 });

// Everything this test started is stopped, each within a bounded time.
const bounded = (promise, ms) => Promise.race([promise, new Promise((r) => setTimeout(r, ms).unref())]);
after(async () => {
  await bounded(context?.close().catch(() => {}), 10_000);
  await bounded(browser?.close().catch(() => {}), 10_000);
  await server?.dispose();
  await mock?.stop();
}, { timeout: 60_000 });

function watch(p) {
  p.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const where = msg.location()?.url ?? '';
    if (expectedErrors.some((ok) => ok(text, where))) return;
    problems.push(`[${currentStep}] console error on ${p.url()}: ${text}${where ? ` (${where})` : ''}`);
  });
  p.on('pageerror', (err) => problems.push(`[${currentStep}] page error on ${p.url()}: ${err.message}`));
}

// ---- helpers ------------------------------------------------------------------------------

const url = (route) => `${server.base}/dashboard${route}`;
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
let shotCount = 0;

async function shot(name, p = page) {
  shotCount += 1;
  await p.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true, timeout: STEP_TIMEOUT });
}

// Waits until the page shows no loading spinner (every page uses <Loading/> with role=status).
async function settled(p = page) {
  await p.locator('.state-loading').first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT }).catch(() => {});
  await p.waitForLoadState('networkidle', { timeout: STEP_TIMEOUT }).catch(() => {});
}

async function go(route, p = page) {
  await p.goto(url(route));
  await settled(p);
}

// A control by its visible name, whether it is a real button or a link styled as one.
const control = (name, p = page, exact = true) =>
  p.getByRole('button', { name, exact }).or(p.getByRole('link', { name, exact }));

async function nav(label) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  await settled();
}

async function expectPath(route) {
  await page.waitForURL((u) => new URL(u).pathname === `/dashboard${route}`, { timeout: STEP_TIMEOUT });
}

async function sessionToken(p = page) {
  const raw = await p.evaluate(() => localStorage.getItem('routerly.session'));
  assert.ok(raw, 'a session is stored after signing in');
  return JSON.parse(raw).token;
}

async function signIn(who) {
  // Like a person: stay on the login page the logout led to, else open it.
  if (new URL(page.url()).pathname !== '/dashboard/login') await go('/login');
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email', { exact: true }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-user').waitFor();
  assert.equal((await page.getByTestId('current-user').innerText()).trim(), who.email);
  await settled();
}

async function signOut() {
  await page.getByRole('button', { name: 'Log out' }).click();
  await expectPath('/login');
  assert.equal(await page.evaluate(() => localStorage.getItem('routerly.session')), null, 'logout forgets the session');
}

// Steps run in order; once one fails the rest are skipped (they build on each other), and the
// failing page is photographed.
let broken = null;
let currentStep = 'start';
const state = {};
function step(name, fn) {
  test(name, { timeout: 45_000 }, async (t) => {
    if (broken) return t.skip(`an earlier step failed (${broken})`);
    currentStep = name;
    try {
      await fn(t);
    } catch (err) {
      broken = name;
      await shot(`FAILED-${slug(name)}`).catch(() => {});
      throw err;
    }
  });
}

// ---- the journey -----------------------------------------------------------------------------

step('first-admin setup in the browser', async () => {
  await page.goto(url('/'));
  await expectPath('/setup'); // not signed in → login → needsSetup → setup
  await page.getByRole('heading', { name: 'Welcome to Routerly' }).waitFor();
  await shot('setup');
  // Client-side validation shows next to the field before anything is sent.
  await page.getByLabel('Email', { exact: true }).fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Confirm password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Create admin account' }).click();
  assert.ok(await page.locator('.field-error').first().isVisible(), 'a too-short password is refused next to the field');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Confirm password', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await expectPath('/overview');
  assert.equal((await page.getByTestId('current-user').innerText()).trim(), ADMIN.email);
  const status = await server.api('GET', '/api/setup/status');
  assert.equal(status.json.needsSetup, false);
});

step('logout, then login', async () => {
  await signOut();
  await settled();
  await page.getByRole('heading', { name: 'Sign in to Routerly' }).waitFor();
  await shot('login');
  // A wrong password is answered in the form.
  expectedErrors.push((text, where) => where.endsWith('/api/auth/login') && /401/.test(text));
  await page.getByLabel('Email', { exact: true }).fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
  await signIn(ADMIN);
  await expectPath('/overview');
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
});

step('add a model through the Models form', async () => {
  await nav('Models');
  await page.getByRole('heading', { name: 'Models', level: 1 }).waitFor();
  await shot('models-empty');
  await control('Add model').first().click();
  await expectPath('/models/new');
  await settled();
  await page.getByLabel('Provider', { exact: true }).selectOption('custom');
  await page.getByLabel(/^Upstream model( id)?$/).fill('gpt-4o');
  await page.getByLabel('Model id', { exact: true }).fill(MODEL_ID);
  await page.getByLabel('Endpoint', { exact: true }).fill(`${mock.base}/v1`);
  await page.getByLabel('API key', { exact: true }).fill('sk-mock-key');
  await page.getByLabel('Input price', { exact: true }).fill('1');
  await page.getByLabel('Output price', { exact: true }).fill('2');
  await shot('model-form');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expectPath('/models');
  await settled();
  const row = page.getByTestId(`model-row-${MODEL_ID}`);
  await row.waitFor();
  assert.match(await row.innerText(), /custom/);
  // Stored as typed, key kept secret.
  const token = await sessionToken();
  const stored = await server.api('GET', `/api/models/${encodeURIComponent(MODEL_ID)}`, { token });
  assert.equal(stored.status, 200);
  assert.equal(stored.json.endpoint, `${mock.base}/v1`);
  assert.equal(stored.json.upstreamModelId, 'gpt-4o');
  assert.equal(stored.json.hasApiKey, true);
  assert.equal(stored.json.apiKey, undefined);
  // A second, pricier candidate through the API, so routing has a choice to make.
  const second = await server.api('POST', '/api/models', {
    token,
    body: { id: MODEL2_ID, provider: 'custom', endpoint: `${mock.base}/v1`, apiKey: 'sk-mock-key', upstreamModelId: 'gpt-4o-mini', inputPrice: 5, outputPrice: 10 },
  });
  assert.equal(second.status, 201, second.text);
  await page.reload();
  await settled();
  await page.getByTestId(`model-row-${MODEL2_ID}`).waitFor();
  await shot('models');
  await go(`/models/${encodeURIComponent(MODEL_ID)}`);
  await page.getByRole('heading', { name: `Edit model ${MODEL_ID}` }).waitFor();
  assert.equal(await page.getByLabel('Endpoint', { exact: true }).inputValue(), `${mock.base}/v1`);
  await shot('model-edit');
});

step('create a project with a routing policy', async () => {
  await nav('Projects');
  await shot('projects-empty');
  await control('Create project').first().click();
  await expectPath('/projects/new');
  await settled();
  await page.getByLabel('Name', { exact: true }).fill(PROJECT_NAME);
  await page.getByLabel(MODEL_ID, { exact: true }).check();
  await page.getByLabel(MODEL2_ID, { exact: true }).check();
  await shot('project-new');
  await page.getByRole('button', { name: 'Create project' }).click();
  // The first token is shown once.
  const first = page.getByTestId('new-token-value');
  await first.waitFor();
  assert.match((await first.innerText()).trim(), TOKEN_RE);
  await page.getByRole('button', { name: 'Go to project' }).click();
  await page.waitForURL(/\/dashboard\/projects\/[^/]+\/general$/);
  await settled();
  state.projectId = decodeURIComponent(new URL(page.url()).pathname.split('/')[3]);
  await page.getByRole('heading', { name: PROJECT_NAME, level: 1 }).waitFor();
  await shot('project-general');

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Routing' }).click();
  await expectPath(`/projects/${state.projectId}/routing`);
  await settled();
  await routingAddPolicy();
  const token = await sessionToken();
  const project = await server.api('GET', `/api/projects/${state.projectId}`, { token });
  assert.equal(project.status, 200);
  assert.deepEqual(project.json.policies.map((p) => [p.type, p.enabled]), [['cheapest', true], ['health', true]]);
  assert.deepEqual(project.json.models.map((m) => m.modelId).sort(), [MODEL_ID, MODEL2_ID].sort());
  await shot('project-routing');
});

// Routing tab (pages/projects/ProjectRoutingTab.tsx): pick a type, "Add policy", then "Save".
async function routingAddPolicy() {
  await page.getByRole('heading', { name: 'Policies' }).waitFor();
  for (const type of ['health', 'cheapest']) {
    await page.getByLabel('Policy type', { exact: true }).selectOption(type);
    await page.getByRole('button', { name: 'Add policy', exact: true }).click();
    await page.getByTestId(`policy-${type}`).waitFor();
  }
  // Reorder: cheapest first (it weighs most), with the keyboard-accessible buttons.
  await page.getByRole('button', { name: 'Move cheapest up' }).click();
  const order = await page.locator('[data-testid^="policy-"]').evaluateAll((els) => els.map((e) => e.dataset.testid));
  assert.deepEqual(order, ['policy-cheapest', 'policy-health']);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByTestId('toast-success').filter({ hasText: 'Routing saved' }).waitFor();
}

step('create a token in the Tokens tab and copy it', async () => {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Tokens' }).click();
  await expectPath(`/projects/${state.projectId}/tokens`);
  await settled();
  await control('Create token').first().click();
  const dialog = page.getByRole('dialog', { name: 'Create token' });
  await dialog.getByLabel('Token name', { exact: true }).fill('e2e token');
  await dialog.getByRole('button', { name: 'Create token', exact: true }).click();
  const value = page.getByTestId('new-token-value');
  await value.waitFor();
  const shown = (await value.innerText()).trim();
  assert.match(shown, TOKEN_RE);
  await shot('project-token-created');
  await page.getByRole('dialog').getByRole('button', { name: 'Copy' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Copied' }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, shown, 'the Copy button puts the token on the clipboard');
  state.token = copied;
  await page.getByRole('dialog').getByRole('button', { name: 'Done', exact: true }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await settled();
  // Listed by snippet only; the proxy accepts it.
  assert.ok(await page.getByText(shown.slice(0, 10)).first().isVisible(), 'the new token is listed by its snippet');
  assert.equal(await page.getByText(shown).count(), 0, 'the full value is not shown again');
  const models = await server.api('GET', '/v1/models', { token: shown });
  assert.equal(models.status, 200);
  await shot('project-tokens');
});

step('playground: streamed chat with the copied token', async () => {
  await nav('Playground');
  await expectPath('/test');
  await page.getByRole('heading', { name: 'Playground', level: 1 }).waitFor();
  await shot('playground-empty');
  await page.getByLabel('Project token', { exact: true }).fill(state.token);
  const prompt = 'Tell me about routing please';
  // The marker slows the mock's stream (120 ms between events) and is not part of the reply.
  await page.getByLabel('Message', { exact: true }).fill(`${prompt} [[mock:chunk_delay=120]]`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();

  const answer = page.getByTestId('assistant-message').last();
  const content = answer.getByTestId('answer-content');
  await page.getByRole('button', { name: 'Stop', exact: true }).waitFor(); // streaming has started
  // Sample the text while it streams: several partial states must be seen before the end.
  const seen = new Set();
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const status = await answer.getAttribute('data-status');
    const text = (await content.textContent().catch(() => '')).replace('▍', '').trim();
    if (text) seen.add(text);
    if (status !== 'streaming') break;
    await page.waitForTimeout(40);
  }
  assert.equal(await answer.getAttribute('data-status'), 'done');
  const finalText = (await content.innerText()).trim();
  const upstream = finalText.includes('gpt-4o-mini') ? 'gpt-4o-mini' : 'gpt-4o';
  assert.equal(finalText, mockReply(upstream, prompt));
  assert.ok(seen.size >= 3, `the answer arrived incrementally (saw ${seen.size} distinct states: ${[...seen].join(' | ')})`);
  // The model used is the router's id of the upstream that answered.
  const used = (await answer.getByTestId('answer-model').innerText()).trim();
  assert.equal(used, `Model: ${upstream === 'gpt-4o' ? MODEL_ID : MODEL2_ID}`);
  state.modelUsed = upstream === 'gpt-4o' ? MODEL_ID : MODEL2_ID;
  state.traceId = (await answer.getByTestId('answer-trace-id').innerText()).trim();
  // The four debug panels, fed by the trace events.
  const trace = page.getByTestId('trace-view');
  for (const [panel, event] of [['Router request', 'router:intake'], ['Router response', 'router:recap'], ['Model request', 'model:request'], ['Model response', 'model:success']]) {
    const region = trace.getByRole('region', { name: panel });
    assert.ok(await region.getByText(event, { exact: true }).first().isVisible(), `${panel} shows ${event}`);
  }
  assert.ok(await trace.getByRole('region', { name: 'Router response' }).getByText('policy:result:cheapest').isVisible(), 'the cheapest policy scored the candidates');
  await shot('playground');

  // Image attachment: previewed, removable, sent as an image_url data-URI part.
  const png = { name: 'pixel.png', mimeType: 'image/png', buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==', 'base64') };
  const attachments = page.getByRole('list', { name: 'Attached images' });
  await page.getByLabel('Attach image').setInputFiles(png);
  await attachments.getByRole('img', { name: 'pixel.png' }).waitFor();
  await page.getByRole('button', { name: 'Remove pixel.png' }).click();
  await attachments.waitFor({ state: 'detached' });
  await page.getByLabel('Attach image').setInputFiles(png);
  await attachments.getByRole('img', { name: 'pixel.png' }).waitFor();
  await mock.clear();
  await page.getByLabel('Message', { exact: true }).fill('What is in this picture?');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="assistant-message"]')].pop()?.dataset.status === 'done', null, { timeout: STEP_TIMEOUT });
  assert.ok(await page.getByTestId('user-message').last().getByRole('img', { name: 'pixel.png' }).isVisible(), 'the sent image shows in the transcript');
  const upstreamCalls = await mock.requests('/v1/chat/completions');
  assert.equal(upstreamCalls.length, 1);
  const sentMessages = upstreamCalls[0].body.messages;
  const lastUser = sentMessages[sentMessages.length - 1];
  assert.deepEqual(lastUser.content, [
    { type: 'text', text: 'What is in this picture?' },
    { type: 'image_url', image_url: { url: `data:image/png;base64,${png.buffer.toString('base64')}` } },
  ]);
  assert.equal(sentMessages.filter((m) => m.role === 'assistant').length, 1, 'the history carries the earlier answer');
  await shot('playground-image');

  // Stop: a slow answer is cut off and marked as stopped.
  await page.getByLabel('Message', { exact: true }).fill('A very slow answer [[mock:chunk_delay=600]]');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const slow = page.getByTestId('assistant-message').last();
  await slow.getByTestId('answer-content').filter({ hasText: 'Hello' }).waitFor();
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="assistant-message"]')].pop()?.dataset.status === 'stopped', null, { timeout: STEP_TIMEOUT });
  assert.ok(!(await slow.getByTestId('answer-content').innerText()).includes('slow answer'), 'the stopped answer is incomplete');
  await page.getByRole('button', { name: 'Send', exact: true }).waitFor();
  // A bad token is refused clearly in the transcript.
  // (the page also asks /v1/models with it, for the model suggestions: refused the same way)
  expectedErrors.push((text, where) => /\/v1\/(chat\/completions|models)$/.test(where) && /401/.test(text));
  await page.getByLabel('Project token', { exact: true }).fill(`sk-rt-${'0'.repeat(64)}`);
  await page.getByLabel('Message', { exact: true }).fill('hello?');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const refused = page.getByTestId('assistant-message').last().getByTestId('answer-error');
  await refused.waitFor();
  assert.match(await refused.innerText(), /401 unauthorized/);
  await page.getByLabel('Project token', { exact: true }).fill(state.token);
  // Remembered for the tab.
  assert.equal(await page.evaluate(() => sessionStorage.getItem('routerly.playground.token')), state.token);
});

step('the call appears in Usage and its detail shows the trace', async () => {
  await nav('Usage');
  await expectPath('/usage');
  const rowLink = page.locator('table').getByRole('link').filter({ hasText: state.modelUsed })
    .or(page.locator('table tr').filter({ hasText: state.modelUsed }).getByRole('link'));
  await rowLink.first().waitFor({ timeout: 15_000 });
  await shot('usage');
  // The record of the chat: find it by trace id through the API, then open it in the UI.
  const token = await sessionToken();
  const usage = await server.api('GET', '/api/usage?limit=50', { token });
  assert.equal(usage.status, 200);
  const record = usage.json.records.find((r) => r.traceId === state.traceId);
  assert.ok(record, `the playground call (trace ${state.traceId}) is in the usage records`);
  assert.equal(record.outcome, 'success');
  assert.equal(record.modelId, state.modelUsed);
  await go(`/usage/${encodeURIComponent(record.id)}`);
  const trace = page.getByTestId('trace-view');
  await trace.waitFor();
  for (const [panel, event] of [['Router request', 'router:intake'], ['Router response', 'router:result'], ['Model request', 'model:request'], ['Model response', 'model:success']]) {
    assert.ok(await trace.getByRole('region', { name: panel }).getByText(event, { exact: true }).first().isVisible(), `usage detail: ${panel} shows ${event}`);
  }
  await shot('usage-detail');
  // And it is reachable from the list by clicking.
  await go('/usage');
  await rowLink.first().click();
  await page.waitForURL(/\/dashboard\/usage\/[^/]+$/);
  await page.getByTestId('trace-view').waitFor();
});

step('screenshots of every page (light)', async () => {
  const pages = [
    ['/overview', 'overview', 'Overview'],
    ['/models', 'models-list', 'Models'],
    ['/models/new', 'model-new', 'Add model'],
    ['/projects', 'projects', 'Projects'],
    [`/projects/${state.projectId}/general`, 'project-general-tab', PROJECT_NAME],
    [`/projects/${state.projectId}/routing`, 'project-routing-tab', PROJECT_NAME],
    [`/projects/${state.projectId}/tokens`, 'project-tokens-tab', PROJECT_NAME],
    [`/projects/${state.projectId}/users`, 'project-users-tab', PROJECT_NAME],
    [`/projects/${state.projectId}/logs`, 'project-logs-tab', PROJECT_NAME],
    ['/usage', 'usage-list', 'Usage'],
    ['/test', 'playground-page', 'Playground'],
    ['/settings/general', 'settings-general', null],
    ['/settings/notifications', 'settings-notifications', null],
    ['/settings/about', 'settings-about', null],
    ['/settings/users', 'users', null],
    ['/settings/roles', 'roles', null],
    ['/profile', 'profile', null],
  ];
  for (const [route, name, heading] of pages) {
    await go(route);
    await page.locator('main h1').first().waitFor().catch(() => assert.fail(`${route} shows no page heading (h1)`));
    if (heading) assert.equal((await page.locator('main h1').first().innerText()).trim(), heading, `${route} heading`);
    assert.equal(await page.locator('main .state-error').count(), 0, `${route} loads without an error state`);
    await shot(name);
  }
});

step('dark theme and a narrow window', async () => {
  await go('/overview');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, 'rgb(246, 247, 251)', 'the dark theme changes the page background');
  for (const [route, name] of [['/overview', 'dark-overview'], ['/models', 'dark-models'], [`/projects/${state.projectId}/routing`, 'dark-project-routing'], ['/test', 'dark-playground'], ['/usage', 'dark-usage']]) {
    await go(route);
    await page.locator('main h1').first().waitFor();
    await shot(name);
  }
  await page.getByRole('button', { name: 'Switch to light theme' }).click();

  await page.setViewportSize({ width: 420, height: 860 });
  for (const [route, name] of [['/overview', 'narrow-overview'], ['/models', 'narrow-models'], ['/models/new', 'narrow-model-form'], [`/projects/${state.projectId}/tokens`, 'narrow-project-tokens'], ['/test', 'narrow-playground'], ['/usage', 'narrow-usage']]) {
    await go(route);
    await page.locator('main h1').first().waitFor();
    // Nothing but scrollable tables may be wider than the window.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${route} fits a 420 px window (overflows by ${overflow}px)`);
    await shot(name);
  }
  // The menu opens from the toggle on a narrow window.
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' }).waitFor({ state: 'visible' });
  await shot('narrow-menu');
  await page.setViewportSize({ width: 1280, height: 800 });
});

step('a viewer sees no edit controls and the API refuses its writes', async () => {
  // Created through the Users page.
  await go('/settings/users');
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add user' });
  await dialog.getByLabel(/^E-?mail$/).fill(VIEWER.email);
  await dialog.getByLabel('Password', { exact: true }).fill(VIEWER.password);
  await dialog.getByLabel('Role', { exact: true }).selectOption('viewer');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('row').filter({ hasText: VIEWER.email }).waitFor();
  const users = await server.api('GET', '/api/users', { token: await sessionToken() });
  const viewer = users.json.find((u) => u.email === VIEWER.email);
  assert.equal(viewer?.roleId, 'viewer', 'the new user has the viewer role');
  await signOut();
  await signIn(VIEWER);
  // The admin signed out on /settings/users; the viewer must land on its own home page, not on
  // the previous user's page (which it may not see: 403s and console errors).
  // (asserted at the end of the step, so the permission checks below run either way)
  const landing = new URL(page.url()).pathname;

  await go('/models');
  await page.getByTestId(`model-row-${MODEL_ID}`).waitFor();
  assert.equal(await control('Add model', page, false).count(), 0, 'no "Add model" for a viewer');
  assert.equal(await page.getByRole('button', { name: /^(Delete|Edit|Disable|Enable)\b/ }).count(), 0, 'no model edit buttons for a viewer');
  await shot('viewer-models');
  await go('/projects');
  await page.getByRole('link', { name: PROJECT_NAME }).waitFor();
  assert.equal(await control('Create project', page, false).count(), 0, 'no "Create project" for a viewer');
  assert.equal(await page.getByRole('button', { name: /Delete/ }).count(), 0, 'no project delete for a viewer');
  await go(`/projects/${state.projectId}/tokens`);
  assert.equal(await control('Create token', page, false).count(), 0, 'no "Create token" for a viewer');
  assert.equal(await page.getByRole('button', { name: /Revoke/ }).count(), 0, 'no token revoke for a viewer');
  await go(`/projects/${state.projectId}/routing`);
  assert.equal(await page.getByRole('button', { name: /^(Save|Add policy)/ }).count(), 0, 'no routing edits for a viewer');
  await shot('viewer-project-routing');
  // Settings/users are not in the viewer's navigation.
  const navLinks = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
  assert.ok(!navLinks.includes('Settings') && !navLinks.includes('Users'), `viewer navigation: ${navLinks.join(', ')}`);

  // The API refuses anyway, with the viewer's own session.
  const viewerToken = await sessionToken();
  const write = await server.api('POST', '/api/models', {
    token: viewerToken, body: { id: 'mock/viewer-made', provider: 'custom', endpoint: `${mock.base}/v1`, inputPrice: 1, outputPrice: 1 },
  });
  assert.equal(write.status, 403, write.text);
  assert.equal(write.json.error, 'forbidden');
  const del = await server.api('DELETE', `/api/projects/${state.projectId}`, { token: viewerToken });
  assert.equal(del.status, 403, del.text);
  assert.equal(landing, '/dashboard/overview', 'after a logout, the next user signs in to its own home page, not the previous user\'s page');
});

test('no console errors or uncaught page errors', (t) => {
  t.diagnostic(`screenshots: ${OUT}`);
  assert.deepEqual(problems, [], `browser problems:\n${problems.join('\n')}`);
  assert.ok(shotCount >= 20 || broken, `screenshots taken (${shotCount}) into ${OUT}`);
});
