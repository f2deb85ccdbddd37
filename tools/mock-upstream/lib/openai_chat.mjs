// POST /v1/chat/completions (OpenAI, Ollama) and /v1beta/openai/chat/completions (Gemini).
import { openaiAuthorized, jsonObjectBody } from './auth.mjs';
import { resolveFaults } from './faults.mjs';
import { summarizeChat } from './text.mjs';
import { makePlan } from './plan.mjs';
import { chatCompletionId, toolCallId, openaiRequestId, nowSeconds } from './ids.mjs';
import { sendError, sendResult, sendEvents, applyPreAnswerFaults, sseData, kDone } from './respond.mjs';
import { kOpenAiStreamError } from './errors.mjs';

const kFingerprint = 'fp_mock0001';
const kFinish = { stop: 'stop', length: 'length', tool: 'tool_calls' };

export function chatUsage(plan) {
  const promptDetails = { cached_tokens: plan.cachedTokens, audio_tokens: 0 };
  if (plan.cacheWriteTokens > 0) promptDetails.cache_creation_tokens = plan.cacheWriteTokens;
  return {
    prompt_tokens: plan.inputTokens,
    completion_tokens: plan.outputTokens,
    total_tokens: plan.inputTokens + plan.outputTokens,
    prompt_tokens_details: promptDetails,
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function completion(plan) {
  const message =
    plan.kind === 'tool'
      ? {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: toolCallId(), type: 'function', function: { name: plan.toolName, arguments: plan.toolArguments } }],
          refusal: null,
          annotations: [],
        }
      : { role: 'assistant', content: plan.text, refusal: null, annotations: [] };
  const out = {
    id: chatCompletionId(),
    object: 'chat.completion',
    created: nowSeconds(),
    model: plan.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: kFinish[plan.finish] }],
  };
  if (plan.withUsage) out.usage = chatUsage(plan);
  out.service_tier = 'default';
  out.system_fingerprint = kFingerprint;
  return out;
}

function streamEvents(plan, includeUsage) {
  const id = chatCompletionId();
  const created = nowSeconds();
  const usageChunk = includeUsage && plan.withUsage;
  const chunk = (delta, finish) => {
    const c = {
      id,
      object: 'chat.completion.chunk',
      created,
      model: plan.model,
      service_tier: 'default',
      system_fingerprint: kFingerprint,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
    if (usageChunk) c.usage = null;
    return sseData(c);
  };
  const events = [];
  if (plan.kind === 'tool') {
    const call = { index: 0, id: toolCallId(), type: 'function', function: { name: plan.toolName, arguments: '' } };
    events.push(chunk({ role: 'assistant', content: null, tool_calls: [call], refusal: null }, null));
    for (const piece of plan.argumentPieces) events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null));
  } else {
    events.push(chunk({ role: 'assistant', content: '', refusal: null }, null));
    for (const piece of plan.pieces) events.push(chunk({ content: piece }, null));
  }
  events.push(chunk({}, kFinish[plan.finish]));
  if (usageChunk) {
    events.push(
      sseData({
        id,
        object: 'chat.completion.chunk',
        created,
        model: plan.model,
        service_tier: 'default',
        system_fingerprint: kFingerprint,
        choices: [],
        usage: chatUsage(plan),
      }),
    );
  }
  events.push(kDone);
  return events;
}

export async function chatCompletions(ctx) {
  ctx.headers = { 'x-request-id': openaiRequestId() };
  if (!openaiAuthorized(ctx)) return;
  const body = jsonObjectBody(ctx, 'openai');
  if (!body) return;
  if (typeof body.model !== 'string' || body.model === '') return sendError(ctx, 'openai', 400, 'model: a model name is required.');
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return sendError(ctx, 'openai', 400, 'messages: a non-empty array is required.');
  }
  const summary = summarizeChat(body);
  const faults = resolveFaults(ctx.req.headers, body.model, summary.lastUserText);
  const streaming = body.stream === true;
  if (await applyPreAnswerFaults(ctx, 'openai', faults, streaming)) return;
  const plan = makePlan(summary, body.model, faults);
  if (!streaming) return sendResult(ctx, completion(plan), faults);
  await sendEvents(ctx, streamEvents(plan, body.stream_options?.include_usage === true), faults, () => kOpenAiStreamError);
}
