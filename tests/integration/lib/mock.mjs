// The mock upstream (tools/mock-upstream) as a child process of a test: started on a free
// loopback port (read from its one stdout line), its request log read back, stopped at the end.
// Also the mock's deterministic arithmetic (reply text, token counts) so tests can state the
// exact numbers a proxied call must report.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SOURCE_DIR = process.env.ROUTERLY_SOURCE_DIR ?? path.resolve(here, '../../..');
export const MOCK_SCRIPT = path.join(SOURCE_DIR, 'tools/mock-upstream/server.mjs');

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;

export class Mock {
  constructor({ record = true } = {}) {
    this.record = record;
    this.proc = null;
    this.port = null;
    this.stderr = '';
  }

  get base() {
    return `http://127.0.0.1:${this.port}`;
  }

  // Resolves once the mock printed {"port":N}; rejects if it exits or stays silent.
  async start() {
    const args = [MOCK_SCRIPT, '--port', '0', '--host', '127.0.0.1'];
    if (!this.record) args.push('--no-record');
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    this.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    proc.stderr.on('data', (d) => {
      if (this.stderr.length < 16 * 1024) this.stderr += d.toString();
    });
    this.port = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`mock upstream printed no port within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      const fail = (err) => {
        clearTimeout(timer);
        proc.kill('SIGKILL');
        reject(new Error(`${err.message}\n${this.stderr}`));
      };
      proc.on('exit', (code) => fail(new Error(`mock upstream exited early (code ${code})`)));
      proc.stdout.on('data', (d) => {
        out += d.toString();
        const nl = out.indexOf('\n');
        if (nl < 0) return;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(out.slice(0, nl)).port);
        } catch (err) {
          fail(err);
        }
      });
    });
    return this;
  }

  async stop() {
    if (!this.proc) return;
    const proc = this.proc;
    this.proc = null;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    let timer;
    const done = await Promise.race([
      this.exited,
      new Promise((r) => (timer = setTimeout(() => r(null), STOP_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (!done) {
      proc.kill('SIGKILL');
      await this.exited;
    }
  }

  async #call(method, urlPath) {
    const res = await fetch(this.base + urlPath, { method, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    if (res.status !== 200) throw new Error(`mock ${method} ${urlPath}: HTTP ${res.status}`);
    return res.json();
  }

  // The recorded requests, oldest first; `pathPrefix` keeps those whose path starts with it.
  async requests(pathPrefix) {
    const { requests } = await this.#call('GET', '/__mock/requests');
    return pathPrefix ? requests.filter((r) => r.path.startsWith(pathPrefix)) : requests;
  }

  async clear() {
    return this.#call('DELETE', '/__mock/requests');
  }
}

export async function startMock(options) {
  return new Mock(options).start();
}

// ---- the mock's deterministic content (tools/mock-upstream/README.md) ----------------------

// ceil(code points / 4), the mock's token count for a piece of text.
export const tokensOf = (...texts) => Math.ceil(texts.reduce((n, t) => n + [...t].length, 0) / 4);

// The mock's reply: "Hello from mock <model>: <user text cut to 40 chars>".
export function mockReply(model, userText) {
  const text = userText.replace(/\[\[mock:[^\]]*\]\]/g, '').replace(/\s+/g, ' ').trim();
  const cut = [...text].slice(0, 40).join('').trim();
  return cut ? `Hello from mock ${model}: ${cut}` : `Hello from mock ${model}`;
}

// Output tokens of a text reply: its number of words.
export const wordsOf = (reply) => reply.split(' ').filter(Boolean).length;

// The text reply after a tool result: "…: the tool returned <result cut to 40 chars>".
export function mockToolReply(model, result) {
  const cut = [...result.replace(/\s+/g, ' ').trim()].slice(0, 40).join('').trim();
  return `Hello from mock ${model}: the tool returned ${cut}`;
}

// A tool call's output tokens: ceil(len('{"city":"Paris"}') / 4).
export const TOOL_CALL_OUTPUT_TOKENS = 4;
export const TOOL_ARGS = { city: 'Paris' };
