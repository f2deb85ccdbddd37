// POST /v1/embeddings: deterministic unit vectors seeded by a hash of each input.
import { openaiAuthorized, jsonObjectBody } from './auth.mjs';
import { resolveFaults } from './faults.mjs';
import { countChars } from './text.mjs';
import { openaiRequestId } from './ids.mjs';
import { sendError, sendResult, applyPreAnswerFaults } from './respond.mjs';

export const kDefaultDimensions = 64;
const kMaxDimensions = 8192;

// 32-bit FNV-1a over UTF-16 code units.
function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// Same text, same vector: Marsaglia xorshift32 seeded by the hash, scaled to unit length.
export function embedText(text, dimensions) {
  let state = hash32(text) || 0x9e3779b9;
  const v = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const x = (state >>> 0) / 4294967296 * 2 - 1;
    v[i] = x;
    norm += x * x;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dimensions; i++) v[i] /= norm;
  return v;
}

// Each input as {seed, chars, tokens}: text inputs count chars, token arrays count tokens.
// Undefined when the shape is not one OpenAI accepts.
function readInputs(input) {
  const isTokens = (a) => Array.isArray(a) && a.length > 0 && a.every(Number.isInteger);
  if (typeof input === 'string') return [{ seed: input, tokens: 0, chars: countChars(input) }];
  if (isTokens(input)) return [{ seed: 'tokens:' + input.join(','), tokens: input.length, chars: 0 }];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  const out = [];
  for (const item of input) {
    if (typeof item === 'string') out.push({ seed: item, tokens: 0, chars: countChars(item) });
    else if (isTokens(item)) out.push({ seed: 'tokens:' + item.join(','), tokens: item.length, chars: 0 });
    else return undefined;
  }
  return out;
}

function toBase64(v) {
  const buf = Buffer.allocUnsafe(v.length * 4);
  for (let i = 0; i < v.length; i++) buf.writeFloatLE(v[i], i * 4);
  return buf.toString('base64');
}

export async function embeddings(ctx) {
  ctx.headers = { 'x-request-id': openaiRequestId() };
  if (!openaiAuthorized(ctx)) return;
  const body = jsonObjectBody(ctx, 'openai');
  if (!body) return;
  if (typeof body.model !== 'string' || body.model === '') return sendError(ctx, 'openai', 400, 'model: a model name is required.');
  const inputs = readInputs(body.input);
  if (inputs === undefined) return sendError(ctx, 'openai', 400, 'input: a string, an array of strings or an array of token arrays is required.');
  let dimensions = kDefaultDimensions;
  if (body.dimensions !== undefined) {
    if (!Number.isInteger(body.dimensions) || body.dimensions < 1 || body.dimensions > kMaxDimensions) {
      return sendError(ctx, 'openai', 400, `dimensions: an integer from 1 to ${kMaxDimensions} is required.`);
    }
    dimensions = body.dimensions;
  }
  const faults = resolveFaults(ctx.req.headers, body.model, typeof body.input === 'string' ? body.input : '');
  if (await applyPreAnswerFaults(ctx, 'openai', faults, false)) return;
  const base64 = body.encoding_format === 'base64';
  let chars = 0;
  let tokenCount = 0;
  const data = inputs.map((input, index) => {
    chars += input.chars;
    tokenCount += input.tokens;
    const v = embedText(input.seed, dimensions);
    return { object: 'embedding', index, embedding: base64 ? toBase64(v) : Array.from(v) };
  });
  const promptTokens = Math.ceil(chars / 4) + tokenCount;
  const out = { object: 'list', data, model: body.model };
  if (!faults.no_usage) out.usage = { prompt_tokens: promptTokens, total_tokens: promptTokens };
  return sendResult(ctx, out, faults);
}
