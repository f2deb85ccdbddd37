// POST /v1/messages (non-stream and SSE) and POST /v1/messages/count_tokens.
import { anthropicAuthorized, jsonObjectBody } from './auth.mjs';
import { resolveFaults } from './faults.mjs';
import { summarizeAnthropic } from './text.mjs';
import { makePlan } from './plan.mjs';
import { anthropicMessageId, toolUseId, anthropicRequestId } from './ids.mjs';
import { sendError, sendResult, sendEvents, applyPreAnswerFaults, sseEvent } from './respond.mjs';
import { kAnthropicStreamError } from './errors.mjs';

const kStop = { stop: 'end_turn', length: 'max_tokens', tool: 'tool_use' };

function usage(plan) {
  return {
    input_tokens: plan.inputTokens,
    cache_creation_input_tokens: plan.cacheWriteTokens,
    cache_read_input_tokens: plan.cachedTokens,
    output_tokens: plan.outputTokens,
    service_tier: 'standard',
  };
}

// Anthropic's validation messages name the field, e.g. "max_tokens: Field required".
function invalidMessagesRequest(body, requireMaxTokens) {
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Field required';
  if (requireMaxTokens && !(Number.isInteger(body.max_tokens) && body.max_tokens >= 1)) {
    return 'max_tokens: Field required (an integer of at least 1)';
  }
  for (let i = 0; i < body.messages.length; i++) {
    const m = body.messages[i];
    if (m?.role !== 'user' && m?.role !== 'assistant') return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) return `messages.${i}.content: Field required`;
  }
  return undefined;
}

function message(plan, ids) {
  const content =
    plan.kind === 'tool'
      ? [{ type: 'tool_use', id: ids.toolUse, name: plan.toolName, input: JSON.parse(plan.toolArguments) }]
      : [{ type: 'text', text: plan.text }];
  const out = {
    id: ids.message,
    type: 'message',
    role: 'assistant',
    model: plan.model,
    content,
    stop_reason: kStop[plan.finish],
    stop_sequence: null,
  };
  if (plan.withUsage) out.usage = usage(plan);
  return out;
}

function streamEvents(plan, ids) {
  const start = { id: ids.message, type: 'message', role: 'assistant', model: plan.model, content: [], stop_reason: null, stop_sequence: null };
  // As the real API does, message_start reports output_tokens 1; message_delta has the final count.
  if (plan.withUsage) start.usage = { ...usage(plan), output_tokens: 1 };
  const events = [sseEvent({ type: 'message_start', message: start })];
  const block =
    plan.kind === 'tool' ? { type: 'tool_use', id: ids.toolUse, name: plan.toolName, input: {} } : { type: 'text', text: '' };
  events.push(sseEvent({ type: 'content_block_start', index: 0, content_block: block }));
  events.push(sseEvent({ type: 'ping' }));
  if (plan.kind === 'tool') {
    for (const partial_json of plan.argumentPieces) {
      events.push(sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json } }));
    }
  } else {
    for (const text of plan.pieces) events.push(sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }));
  }
  events.push(sseEvent({ type: 'content_block_stop', index: 0 }));
  const delta = { type: 'message_delta', delta: { stop_reason: kStop[plan.finish], stop_sequence: null } };
  if (plan.withUsage) delta.usage = { output_tokens: plan.outputTokens };
  events.push(sseEvent(delta));
  events.push(sseEvent({ type: 'message_stop' }));
  return events;
}

async function prepare(ctx, requireMaxTokens) {
  ctx.headers = { 'request-id': anthropicRequestId() };
  if (!anthropicAuthorized(ctx)) return undefined;
  const body = jsonObjectBody(ctx, 'anthropic');
  if (!body) return undefined;
  const invalid = invalidMessagesRequest(body, requireMaxTokens);
  if (invalid !== undefined) {
    sendError(ctx, 'anthropic', 400, invalid);
    return undefined;
  }
  const summary = summarizeAnthropic(body);
  const faults = resolveFaults(ctx.req.headers, body.model, summary.lastUserText);
  return { body, summary, faults };
}

export async function messages(ctx) {
  const p = await prepare(ctx, true);
  if (!p) return;
  const streaming = p.body.stream === true;
  if (await applyPreAnswerFaults(ctx, 'anthropic', p.faults, streaming)) return;
  const plan = makePlan(p.summary, p.body.model, p.faults);
  const ids = { message: anthropicMessageId(), toolUse: plan.kind === 'tool' ? toolUseId() : undefined };
  if (!streaming) return sendResult(ctx, message(plan, ids), p.faults);
  await sendEvents(ctx, streamEvents(plan, ids), p.faults, () => kAnthropicStreamError);
}

export async function countTokens(ctx) {
  const p = await prepare(ctx, false);
  if (!p) return;
  if (await applyPreAnswerFaults(ctx, 'anthropic', p.faults, false)) return;
  return sendResult(ctx, { input_tokens: Math.ceil(p.summary.chars / 4) }, p.faults);
}
