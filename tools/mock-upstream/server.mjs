#!/usr/bin/env node
// Mock LLM upstream: OpenAI (chat, responses, embeddings, models), Anthropic (messages,
// count_tokens), Gemini's and Ollama's OpenAI-compatible surfaces, with selectable faults.
// Usage: node server.mjs [--port 0] [--host 127.0.0.1] [--no-record]
// Prints exactly one line `{"port":N}` on stdout once listening; stops on SIGTERM/SIGINT.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { chatCompletions } from './lib/openai_chat.mjs';
import { responses } from './lib/openai_responses.mjs';
import { embeddings } from './lib/openai_embeddings.mjs';
import { messages, countTokens } from './lib/anthropic.mjs';
import { models } from './lib/models.mjs';
import { Recorder } from './lib/recorder.mjs';
import { sendError, sendJson } from './lib/respond.mjs';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'no-record': { type: 'boolean', default: false },
  },
});
const port = Number.parseInt(args.port, 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`mock-upstream: --port must be 0..65535, got "${args.port}"\n`);
  process.exit(2);
}

const recorder = new Recorder(!args['no-record']);
const startedAt = Date.now();

const routes = new Map();
for (const prefix of ['/v1', '/v1beta/openai']) {
  routes.set(`POST ${prefix}/chat/completions`, chatCompletions);
  routes.set(`POST ${prefix}/embeddings`, embeddings);
  routes.set(`GET ${prefix}/models`, models);
}
routes.set('POST /v1/responses', responses);
routes.set('POST /v1/messages', messages);
routes.set('POST /v1/messages/count_tokens', countTokens);

function findHandler(method, path) {
  const exact = routes.get(`${method} ${path}`);
  if (exact !== undefined) return exact;
  if (method === 'GET' && (path.startsWith('/v1/models/') || path.startsWith('/v1beta/openai/models/'))) return models;
  return undefined;
}

function introspect(ctx) {
  const { req, path } = ctx;
  if (path === '/__mock/health' && req.method === 'GET') {
    return sendJson(ctx, 200, { status: 'ok', recorded: recorder.entries.length, uptimeMs: Date.now() - startedAt });
  }
  if (path === '/__mock/requests' && req.method === 'GET') {
    const filter = new URL(req.url, 'http://mock').searchParams.get('path');
    return sendJson(ctx, 200, { requests: recorder.list(filter) });
  }
  if (path === '/__mock/requests' && req.method === 'DELETE') return sendJson(ctx, 200, { cleared: recorder.clear() });
  sendJson(ctx, 404, { error: 'not_found', message: `No mock control route ${req.method} ${path}` });
}

const kEmpty = Buffer.alloc(0);

function dispatch(req, res, path, raw) {
  const ctx = { req, res, path, json: undefined, bodyLength: raw.length, headers: {} };
  if (path.startsWith('/__mock/')) return introspect(ctx);
  if (raw.length > 0) {
    try {
      ctx.json = JSON.parse(raw.toString('utf8'));
    } catch {
      ctx.json = undefined;
    }
  }
  recorder.record(req, raw, ctx.json);
  const handler = findHandler(req.method, path);
  if (handler === undefined) {
    const provider = path.startsWith('/v1/messages') ? 'anthropic' : 'openai';
    return sendError(ctx, provider, 404, `Unknown route: ${req.method} ${path}`);
  }
  handler(ctx).catch((err) => {
    if (!res.headersSent) sendError(ctx, 'openai', 500, `mock-upstream failure: ${err?.message ?? err}`);
    else res.destroy();
  });
}

function onRequest(req, res) {
  const url = req.url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    chunks.push(c);
    size += c.length;
  });
  req.on('end', () => {
    const raw = size === 0 ? kEmpty : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
    dispatch(req, res, path, raw);
  });
}

const server = http.createServer({ keepAliveTimeout: 65_000, headersTimeout: 70_000, requestTimeout: 0, noDelay: true }, onRequest);
server.keepAliveTimeout = 65_000;

server.on('error', (err) => {
  process.stderr.write(`mock-upstream: ${err.message}\n`);
  process.exit(1);
});

server.listen(port, args.host, () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
