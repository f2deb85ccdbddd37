// POST /v1/responses: the OpenAI Responses API (non-stream object and typed SSE events).
import { openaiAuthorized, jsonObjectBody } from './auth.mjs';
import { resolveFaults } from './faults.mjs';
import { summarizeResponses } from './text.mjs';
import { makePlan } from './plan.mjs';
import { responseId, responseMessageId, functionCallItemId, toolCallId, openaiRequestId, nowSeconds } from './ids.mjs';
import { sendError, sendResult, sendEvents, applyPreAnswerFaults, sseEvent } from './respond.mjs';
import { responsesStreamError } from './errors.mjs';

function usage(plan) {
  return {
    input_tokens: plan.inputTokens,
    input_tokens_details: { cached_tokens: plan.cachedTokens },
    output_tokens: plan.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: plan.inputTokens + plan.outputTokens,
  };
}

function envelope(body, id, createdAt, status) {
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model,
    output: [],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: null,
    user: null,
    metadata: body.metadata ?? {},
  };
}

const textPart = (text) => ({ type: 'output_text', annotations: [], logprobs: [], text });

// The finished output item; `ids` fixes the ids so stream and final object agree.
function finalItem(plan, ids) {
  if (plan.kind === 'tool') {
    return { id: ids.item, type: 'function_call', status: 'completed', arguments: plan.toolArguments, call_id: ids.call, name: plan.toolName };
  }
  const status = plan.finish === 'length' ? 'incomplete' : 'completed';
  return { id: ids.item, type: 'message', status, role: 'assistant', content: [textPart(plan.text)] };
}

function finalResponse(body, plan, ids) {
  const r = envelope(body, ids.response, ids.createdAt, plan.finish === 'length' ? 'incomplete' : 'completed');
  r.output = [finalItem(plan, ids)];
  if (plan.withUsage) r.usage = usage(plan);
  else delete r.usage;
  return r;
}

function newIds(plan) {
  return {
    response: responseId(),
    createdAt: nowSeconds(),
    item: plan.kind === 'tool' ? functionCallItemId() : responseMessageId(),
    call: plan.kind === 'tool' ? toolCallId() : undefined,
  };
}

function streamEvents(body, plan, ids) {
  const events = [];
  const push = (type, fields) => events.push(sseEvent({ type, sequence_number: events.length, ...fields }));
  const start = envelope(body, ids.response, ids.createdAt, 'in_progress');
  push('response.created', { response: start });
  push('response.in_progress', { response: start });
  const item = finalItem(plan, ids);
  if (plan.kind === 'tool') {
    push('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', arguments: '' } });
    for (const delta of plan.argumentPieces) {
      push('response.function_call_arguments.delta', { item_id: ids.item, output_index: 0, delta });
    }
    push('response.function_call_arguments.done', { item_id: ids.item, output_index: 0, name: plan.toolName, arguments: plan.toolArguments });
  } else {
    const at = { item_id: ids.item, output_index: 0, content_index: 0 };
    push('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } });
    push('response.content_part.added', { ...at, part: textPart('') });
    for (const delta of plan.pieces) push('response.output_text.delta', { ...at, delta, logprobs: [] });
    push('response.output_text.done', { ...at, text: plan.text, logprobs: [] });
    push('response.content_part.done', { ...at, part: textPart(plan.text) });
  }
  push('response.output_item.done', { output_index: 0, item });
  const final = finalResponse(body, plan, ids);
  push(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
  return events;
}

export async function responses(ctx) {
  ctx.headers = { 'x-request-id': openaiRequestId() };
  if (!openaiAuthorized(ctx)) return;
  const body = jsonObjectBody(ctx, 'openai');
  if (!body) return;
  if (typeof body.model !== 'string' || body.model === '') return sendError(ctx, 'openai', 400, 'model: a model name is required.');
  if (body.input === undefined && body.previous_response_id === undefined) {
    return sendError(ctx, 'openai', 400, 'input: required unless previous_response_id is given.');
  }
  const summary = summarizeResponses(body);
  const faults = resolveFaults(ctx.req.headers, body.model, summary.lastUserText);
  const streaming = body.stream === true;
  if (await applyPreAnswerFaults(ctx, 'openai', faults, streaming)) return;
  const plan = makePlan(summary, body.model, faults);
  const ids = newIds(plan);
  if (!streaming) return sendResult(ctx, finalResponse(body, plan, ids), faults);
  await sendEvents(ctx, streamEvents(body, plan, ids), faults, responsesStreamError);
}
