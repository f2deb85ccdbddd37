// Notification channels through the real binary (SPEC §13.3, issue 4): the test action reaches a
// local webhook receiver with a valid signature and a local SMTP sink; the private-address
// guard; channel validation and secret masking in /api/settings.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { createUser, setupAdmin } from './lib/accounts.mjs';
import { expectError, expectStatus } from './lib/expect.mjs';
import { startServer } from './lib/server.mjs';
import { startSmtpSink } from './lib/smtp_sink.mjs';
import { startWebhookSink } from './lib/webhook_sink.mjs';

const T = { timeout: 60_000 };
const SECRET = 'whsec-integration-1';
const MASK = '********';
let srv;
let tok;
let hook;
let failingHook;
let smtp;

before(async () => {
  [srv, hook, failingHook, smtp] = await Promise.all([
    startServer(),
    startWebhookSink(),
    startWebhookSink({ status: 500 }),
    startSmtpSink(),
  ]);
  tok = (await setupAdmin(srv)).token;
});
after(async () => {
  await Promise.all([srv?.dispose(), hook?.stop(), failingHook?.stop(), smtp?.stop()]);
});

const api = (method, path, opts = {}) => srv.api(method, path, { token: tok, ...opts });
const putSettings = (body) => api('PUT', '/api/settings', { body });
const testSend = (body) => api('POST', '/api/notifications/test', { body });

function channels() {
  return [
    { id: 'hook', name: 'Ops webhook', provider: 'webhook', url: hook.url('/routerly'), secret: SECRET },
    { id: 'hook-500', name: 'Broken', type: 'webhook', url: failingHook.url() },
    {
      id: 'mail',
      name: 'Ops mail',
      provider: 'smtp',
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      fromAddress: 'routerly@example.com',
      fromName: 'Routerly',
      to: ['ops@example.com'],
    },
  ];
}

describe('notification channels', () => {
  test('channels are validated and secrets never returned', T, async () => {
    expectError(
      await putSettings({ notifications: { channels: [{ provider: 'webhook', url: 'ftp://nope' }] } }),
      400,
      'validation_error',
      'notifications.channels[0].url',
    );
    expectError(
      await putSettings({ notifications: { channels: [{ provider: 'carrier-pigeon' }] } }),
      400,
      'validation_error',
      'notifications.channels[0].provider',
    );
    expectError(await putSettings({ allowPrivateWebhooks: 'yes' }), 400, 'validation_error', 'allowPrivateWebhooks');

    const saved = expectStatus(await putSettings({ allowPrivateWebhooks: true, notifications: { channels: channels() } }), 200);
    assert.equal(saved.allowPrivateWebhooks, true);
    const [h, broken] = saved.notifications.channels;
    assert.equal(h.secret, MASK);
    assert.equal(broken.provider, 'webhook', 'type is accepted as an alias of provider');
    assert.ok(!JSON.stringify(saved).includes(SECRET));

    const got = expectStatus(await api('GET', '/api/settings'), 200);
    assert.ok(!JSON.stringify(got).includes(SECRET), 'GET /api/settings leaks a channel secret');
    assert.ok(!JSON.stringify(got).includes('secretEnc'), 'GET /api/settings shows the sealed form');
    assert.equal(got.notifications.channels[0].secret, MASK);

    // Sending back what GET returned keeps the stored secret (checked by the signature below).
    expectStatus(await putSettings({ notifications: got.notifications }), 200);
  });

  test('webhook test arrives signed with HMAC-SHA256 of the exact body', T, async () => {
    const before = hook.requests.length;
    const res = expectStatus(await testSend({ channelId: 'hook' }), 200);
    assert.deepEqual(res, { ok: true, message: 'Webhook ping OK — server responded HTTP 200.' });
    const [req] = (await hook.waitFor(before + 1)).slice(before);
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/routerly');
    assert.match(req.headers['content-type'], /^application\/json/);
    const expected = 'sha256=' + createHmac('sha256', SECRET).update(req.body).digest('hex');
    assert.equal(req.headers['x-routerly-signature'], expected);
    const payload = JSON.parse(req.body.toString('utf8'));
    assert.equal(payload.event, 'test');
    assert.equal(payload.source, 'Routerly');
    assert.ok(Math.abs(Date.parse(payload.timestamp) - Date.now()) < 60_000, 'timestamp is now');
  });

  test('channels are addressed by name too, non-2xx is reported as ok:false', T, async () => {
    const before = hook.requests.length;
    expectStatus(await testSend({ channelName: 'Ops webhook' }), 200);
    await hook.waitFor(before + 1);
    const res = expectStatus(await testSend({ channelId: 'hook-500' }), 200);
    assert.equal(res.ok, false);
    assert.equal(res.message, 'Webhook responded HTTP 500: sink says no');
  });

  test('SMTP test mail reaches the sink', T, async () => {
    const res = expectStatus(await testSend({ channelId: 'mail', to: 'someone@example.org' }), 200);
    assert.equal(res.ok, true, res.message);
    const [msg] = await smtp.waitFor(1);
    assert.equal(msg.from, 'routerly@example.com');
    assert.deepEqual(msg.to, ['someone@example.org']);
    assert.match(msg.data, /^From: "Routerly" <routerly@example\.com>\r$/m);
    assert.match(msg.data, /^To: someone@example\.org\r$/m);
    const subject = /^Subject: =\?UTF-8\?B\?([^?]+)\?=\r$/m.exec(msg.data);
    assert.ok(subject, `subject header: ${msg.data.slice(0, 400)}`);
    assert.equal(Buffer.from(subject[1], 'base64').toString('utf8'), 'Routerly – Test notification');
    assert.match(msg.data, /test notification from Routerly/);
    assert.ok(smtp.commands.some((c) => /^EHLO /i.test(c)), 'client greets with EHLO');

    // Without `to`, the channel's own recipient list is used.
    expectStatus(await testSend({ channelId: 'mail' }), 200);
    const all = await smtp.waitFor(2);
    assert.deepEqual(all[1].to, ['ops@example.com']);
  });

  test('an SMTP channel set to implicit TLS on a plain port is retried without it (fixedSecure)', T, async () => {
    const list = channels();
    list.push({ id: 'mail-tls', provider: 'smtp', host: '127.0.0.1', port: smtp.port, secure: true, fromAddress: 'r@example.com' });
    expectStatus(await putSettings({ notifications: { channels: list } }), 200);
    const before = smtp.messages.length;
    const res = expectStatus(await testSend({ channelId: 'mail-tls', to: 'tls@example.org' }), 200);
    assert.equal(res.ok, true, res.message);
    assert.equal(res.fixedSecure, false);
    assert.match(res.message, /secure/);
    const msgs = await smtp.waitFor(before + 1);
    assert.deepEqual(msgs.at(-1).to, ['tls@example.org']);
  });

  test('private webhook URLs are refused unless allowPrivateWebhooks', T, async () => {
    expectStatus(await putSettings({ allowPrivateWebhooks: false }), 200);
    const before = hook.requests.length;
    const res = expectStatus(await testSend({ channelId: 'hook' }), 200);
    assert.equal(res.ok, false);
    assert.match(res.message, /private or loopback address/);
    // Other spellings of loopback, and names that resolve to it, are refused alike.
    const port = new URL(hook.url()).port;
    const spellings = ['[0:0:0:0:0:0:0:1]', '[0::1]', '[::0:1]', '[::ffff:127.0.0.1]', 'localhost', '127.1', '2130706433'];
    const extra = spellings.map((host, i) => ({ id: `spelled-${i}`, provider: 'webhook', url: `http://${host}:${port}/routerly` }));
    expectStatus(await putSettings({ notifications: { channels: [...channels(), ...extra] } }), 200);
    for (const [i, host] of spellings.entries()) {
      const r = expectStatus(await testSend({ channelId: `spelled-${i}` }), 200);
      assert.equal(r.ok, false, host);
      assert.match(r.message, /private or loopback address/, host);
    }
    // SMTP channels are guarded too.
    const mailsBefore = smtp.messages?.length;
    const mail = expectStatus(await testSend({ channelId: 'mail' }), 200);
    assert.equal(mail.ok, false);
    assert.match(mail.message, /SMTP host points to a private or loopback address/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(hook.requests.length, before, 'nothing was sent');
    assert.equal(smtp.messages?.length, mailsBefore, 'no mail was sent');
    expectStatus(await putSettings({ allowPrivateWebhooks: true, notifications: { channels: channels() } }), 200);
    // Allowed explicitly, a loopback name works.
    expectStatus(await putSettings({ notifications: { channels: [...channels(), extra[4]] } }), 200);
    const allowed = expectStatus(await testSend({ channelId: 'spelled-4' }), 200);
    assert.equal(allowed.ok, true, allowed.message);
    expectStatus(await putSettings({ notifications: { channels: channels() } }), 200);
  });

  test('bad requests name the field; only user:write may send', T, async () => {
    expectError(await testSend({}), 400, 'validation_error', 'channelId');
    expectError(await testSend({ channelId: 'nope' }), 400, 'validation_error', ['nope', 'channelId']);
    expectError(await testSend({ channelName: 'Nope' }), 400, 'validation_error', ['Nope', 'channelName']);
    expectError(await testSend({ channelId: 42 }), 400, 'validation_error', 'channelId');
    expectError(await testSend({ channelId: 'mail', to: 'x@y.z\r\nRCPT TO:<evil@y.z>' }), 400, 'validation_error', "'to'");
    const viewer = await createUser(srv, tok, { role: 'viewer' });
    const res = await srv.api('POST', '/api/notifications/test', { token: viewer.token, body: { channelId: 'hook' } });
    expectError(res, 403, 'forbidden');
    expectError(await srv.api('POST', '/api/notifications/test', { body: { channelId: 'hook' } }), 401, 'unauthorized');
  });
});
