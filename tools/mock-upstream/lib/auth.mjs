// Credential and body checks shared by the handlers. Each answers the error itself
// and returns a falsy value when the request must stop.
import { sendError } from './respond.mjs';

const kBearer = /^Bearer\s+\S/i;

const nonEmpty = (v) => typeof v === 'string' && v.trim() !== '';

export function openaiAuthorized(ctx) {
  const header = ctx.req.headers.authorization;
  if (typeof header === 'string' && kBearer.test(header)) return true;
  sendError(ctx, 'openai', 401, header ? 'The Authorization header must have the form "Bearer <key>".' : 'No API key: send it as "Authorization: Bearer <key>".');
  return false;
}

// Anthropic keys come in `x-api-key`; OAuth-style clients send `Authorization: Bearer` instead.
export function anthropicAuthorized(ctx) {
  const headers = ctx.req.headers;
  const hasKey = nonEmpty(headers['x-api-key']) || (typeof headers.authorization === 'string' && kBearer.test(headers.authorization));
  if (!hasKey) {
    sendError(ctx, 'anthropic', 401, 'x-api-key header is required');
    return false;
  }
  if (!nonEmpty(headers['anthropic-version'])) {
    sendError(ctx, 'anthropic', 400, 'anthropic-version: header is required');
    return false;
  }
  return true;
}

export function jsonObjectBody(ctx, provider) {
  const v = ctx.json;
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v;
  sendError(ctx, provider, 400, ctx.bodyLength === 0 ? 'The request body is empty; a JSON object is expected.' : 'The request body is not a valid JSON object.');
  return undefined;
}
