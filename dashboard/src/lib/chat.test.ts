import { describe, expect, it } from 'vitest';
import {
  applyEvent, buildRequest, describeHttpError, finishAnswer, imageProblem, newAnswer, streamChat, toMessages,
  type AssistantTurn, type Turn,
} from './chat';
import { parseSse } from './sse';

const sse = (...objs: (object | string)[]) =>
  objs.map((o) => `data: ${typeof o === 'string' ? o : JSON.stringify(o)}\n\n`).join('');
const tr = (panel: string, message: string, details: object) => ({ type: 'trace', entry: { panel, message, details } });
const ch = (delta: object, extra: object = {}) => ({ object: 'chat.completion.chunk', model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: null }], ...extra });

const fold = (text: string, start: AssistantTurn = newAnswer('a')) => parseSse(text).reduce(applyEvent, start);

describe('applyEvent', () => {
  it('accumulates content, counts deltas, and takes the model used from the trace', () => {
    const a = fold(sse(
      tr('router-response', 'router:result', { final: [{ model: 'x/y' }] }),
      tr('request', 'model:request', { modelId: 'mock/gpt-4o', provider: 'openai' }),
      ch({ role: 'assistant', content: '' }),
      ch({ content: 'Hello' }),
      ch({ content: ' there' }),
      { object: 'chat.completion.chunk', model: 'gpt-4o', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      tr('response', 'model:success', { modelId: 'mock/gpt-4o', inputTokens: 3, outputTokens: 2, latencyMs: 9, totalCostUsd: 0.5 }),
      '[DONE]',
    ));
    expect(a.content).toBe('Hello there');
    expect(a.deltas).toBe(2);
    expect(a.model).toBe('mock/gpt-4o'); // the router's id, not router:result's first line
    expect(a.upstreamModel).toBe('gpt-4o');
    expect(a.provider).toBe('openai');
    expect(a.finishReason).toBe('stop');
    expect(a.stats).toMatchObject({ inputTokens: 3, outputTokens: 2, latencyMs: 9, totalCostUsd: 0.5 });
    expect(a.trace.map((e) => e.message)).toEqual(['router:result', 'model:request', 'model:success']);
    expect(a.status).toBe('done');
  });

  it('follows a failover to the model that finally answered', () => {
    const a = fold(sse(
      tr('request', 'model:request', { modelId: 'a' }),
      tr('response', 'model:error', { modelId: 'a', error: 'HTTP 500' }),
      tr('request', 'model:request', { modelId: 'b' }),
      ch({ content: 'ok' }),
      '[DONE]',
    ));
    expect(a.model).toBe('b');
    expect(a.status).toBe('done');
  });

  it('keeps thinking apart from the answer (reasoning deltas and the model:thinking trace)', () => {
    const a = fold(sse(ch({ reasoning_content: 'Let me ' }), ch({ reasoning: 'think.' }), ch({ content: 'Answer' }), '[DONE]'));
    expect(a.reasoning).toBe('Let me think.');
    expect(a.content).toBe('Answer');
    const b = fold(sse(tr('response', 'model:thinking', { modelId: 'm', text: 'full thoughts' }), ch({ content: 'x' })));
    expect(b.reasoning).toBe('full thoughts');
  });

  it('marks an in-stream error but keeps what arrived before it', () => {
    const a = fold(sse(ch({ content: 'Hello' }), { error: { message: 'The mock failed', type: 'server_error', code: 'upstream_error' } }, '[DONE]'));
    expect(a.content).toBe('Hello');
    expect(a.status).toBe('error');
    expect(a.error).toEqual({ code: 'upstream_error', message: 'The mock failed' });
  });

  it('reports exhaustion when the stream ends with a failed attempt and no content', () => {
    const a = fold(sse(tr('response', 'model:error', { error: 'All candidates unavailable or budget-exhausted' }), ch({}), '[DONE]'));
    expect(a.status).toBe('error');
    expect(a.error?.message).toBe('All candidates unavailable or budget-exhausted');
    expect(finishAnswer({ ...newAnswer('z'), content: 'x' }).status).toBe('done');
  });

  it('reads the §00 P3 summary chunk when trace events were not asked for', () => {
    const a = fold(sse({ ...ch({ role: 'assistant', content: '' }), type: 'trace', model: 'mock/b', provider: 'openai', traceId: 't-1' }));
    expect(a.model).toBe('mock/b');
    expect(a.traceId).toBe('t-1');
  });
});

describe('describeHttpError', () => {
  it('explains a bad project token', () => {
    const e = describeHttpError(401, '{"error":"unauthorized","message":"Invalid project token."}');
    expect(e.code).toBe('unauthorized');
    expect(e.message).toMatch(/^Invalid project token\. Check the project token/);
  });
  it('names budget and routing refusals', () => {
    expect(describeHttpError(503, '{"error":"budget_exceeded","message":"project budget: cost daily 1"}').message).toContain('A budget limit blocks');
    const nm = describeHttpError(503, '{"error":"no_model_available","message":"All candidate models failed"}');
    expect(nm).toEqual({ status: 503, code: 'no_model_available', message: 'All candidate models failed No model of the project could answer.' });
  });
  it('copes with provider-shaped and non-JSON bodies', () => {
    expect(describeHttpError(400, '{"error":{"message":"bad","type":"invalid_request_error"}}')).toEqual({ status: 400, code: 'invalid_request_error', message: 'bad' });
    expect(describeHttpError(502, '<html>Bad gateway</html>').message).toBe('<html>Bad gateway</html>');
    expect(describeHttpError(500, '').message).toBe('Request failed with status 500.');
  });
});

describe('toMessages / buildRequest', () => {
  const turns: Turn[] = [
    { role: 'user', id: 'u1', text: 'hi', images: [] },
    { ...newAnswer('a1'), content: 'hello', status: 'done' },
    { role: 'user', id: 'u2', text: 'look', images: [{ id: 'i', name: 'p.png', size: 3, dataUrl: 'data:image/png;base64,AAA' }] },
    { ...newAnswer('a2'), status: 'error', error: { message: 'x' } },
    { role: 'user', id: 'u3', text: '', images: [{ id: 'j', name: 'q.png', size: 3, dataUrl: 'data:image/png;base64,BBB' }] },
  ];
  it('maps images to image_url parts and drops failed answers', () => {
    expect(toMessages(turns)).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA' } }] },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,BBB' } }] },
    ]);
  });
  it('streams, and sets the model only when one is given', () => {
    expect(buildRequest(turns.slice(0, 1), '  ')).toEqual({ stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(buildRequest(turns.slice(0, 1), ' mock/b ').model).toBe('mock/b');
  });
  it('refuses non-images and big files', () => {
    expect(imageProblem({ type: 'image/png', size: 100, name: 'a.png' })).toBeNull();
    expect(imageProblem({ type: 'text/plain', size: 1, name: 'a.txt' })).toMatch(/not an image/);
    expect(imageProblem({ type: 'image/png', size: 11 * 1024 * 1024, name: 'b.png' })).toMatch(/larger than 10 MB/);
  });
});

describe('streamChat', () => {
  function fakeFetch(status: number, body: string, headers: Record<string, string> = {}) {
    const calls: { url: string; init: RequestInit }[] = [];
    const impl = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(body, { status, headers });
    }) as unknown as typeof fetch;
    return { impl, calls };
  }

  it('sends the token and the events header, and streams updates into the answer', async () => {
    const { impl, calls } = fakeFetch(200, sse(ch({ content: 'A' }), ch({ content: 'B' }), '[DONE]'), {
      'content-type': 'text/event-stream', 'x-routerly-trace-id': 'tid',
    });
    const seen: string[] = [];
    const final = await streamChat({
      token: 'sk-rt-1', body: { stream: true, messages: [] }, answer: newAnswer('a'),
      signal: new AbortController().signal, onUpdate: (a) => seen.push(a.content), fetchImpl: impl,
    });
    expect(calls[0].url).toBe('/v1/chat/completions');
    const h = calls[0].init.headers as Record<string, string>;
    expect(h.authorization).toBe('Bearer sk-rt-1');
    expect(h['x-routerly-trace']).toBe('events');
    expect(final.content).toBe('AB');
    expect(final.traceId).toBe('tid');
    expect(final.status).toBe('done');
    expect(seen).toContain('A');
  });

  it('turns a refused request into an error answer', async () => {
    const { impl } = fakeFetch(401, '{"error":"unauthorized","message":"Invalid project token."}');
    const final = await streamChat({ token: 'bad', body: {}, answer: newAnswer('a'), signal: new AbortController().signal, onUpdate: () => {}, fetchImpl: impl });
    expect(final.status).toBe('error');
    expect(final.error?.status).toBe(401);
  });

  it('ends as stopped when aborted', async () => {
    const ctrl = new AbortController();
    const impl = (async (_u: string, init: RequestInit) => {
      ctrl.abort();
      throw init.signal?.reason ?? new Error('aborted');
    }) as unknown as typeof fetch;
    const final = await streamChat({ token: 't', body: {}, answer: newAnswer('a'), signal: ctrl.signal, onUpdate: () => {}, fetchImpl: impl });
    expect(final.status).toBe('stopped');
  });
});
