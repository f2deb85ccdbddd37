// Starts the real `routerly serve` on a free loopback port with a private ROUTERLY_HOME and
// talks to it over HTTP. Every helper is bounded in time so a hung server fails the test
// instead of hanging the suite.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const BIN = process.env.ROUTERLY_BIN ?? '/work/main/build/routerly';

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The promise's value, or null after `ms` (the timer is cleared so it never holds the process).
function within(promise, ms) {
  let timer;
  const timeout = new Promise((r) => (timer = setTimeout(() => r(null), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// What a sanitizer (ASan, LSan, UBSan) prints when it finds something, and the signals of a
// crash. A server or CLI run that shows either fails the test, whatever the test expected of
// its exit status: `make test-asan` relies on this to turn every report into a failure.
const SANITIZER_REPORT = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error: |SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer/;
const CRASH_SIGNALS = new Set(['SIGABRT', 'SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE']);

// Throws when `stderr` holds a sanitizer report or the exit was a crash.
export function assertNoCrash({ code, signal, stderr }, what = 'routerly') {
  const report = SANITIZER_REPORT.exec(stderr ?? '');
  if (report) {
    const at = Math.max(0, report.index - 200);
    throw new Error(`${what} printed a sanitizer report:\n${stderr.slice(at, at + 8000)}`);
  }
  if (CRASH_SIGNALS.has(signal) || code === 134 || code === 139) {
    throw new Error(`${what} crashed (${JSON.stringify({ code, signal })}):\n${(stderr ?? '').slice(-8000)}`);
  }
}

export function makeHome() {
  return mkdtempSync(path.join(os.tmpdir(), 'routerly-itest-'));
}

export function removeHome(home) {
  rmSync(home, { recursive: true, force: true });
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// The environment of a child: ours minus any ROUTERLY_* setting, plus a private home.
export function childEnv(home, extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ROUTERLY_')) env[k] = v;
  return { ...env, ROUTERLY_HOME: home, HOME: home, ROUTERLY_LOG_LEVEL: 'warn', ...extra };
}

// Runs a non-serve subcommand to completion (e.g. `config export`).
export function runCli(home, args, { env = {}, timeout = 20_000 } = {}) {
  const r = spawnSync(BIN, args, { env: childEnv(home, env), timeout, encoding: 'utf8' });
  if (r.error) throw r.error;
  assertNoCrash({ code: r.status, signal: r.signal, stderr: r.stderr }, `routerly ${args.join(' ')}`);
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export class Server {
  // options: home (reused when given), env (extra variables), args (replace the default
  // `serve --host --port` arguments; then `port` tells where it will listen).
  constructor({ home, env = {}, args, port } = {}) {
    this.ownsHome = !home;
    this.home = home ?? makeHome();
    this.env = env;
    this.customArgs = args;
    this.fixedPort = port;
    this.proc = null;
    this.stderr = '';
    this.report = ''; // a sanitizer report, kept whole even past the stderr cap
    this.exit = null;
  }

  get base() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.port = this.fixedPort ?? (await freePort());
    const args = this.customArgs ?? ['serve', '--host', '127.0.0.1', '--port', String(this.port)];
    this.stderr = '';
    this.report = '';
    this.exit = null;
    const proc = spawn(BIN, args, { env: childEnv(this.home, this.env), stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    proc.stdout.on('data', () => {});
    let tail = '';
    proc.stderr.on('data', (d) => {
      const text = d.toString();
      if (this.stderr.length < 64 * 1024) this.stderr += text;
      // A report may come after a lot of logging, or be cut across reads: look at each read
      // with the end of the previous one.
      if (this.report) {
        if (this.report.length < 64 * 1024) this.report += text;
      } else {
        const seen = tail + text;
        const m = SANITIZER_REPORT.exec(seen);
        if (m) this.report = seen.slice(Math.max(0, m.index - 200));
        tail = seen.slice(-256);
      }
    });
    this.exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
      proc.on('error', (err) => {
        this.exit = { code: null, signal: null, error: err };
        resolve(this.exit);
      });
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.exit) {
        throw new Error(`routerly exited early (${JSON.stringify(this.exit)}):\n${this.stderr}`);
      }
      try {
        const res = await fetch(`${this.base}/health`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 200) return this;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    await this.kill();
    throw new Error(`routerly did not answer /health within ${START_TIMEOUT_MS} ms:\n${this.stderr}`);
  }

  // SIGTERM, then wait; SIGKILL and throw if it does not exit in time. Returns {code, signal}.
  async stop() {
    if (!this.proc) return this.exit;
    if (this.exit) {
      this.proc = null;
      this.checkExit();
      return this.exit;
    }
    this.proc.kill('SIGTERM');
    const result = await within(this.exited, STOP_TIMEOUT_MS);
    if (!result) {
      await this.kill();
      throw new Error(`routerly did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM:\n${this.stderr}`);
    }
    this.proc = null;
    this.checkExit(result);
    return result;
  }

  // Throws when the server printed a sanitizer report or crashed (see assertNoCrash).
  checkExit(result = this.exit) {
    assertNoCrash({ ...result, stderr: this.report || this.stderr }, 'routerly serve');
  }

  // Waits for an exit already under way (after a signal the test sent itself), without
  // signalling again; SIGKILL and throw if it does not come in time.
  async waitExit(timeout = STOP_TIMEOUT_MS) {
    const result = await within(this.exited, timeout);
    if (!result) {
      await this.kill();
      throw new Error(`routerly did not exit within ${timeout} ms:\n${this.stderr}`);
    }
    this.proc = null;
    this.checkExit(result);
    return result;
  }

  async kill() {
    if (this.proc && !this.exit) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
    this.proc = null;
  }

  async restart() {
    await this.stop();
    return this.start();
  }

  // Stops (forcefully if needed) and removes the home if this server created it.
  async dispose() {
    let crash;
    try {
      await this.stop();
    } catch {
      await this.kill();
    }
    try {
      if (this.exit) this.checkExit();
    } catch (err) {
      crash = err;
    }
    if (this.ownsHome) removeHome(this.home);
    if (crash) throw crash;
  }

  // One HTTP request. Returns {status, headers, json, text}; json is undefined when the body
  // is not JSON. `body` is sent as JSON; `rawBody` is sent verbatim.
  async api(method, urlPath, { token, body, headers = {}, rawBody, redirect = 'manual' } = {}) {
    const h = { ...headers };
    if (token !== undefined) h.authorization = `Bearer ${token}`;
    let payload;
    if (rawBody !== undefined) {
      payload = rawBody;
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + urlPath, {
      method,
      headers: h,
      body: payload,
      redirect,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let json;
    try {
      json = text.length ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  }
}

export async function startServer(options) {
  const srv = new Server(options);
  await srv.start();
  return srv;
}

// A request over a plain socket, for what fetch cannot do (oversized bodies the server may
// refuse before reading them all, oversized headers, a chosen local address).
// `head` is the request line and headers without the final blank line; `body` an optional
// async iterable of Buffers. Resolves with the parsed response as soon as one is complete.
export function rawRequest(port, head, { body, localAddress, timeout = REQUEST_TIMEOUT_MS } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port, localAddress });
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => finish(new Error(`raw request timed out after ${timeout} ms`)), timeout);
    const tryParse = (ended) => {
      const sep = buf.indexOf('\r\n\r\n');
      if (sep < 0) {
        if (ended) finish(new Error(`connection closed without a response (${buf.length} bytes)`));
        return;
      }
      const lines = buf.subarray(0, sep).toString('latin1').split('\r\n');
      const status = Number(lines[0].split(' ')[1]);
      const headers = {};
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const rest = buf.subarray(sep + 4);
      let bodyBuf;
      if (headers['content-length'] !== undefined) {
        const n = Number(headers['content-length']);
        if (rest.length < n) {
          if (ended) finish(new Error('connection closed inside the response body'));
          return;
        }
        bodyBuf = rest.subarray(0, n);
      } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
        const parts = [];
        let off = 0;
        for (;;) {
          const eol = rest.indexOf('\r\n', off);
          if (eol < 0) return ended ? finish(new Error('truncated chunked response')) : undefined;
          const size = parseInt(rest.subarray(off, eol).toString('latin1'), 16);
          if (size === 0) break;
          if (rest.length < eol + 2 + size + 2) return ended ? finish(new Error('truncated chunk')) : undefined;
          parts.push(rest.subarray(eol + 2, eol + 2 + size));
          off = eol + 2 + size + 2;
        }
        bodyBuf = Buffer.concat(parts);
      } else if (status === 204 || status === 304 || (status >= 100 && status < 200)) {
        bodyBuf = Buffer.alloc(0);
      } else {
        if (!ended) return;
        bodyBuf = rest;
      }
      const text = bodyBuf.toString('utf8');
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      finish(null, { status, headers, text, json });
    };
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      tryParse(false);
    });
    sock.on('end', () => tryParse(true));
    sock.on('close', () => tryParse(true));
    sock.on('error', (err) => {
      // The server may close while we are still sending; what it answered is what counts.
      if (buf.length) tryParse(true);
      else finish(err);
    });
    sock.on('connect', async () => {
      sock.write(head.replace(/\r?\n/g, '\r\n') + '\r\n\r\n');
      if (!body) return;
      try {
        for await (const chunk of body) {
          // Like curl: stop sending once the server has started to answer (e.g. an early 413).
          if (done || sock.destroyed || buf.length) return;
          if (!sock.write(chunk)) {
            await new Promise((r) => {
              sock.once('drain', r);
              sock.once('close', r);
            });
          }
          await new Promise((r) => setImmediate(r)); // let a pending response be read first
        }
      } catch {
        // write after close: the response (if any) decides
      }
    });
  });
}
