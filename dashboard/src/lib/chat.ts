// The playground's conversation model: what one streamed answer accumulates from the SSE events
// of lib/sse.ts, how the transcript becomes an OpenAI chat request, and how a refused request
// (401, 503 budget_exceeded / no_model_available, …) becomes a readable message.
import type { TraceEntry } from '../api/types';
import { readSse, type ChatChunk, type SseEvent } from './sse';

export interface ImageAttachment { id: string; name: string; dataUrl: string; size: number }

export interface UserTurn { role: 'user'; id: string; text: string; images: ImageAttachment[] }

export interface AnswerStats {
  inputTokens?: number; outputTokens?: number; latencyMs?: number; ttftMs?: number; totalCostUsd?: number;
}

export interface AssistantTurn {
  role: 'assistant';
  id: string;
  content: string;
  reasoning: string;
  // The Routerly model id the router chose (from the trace); the upstream's own name from chunks.
  model?: string;
  upstreamModel?: string;
  provider?: string;
  traceId?: string;
  trace: TraceEntry[];
  stats?: AnswerStats;
  finishReason?: string;
  error?: { status?: number; code?: string; message: string };
  status: 'streaming' | 'done' | 'stopped' | 'error';
  // How many content deltas arrived (the browser test checks the answer really streamed).
  deltas: number;
}

export type Turn = UserTurn | AssistantTurn;

export function newAnswer(id: string): AssistantTurn {
  return { role: 'assistant', id, content: '', reasoning: '', trace: [], status: 'streaming', deltas: 0 };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

function applyTrace(answer: AssistantTurn, entry: TraceEntry): AssistantTurn {
  const next = { ...answer, trace: [...answer.trace, entry] };
  const d = rec(entry.details);
  const completion = entry.panel === 'request' || entry.panel === 'response';
  if (!completion) return next;
  switch (entry.message) {
    case 'model:request':
      next.model = str(d.modelId) ?? next.model;
      next.provider = str(d.provider) ?? next.provider;
      break;
    case 'model:success':
      next.model = str(d.modelId) ?? next.model;
      next.stats = {
        inputTokens: num(d.inputTokens), outputTokens: num(d.outputTokens), latencyMs: num(d.latencyMs),
        ttftMs: num(d.ttftMs), totalCostUsd: num(d.totalCostUsd),
      };
      break;
    case 'model:thinking':
      // Accumulated thinking; deltas may already have filled it, the trace text wins when longer.
      if (typeof d.text === 'string' && d.text.length >= next.reasoning.length) next.reasoning = d.text;
      break;
  }
  return next;
}

function applyChunk(answer: AssistantTurn, chunk: ChatChunk): AssistantTurn {
  const next = { ...answer };
  if (str(chunk.model)) next.upstreamModel = chunk.model;
  // §00 P3 summary chunk (only without the events header): its `model` is the chosen model.
  if (chunk.type === 'trace') {
    if (str(chunk.model)) next.model = chunk.model;
    if (str(chunk.provider)) next.provider = chunk.provider;
    if (str(chunk.traceId)) next.traceId = chunk.traceId;
  }
  for (const choice of chunk.choices ?? []) {
    const delta = choice.delta ?? {};
    const thought = str(delta.reasoning_content) ?? str(delta.reasoning) ?? str(delta.thinking);
    if (thought) next.reasoning += thought;
    if (typeof delta.content === 'string' && delta.content !== '') {
      next.content += delta.content;
      next.deltas += 1;
    }
    if (choice.finish_reason) next.finishReason = choice.finish_reason;
  }
  if (chunk.usage && (next.stats?.outputTokens === undefined)) {
    next.stats = {
      ...next.stats,
      inputTokens: num(chunk.usage.prompt_tokens),
      outputTokens: num(chunk.usage.completion_tokens),
    };
  }
  return next;
}

// One SSE event folded into the answer (pure; returns a new object).
export function applyEvent(answer: AssistantTurn, ev: SseEvent): AssistantTurn {
  switch (ev.kind) {
    case 'trace':
      return applyTrace(answer, ev.entry);
    case 'chunk':
      return applyChunk(answer, ev.chunk);
    case 'error':
      return { ...answer, status: 'error', error: { code: ev.code ?? ev.type, message: ev.message } };
    case 'done':
      return finishAnswer(answer);
    case 'invalid':
      return answer;
  }
}

// The end of the stream: an answer that got nothing but a failed attempt reports that failure.
export function finishAnswer(answer: AssistantTurn): AssistantTurn {
  if (answer.status !== 'streaming') return answer;
  if (answer.content === '' && !answer.error) {
    const last = [...answer.trace].reverse().find((e) => e.panel === 'response' || e.panel === 'request');
    if (last?.message === 'model:error') {
      const d = rec(last.details);
      return { ...answer, status: 'error', error: { code: 'upstream_error', message: str(d.error) ?? 'The model call failed.' } };
    }
  }
  return { ...answer, status: 'done' };
}

// A refused request's status and body → what the transcript shows.
export function describeHttpError(status: number, bodyText: string): { status: number; code?: string; message: string } {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const body = rec(JSON.parse(bodyText));
    const err = body.error;
    if (typeof err === 'string') {
      code = err;
      message = str(body.message);
    } else if (typeof err === 'object' && err !== null) {
      const e = rec(err);
      code = str(e.code) ?? str(e.type);
      message = str(e.message);
    }
  } catch {
    message = bodyText.trim().slice(0, 300) || undefined;
  }
  const hint =
    status === 401 ? 'Check the project token (it starts with sk-rt-).'
    : code === 'budget_exceeded' ? 'A budget limit blocks this request.'
    : code === 'no_model_available' ? 'No model of the project could answer.'
    : undefined;
  const text = [message ?? `Request failed with status ${status}.`, hint].filter(Boolean).join(' ');
  return { status, code, message: text };
}

type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };
export interface ChatMessage { role: 'user' | 'assistant'; content: string | ContentPart[] }

// The transcript as OpenAI messages: images become image_url parts with data URIs; failed or
// empty answers are left out (the model never saw them).
export function toMessages(turns: Turn[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const t of turns) {
    if (t.role === 'user') {
      if (t.images.length === 0) out.push({ role: 'user', content: t.text });
      else {
        const parts: ContentPart[] = [];
        if (t.text) parts.push({ type: 'text', text: t.text });
        for (const img of t.images) parts.push({ type: 'image_url', image_url: { url: img.dataUrl } });
        out.push({ role: 'user', content: parts });
      }
    } else if (t.content !== '' && t.status !== 'error') {
      out.push({ role: 'assistant', content: t.content });
    }
  }
  return out;
}

export function buildRequest(turns: Turn[], model: string): Record<string, unknown> {
  const body: Record<string, unknown> = { stream: true, messages: toMessages(turns) };
  if (model.trim()) body.model = model.trim();
  return body;
}

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

// Why a picked file cannot be attached, or null when it can.
export function imageProblem(file: { type: string; size: number; name: string }): string | null {
  if (!file.type.startsWith('image/')) return `${file.name} is not an image.`;
  if (file.size > MAX_IMAGE_BYTES) return `${file.name} is larger than 10 MB.`;
  return null;
}

// Sends the chat and folds every event into the answer, reporting each new state. Resolves with
// the final answer; an abort ends it as "stopped" with what arrived so far.
export async function streamChat(options: {
  token: string;
  body: Record<string, unknown>;
  answer: AssistantTurn;
  signal: AbortSignal;
  onUpdate: (answer: AssistantTurn) => void;
  fetchImpl?: typeof fetch;
}): Promise<AssistantTurn> {
  const { token, body, signal, onUpdate } = options;
  const doFetch = options.fetchImpl ?? fetch;
  let answer = options.answer;
  const update = (next: AssistantTurn) => {
    answer = next;
    onUpdate(answer);
  };
  try {
    const res = await doFetch('/v1/chat/completions', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'text/event-stream',
        'x-routerly-trace': 'events',
      },
      body: JSON.stringify(body),
      signal,
    });
    const traceId = res.headers.get('x-routerly-trace-id') ?? undefined;
    if (traceId) update({ ...answer, traceId });
    if (!res.ok) {
      update({ ...answer, status: 'error', error: describeHttpError(res.status, await res.text()) });
      return answer;
    }
    if (!res.body) {
      update({ ...answer, status: 'error', error: { message: 'The response has no body.' } });
      return answer;
    }
    for await (const ev of readSse(res.body)) {
      update(applyEvent(answer, ev));
    }
    update(finishAnswer(answer));
  } catch (err) {
    if (signal.aborted) update({ ...answer, status: 'stopped' });
    else update({ ...answer, status: 'error', error: { message: `Network error: ${err instanceof Error ? err.message : String(err)}` } });
  }
  return answer;
}
