// Server-sent events of the proxy's chat stream (SPEC §8.1–8.3, §00 P1/P3), parsed without any
// DOM or network dependency so it can be unit-tested byte by byte.
//
// Framing: lines split on \n, \r\n or \r; `data:` lines of one event are joined with \n; a blank
// line ends the event; `:` comments, `id:` and `retry:` are ignored; `event:` names the event
// (only `error` matters to us). A chunk boundary may fall anywhere, even inside a UTF-8 sequence
// (that is the TextDecoder's job in readSse) or between \r and \n.
import type { TraceEntry } from '../api/types';

// The OpenAI chat.completion.chunk fields the playground reads; everything else is kept as-is.
export interface ChatChunkDelta {
  role?: string;
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  thinking?: string | null;
  [k: string]: unknown;
}
export interface ChatChunk {
  id?: string;
  object?: string;
  model?: string;
  choices?: { index?: number; delta?: ChatChunkDelta; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
  // §00 P3 default first chunk (without `x-routerly-trace: events`): routing summary keys.
  type?: string;
  traceId?: string;
  provider?: string;
  [k: string]: unknown;
}

export type SseEvent =
  | { kind: 'trace'; entry: TraceEntry }
  | { kind: 'chunk'; chunk: ChatChunk }
  | { kind: 'error'; message: string; code?: string; type?: string }
  | { kind: 'done' }
  | { kind: 'invalid'; data: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// An error object in OpenAI form ({error:{message,type,code}}), Anthropic form
// ({type:"error",error:{type,message}}) or the gateway's envelope ({error:"code",message}).
function errorOf(obj: Record<string, unknown>): { message: string; code?: string; type?: string } | null {
  const err = obj.error;
  if (isObject(err)) {
    const message = typeof err.message === 'string' ? err.message : JSON.stringify(err);
    return {
      message,
      code: typeof err.code === 'string' ? err.code : undefined,
      type: typeof err.type === 'string' ? err.type : undefined,
    };
  }
  if (typeof err === 'string') {
    return { message: typeof obj.message === 'string' ? obj.message : err, code: err };
  }
  return null;
}

// One event's data (and optional event name) → what it means to the playground.
export function interpretData(data: string, eventName?: string): SseEvent {
  const trimmed = data.trim();
  if (trimmed === '[DONE]') return { kind: 'done' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    if (eventName === 'error') return { kind: 'error', message: trimmed || 'stream error' };
    return { kind: 'invalid', data };
  }
  if (!isObject(parsed)) return { kind: 'invalid', data };
  if (parsed.type === 'trace' && isObject(parsed.entry)) return { kind: 'trace', entry: parsed.entry as TraceEntry };
  const err = errorOf(parsed);
  if (err || eventName === 'error') return { kind: 'error', ...(err ?? { message: trimmed }) };
  if (Array.isArray(parsed.choices) || parsed.object === 'chat.completion.chunk' || isObject(parsed.usage)) {
    return { kind: 'chunk', chunk: parsed as ChatChunk };
  }
  return { kind: 'invalid', data };
}

// Incremental parser: feed decoded text with push(), collect the events each call completes,
// call end() when the body is over (a final event without its blank line still counts).
export class SseParser {
  private buffer = '';
  private dataLines: string[] = [];
  private eventName: string | undefined;
  private sawCr = false;

  push(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\n' && this.sawCr && i === start && this.buffer === '') {
        // The \n of a \r\n pair split across the previous character: already ended the line.
        this.sawCr = false;
        start = i + 1;
        continue;
      }
      this.sawCr = false;
      if (c === '\r' || c === '\n') {
        this.line(this.buffer + text.slice(start, i), out);
        this.buffer = '';
        if (c === '\r') {
          if (text[i + 1] === '\n') i++;
          else if (i + 1 === text.length) this.sawCr = true;
        }
        start = i + 1;
      }
    }
    this.buffer += text.slice(start);
    return out;
  }

  end(): SseEvent[] {
    const out: SseEvent[] = [];
    if (this.buffer !== '') {
      this.line(this.buffer, out);
      this.buffer = '';
    }
    this.dispatch(out);
    return out;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') {
      this.dispatch(out);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
  }

  private dispatch(out: SseEvent[]): void {
    if (this.dataLines.length > 0) out.push(interpretData(this.dataLines.join('\n'), this.eventName));
    this.dataLines = [];
    this.eventName = undefined;
  }
}

// Parses a whole SSE text at once (tests, small bodies).
export function parseSse(text: string): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()];
}

// Reads a fetch body as SSE events, in arrival order. Stops after [DONE].
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      const events = done ? [...parser.push(decoder.decode()), ...parser.end()] : parser.push(decoder.decode(value, { stream: true }));
      for (const ev of events) {
        yield ev;
        if (ev.kind === 'done') return;
      }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}
