// A loopback HTTP listener standing in for a webhook receiver: records every request (method,
// path, headers, raw body bytes) and answers 200 unless told otherwise.
import http from 'node:http';

export class WebhookSink {
  constructor({ status = 200 } = {}) {
    this.status = status;
    this.requests = [];
    this.waiters = [];
    this.server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(this.status, { 'content-type': 'text/plain' });
        res.end(this.status === 200 ? 'ok' : 'sink says no');
        this.waiters = this.waiters.filter((w) => !w());
      });
    });
  }

  async start() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = this.server.address().port;
    return this;
  }

  url(path = '/hook') {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  // Resolves with the requests once `n` have arrived; rejects after `timeout` ms.
  waitFor(n, timeout = 10_000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.requests.length < n) return false;
        clearTimeout(timer);
        resolve(this.requests.slice());
        return true;
      };
      const timer = setTimeout(() => reject(new Error(`webhook sink got ${this.requests.length}/${n} requests`)), timeout);
      if (!check()) this.waiters.push(check);
    });
  }

  async stop() {
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

export async function startWebhookSink(options) {
  return new WebhookSink(options).start();
}
