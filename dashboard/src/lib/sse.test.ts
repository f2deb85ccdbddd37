import { describe, expect, it } from 'vitest';
import { interpretData, parseSse, readSse, SseParser, type SseEvent } from './sse';

const trace = (panel: string, message: string, details: object = {}) =>
  `data: ${JSON.stringify({ type: 'trace', entry: { panel, message, details } })}\n\n`;
const chunk = (content: string, extra: object = {}) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'gpt-4o', choices: [{ index: 0, delta: { content }, finish_reason: null }], ...extra })}\n\n`;

// A stream as the gateway sends it with `x-routerly-trace: events` (SPEC §8.2).
const STREAM =
  trace('router-request', 'router:intake', { model: '' }) +
  trace('request', 'model:request', { modelId: 'mock/gpt-4o', provider: 'openai' }) +
  chunk('Hello') +
  chunk(' world') +
  trace('response', 'model:success', { modelId: 'mock/gpt-4o', outputTokens: 2 }) +
  'data: [DONE]\n\n';

const kinds = (evs: SseEvent[]) => evs.map((e) => e.kind);

describe('parseSse', () => {
  it('separates trace events, chunks and the terminator in order', () => {
    const evs = parseSse(STREAM);
    expect(kinds(evs)).toEqual(['trace', 'trace', 'chunk', 'chunk', 'trace', 'done']);
    expect(evs[1]).toEqual({ kind: 'trace', entry: { panel: 'request', message: 'model:request', details: { modelId: 'mock/gpt-4o', provider: 'openai' } } });
    const c = evs[2];
    expect(c.kind === 'chunk' && c.chunk.choices?.[0].delta?.content).toBe('Hello');
  });

  it('gives the same events whatever the chunk boundaries are', () => {
    const whole = parseSse(STREAM);
    for (const size of [1, 2, 3, 7, 64]) {
      const parser = new SseParser();
      const evs: SseEvent[] = [];
      for (let i = 0; i < STREAM.length; i += size) evs.push(...parser.push(STREAM.slice(i, i + size)));
      evs.push(...parser.end());
      expect(evs).toEqual(whole);
    }
  });

  it('accepts CRLF and CR line endings, even a CRLF split between pushes', () => {
    const crlf = STREAM.replace(/\n/g, '\r\n');
    expect(parseSse(crlf)).toEqual(parseSse(STREAM));
    expect(parseSse(STREAM.replace(/\n/g, '\r'))).toEqual(parseSse(STREAM));
    const parser = new SseParser();
    const evs = [...parser.push('data: [DONE]\r'), ...parser.push('\n\r'), ...parser.push('\n')];
    expect(kinds(evs)).toEqual(['done']);
  });

  it('ignores comments, id and retry fields, joins multi-line data, and keeps a final event without blank line', () => {
    const text = ': keep-alive\nid: 4\nretry: 100\ndata: {"choices":[{"delta":\ndata: {"content":"x"}}]}\n\ndata: [DONE]';
    const evs = parseSse(text);
    expect(kinds(evs)).toEqual(['chunk', 'done']);
    const c = evs[0];
    expect(c.kind === 'chunk' && c.chunk.choices?.[0].delta?.content).toBe('x');
  });

  it('reads data without a space after the colon', () => {
    expect(kinds(parseSse('data:[DONE]\n\n'))).toEqual(['done']);
  });
});

describe('interpretData', () => {
  it('recognises the OpenAI in-stream error (§00 P1)', () => {
    expect(interpretData('{"error":{"message":"boom","type":"server_error","code":"upstream_error"}}')).toEqual({
      kind: 'error', message: 'boom', code: 'upstream_error', type: 'server_error',
    });
  });
  it('recognises the gateway envelope and an Anthropic `event: error`', () => {
    expect(interpretData('{"error":"budget_exceeded","message":"over"}')).toEqual({ kind: 'error', message: 'over', code: 'budget_exceeded' });
    expect(interpretData('{"type":"error","error":{"type":"overloaded_error","message":"busy"}}', 'error')).toEqual({
      kind: 'error', message: 'busy', code: undefined, type: 'overloaded_error',
    });
  });
  it('treats the P3 summary chunk as a chunk, a usage-only chunk as a chunk, garbage as invalid', () => {
    const p3 = interpretData('{"type":"trace","traceId":"t","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}');
    expect(p3.kind).toBe('chunk');
    expect(interpretData('{"choices":[],"usage":{"prompt_tokens":1}}').kind).toBe('chunk');
    expect(interpretData('{"half":').kind).toBe('invalid');
    expect(interpretData('[1,2]').kind).toBe('invalid');
  });
});

describe('readSse', () => {
  function bodyOf(parts: Uint8Array[]): ReadableStream<Uint8Array> {
    return new ReadableStream({
      start(controller) {
        for (const p of parts) controller.enqueue(p);
        controller.close();
      },
    });
  }

  it('decodes UTF-8 split across network chunks and stops at [DONE]', async () => {
    const bytes = new TextEncoder().encode(chunk('héllo ✓') + 'data: [DONE]\n\n' + chunk('after'));
    const parts = Array.from({ length: bytes.length }, (_, i) => bytes.slice(i, i + 1));
    const evs: SseEvent[] = [];
    for await (const ev of readSse(bodyOf(parts))) evs.push(ev);
    expect(kinds(evs)).toEqual(['chunk', 'done']);
    const c = evs[0];
    expect(c.kind === 'chunk' && c.chunk.choices?.[0].delta?.content).toBe('héllo ✓');
  });

  it('flushes an unterminated last event when the body ends', async () => {
    const evs: SseEvent[] = [];
    for await (const ev of readSse(bodyOf([new TextEncoder().encode(chunk('a').trimEnd())]))) evs.push(ev);
    expect(kinds(evs)).toEqual(['chunk']);
  });
});
