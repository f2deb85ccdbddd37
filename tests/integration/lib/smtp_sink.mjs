// A minimal SMTP server (RFC 5321 subset: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS,
// no AUTH) that keeps every message it accepts, for tests that must not reach a real mail server.
import net from 'node:net';

export class SmtpSink {
  constructor() {
    this.messages = []; // {from, to: [...], data} — data with dot-stuffing undone, CRLF kept
    this.commands = []; // every command line received, for protocol assertions
    this.waiters = [];
    this.sockets = new Set();
    this.server = net.createServer((sock) => {
      this.sockets.add(sock);
      sock.on('close', () => this.sockets.delete(sock));
      this.session(sock);
    });
  }

  async start() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = this.server.address().port;
    return this;
  }

  session(sock) {
    let buf = '';
    let envelope = { from: null, to: [] };
    let inData = false;
    let dataLines = [];
    const reply = (line) => sock.write(`${line}\r\n`);
    sock.setEncoding('utf8');
    sock.on('error', () => {});
    reply('220 smtp-sink ready');
    sock.on('data', (chunk) => {
      buf += chunk;
      let eol;
      while ((eol = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, eol);
        buf = buf.slice(eol + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            this.messages.push({ from: envelope.from, to: envelope.to, data: dataLines.join('\r\n') + '\r\n' });
            envelope = { from: null, to: [] };
            dataLines = [];
            reply('250 2.0.0 queued');
            this.waiters = this.waiters.filter((w) => !w());
          } else {
            dataLines.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        this.commands.push(line);
        const verb = line.slice(0, 4).toUpperCase();
        const arg = line.slice(5);
        if (verb === 'EHLO') {
          reply('250-smtp-sink greets you');
          reply('250-8BITMIME');
          reply('250 SIZE 10485760');
        } else if (verb === 'HELO') reply('250 smtp-sink');
        else if (verb === 'MAIL') {
          const m = /^FROM:\s*<([^>]*)>/i.exec(arg);
          if (!m) reply('501 5.5.4 syntax: MAIL FROM:<address>');
          else {
            envelope = { from: m[1], to: [] };
            reply('250 2.1.0 ok');
          }
        } else if (verb === 'RCPT') {
          const m = /^TO:\s*<([^>]*)>/i.exec(arg);
          if (!m || envelope.from === null) reply('503 5.5.1 need MAIL first');
          else {
            envelope.to.push(m[1]);
            reply('250 2.1.5 ok');
          }
        } else if (verb === 'DATA') {
          if (envelope.to.length === 0) reply('503 5.5.1 need RCPT first');
          else {
            inData = true;
            reply('354 end data with <CR><LF>.<CR><LF>');
          }
        } else if (verb === 'RSET') {
          envelope = { from: null, to: [] };
          reply('250 2.0.0 ok');
        } else if (verb === 'NOOP') reply('250 2.0.0 ok');
        else if (verb === 'QUIT') {
          reply('221 2.0.0 bye');
          sock.end();
        } else reply('502 5.5.2 command not implemented');
      }
    });
  }

  // Resolves with the messages once `n` have arrived; rejects after `timeout` ms.
  waitFor(n, timeout = 10_000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.messages.length < n) return false;
        clearTimeout(timer);
        resolve(this.messages.slice());
        return true;
      };
      const timer = setTimeout(() => reject(new Error(`smtp sink got ${this.messages.length}/${n} messages`)), timeout);
      if (!check()) this.waiters.push(check);
    });
  }

  async stop() {
    for (const sock of this.sockets) sock.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

export async function startSmtpSink() {
  return new SmtpSink().start();
}
