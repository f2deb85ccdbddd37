// GET /v1/models and /v1/models/{id}: OpenAI's list shape, or Anthropic's when the
// request carries `anthropic-version` (the Anthropic SDK always sends it).
import { openaiAuthorized, anthropicAuthorized } from './auth.mjs';
import { openaiRequestId, anthropicRequestId } from './ids.mjs';
import { sendJson, sendError } from './respond.mjs';

const kModels = [
  ['gpt-4o', 'openai'],
  ['gpt-4o-mini', 'openai'],
  ['gpt-4.1', 'openai'],
  ['text-embedding-3-small', 'openai'],
  ['claude-sonnet-4-5', 'anthropic'],
  ['claude-haiku-4-5', 'anthropic'],
  ['gemini-2.5-flash', 'google'],
  ['llama3.2', 'ollama'],
  ['mock-model', 'mock'],
];
const kCreated = 1735689600; // 2025-01-01T00:00:00Z
const kCreatedIso = new Date(kCreated * 1000).toISOString().replace('.000Z', 'Z');

const openaiModel = ([id, owner]) => ({ id, object: 'model', created: kCreated, owned_by: owner });
const anthropicModel = ([id]) => ({ type: 'model', id, display_name: id, created_at: kCreatedIso });

export async function models(ctx) {
  const wantsAnthropic = ctx.req.headers['anthropic-version'] !== undefined;
  const prefix = ctx.path.indexOf('/models');
  const id = decodeURIComponent(ctx.path.slice(prefix + '/models'.length + 1));
  if (wantsAnthropic) {
    ctx.headers = { 'request-id': anthropicRequestId() };
    if (!anthropicAuthorized(ctx)) return;
  } else {
    ctx.headers = { 'x-request-id': openaiRequestId() };
    if (!openaiAuthorized(ctx)) return;
  }
  const provider = wantsAnthropic ? 'anthropic' : 'openai';
  const toJson = wantsAnthropic ? anthropicModel : openaiModel;
  if (id !== '') {
    const found = kModels.find(([name]) => name === id);
    if (found === undefined) return sendError(ctx, provider, 404, `model: ${id} not found`);
    return sendJson(ctx, 200, toJson(found));
  }
  const data = kModels.map(toJson);
  if (wantsAnthropic) return sendJson(ctx, 200, { data, has_more: false, first_id: data[0].id, last_id: data.at(-1).id });
  sendJson(ctx, 200, { object: 'list', data });
}
