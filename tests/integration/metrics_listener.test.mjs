// Where /metrics is served: the main port (public unless ROUTERLY_METRICS_TOKEN is set), or,
// with ROUTERLY_METRICS_LISTEN=host:port, a listener of its own and no longer the main port.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { freePort, makeHome, removeHome, runCli, startServer } from './lib/server.mjs';

const T = { timeout: 30_000 };
const get = async (url, headers = {}) => {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
  return { status: res.status, text: await res.text() };
};

describe('metrics listener', () => {
  const cleanup = [];
  after(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  test('without ROUTERLY_METRICS_LISTEN /metrics is on the main port, public', T, async () => {
    const srv = await startServer();
    cleanup.push(() => srv.dispose());
    const res = await get(`${srv.base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.text, /# TYPE routerly_/);
  });

  test('ROUTERLY_METRICS_LISTEN serves /metrics there and only there', T, async () => {
    const metricsPort = await freePort();
    const srv = await startServer({ env: { ROUTERLY_METRICS_LISTEN: `127.0.0.1:${metricsPort}` } });
    cleanup.push(() => srv.dispose());
    const scraped = await get(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(scraped.status, 200);
    assert.match(scraped.text, /# TYPE routerly_/);
    assert.equal((await get(`http://127.0.0.1:${metricsPort}/health`)).status, 404);
    assert.equal((await get(`http://127.0.0.1:${metricsPort}/api/settings`)).status, 404);
    assert.equal((await get(`${srv.base}/metrics`)).status, 404, 'the main port no longer serves /metrics');
    assert.equal((await get(`${srv.base}/health`)).status, 200);
    const exit = await srv.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, srv.stderr);
    await assert.rejects(get(`http://127.0.0.1:${metricsPort}/metrics`), 'the metrics listener closed with the server');
  });

  test('ROUTERLY_METRICS_TOKEN applies on the separate listener', T, async () => {
    const metricsPort = await freePort();
    const srv = await startServer({
      env: { ROUTERLY_METRICS_LISTEN: `127.0.0.1:${metricsPort}`, ROUTERLY_METRICS_TOKEN: 'scrape-secret-1' },
    });
    cleanup.push(() => srv.dispose());
    assert.equal((await get(`http://127.0.0.1:${metricsPort}/metrics`)).status, 401);
    const authorised = await get(`http://127.0.0.1:${metricsPort}/metrics`, { authorization: 'Bearer scrape-secret-1' });
    assert.equal(authorised.status, 200);
  });

  test('an unreadable ROUTERLY_METRICS_LISTEN stops the start with a message naming it', T, async () => {
    const home = makeHome();
    cleanup.push(() => removeHome(home));
    const port = await freePort();
    const r = runCli(home, ['serve', '--host', '127.0.0.1', '--port', String(port)], {
      env: { ROUTERLY_METRICS_LISTEN: 'localhost' },
      timeout: 10_000,
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /ROUTERLY_METRICS_LISTEN/);
  });
});
