// Writing answers: JSON, provider errors, the pre-answer faults and SSE with stream faults.
import { openaiErrorBody, anthropicErrorBody } from './errors.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function sendJson(ctx, status, value, extraHeaders) {
  const body = JSON.stringify(value);
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...ctx.headers };
  if (extraHeaders) Object.assign(headers, extraHeaders);
  ctx.res.writeHead(status, headers);
  ctx.res.end(body);
}

// `provider` is 'openai' or 'anthropic'.
export function sendError(ctx, provider, status, message, retryAfter) {
  const extra = {};
  if (retryAfter !== undefined) {
    extra['retry-after'] = String(retryAfter);
    if (provider === 'openai') extra['x-ratelimit-reset-requests'] = `${retryAfter}s`;
  }
  const body = provider === 'anthropic' ? anthropicErrorBody(status, message, ctx.headers['request-id']) : openaiErrorBody(status, message);
  sendJson(ctx, status, body, extra);
}

// Writes `text` one byte every `gap` ms (the `trickle` fault) until done or the peer leaves.
async function trickle(res, text, gap) {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i++) {
    if (res.destroyed) return false;
    res.write(bytes.subarray(i, i + 1));
    await sleep(gap);
  }
  return !res.destroyed;
}

// A successful non-stream answer, or its first half when the `malformed` fault is on; with
// `trickle`, the headers at once and the body one byte at a time.
export async function sendResult(ctx, value, faults) {
  if (!faults.malformed && !faults.trickle) return sendJson(ctx, 200, value);
  const text = JSON.stringify(value);
  const body = faults.malformed ? text.slice(0, Math.floor(text.length / 2)) : text;
  const res = ctx.res;
  res.on('error', () => {});
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...ctx.headers });
  if (!faults.trickle) return res.end(body);
  res.flushHeaders();
  if (await trickle(res, body, faults.trickle)) res.end();
}

const kMaintenancePage =
  '<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>\n<body><h1>Down for maintenance</h1>\n' +
  '<p>We will be back shortly.</p></body></html>\n';

function sendMaintenancePage(ctx) {
  ctx.res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(kMaintenancePage) });
  ctx.res.end(kMaintenancePage);
}

// Faults that act before any answer byte: delay, status, html, and (non-stream) disconnect.
// Returns true when the request has been fully dealt with.
export async function applyPreAnswerFaults(ctx, provider, faults, streaming) {
  if (faults.delay > 0) {
    await sleep(faults.delay);
    if (ctx.res.destroyed) return true;
  }
  if (faults.status >= 400) {
    sendError(ctx, provider, faults.status, undefined, faults.retry_after);
    return true;
  }
  if (faults.html) {
    sendMaintenancePage(ctx);
    return true;
  }
  if (!streaming && faults.disconnect_after !== undefined) {
    ctx.req.socket.destroy();
    return true;
  }
  return false;
}

const kSseHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

function corrupt(event) {
  const at = event.indexOf('data: ') + 6;
  const data = event.slice(at, event.length - 2);
  return event.slice(0, at) + data.slice(0, Math.max(1, Math.floor(data.length / 2))) + '\n\n';
}

// Writes already-framed SSE events. Stream faults: `chunk_delay` between events,
// `disconnect_after` n events (then the socket is closed, the chunked body unfinished),
// `error_after` n events (then `errorEvent` and the end), `malformed` (the second event's
// data is cut in half, so it is not valid JSON), `no_events` (a keep-alive comment and the
// end).
export async function sendEvents(ctx, events, faults, errorEvent) {
  const res = ctx.res;
  res.on('error', () => {});
  res.writeHead(200, { ...kSseHeaders, ...ctx.headers });
  res.flushHeaders();
  if (faults.no_events) {
    res.end(': keep-alive\n\n');
    return;
  }
  if (faults.malformed && events.length > 1) events[1] = corrupt(events[1]);
  const delay = faults.chunk_delay ?? 0;
  for (let i = 0; i < events.length; i++) {
    if (i === faults.disconnect_after) {
      res.socket?.end();
      return;
    }
    if (i === faults.error_after) {
      res.end(errorEvent(i));
      return;
    }
    if (delay > 0 && i > 0) {
      await sleep(delay);
      if (res.destroyed) return;
    }
    res.write(events[i]);
  }
  res.end();
}

export function sseData(value) {
  return 'data: ' + JSON.stringify(value) + '\n\n';
}

export function sseEvent(value) {
  return 'event: ' + value.type + '\ndata: ' + JSON.stringify(value) + '\n\n';
}

export const kDone = 'data: [DONE]\n\n';
