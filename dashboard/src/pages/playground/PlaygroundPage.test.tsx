import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ToastProvider } from '../../components/Toasts';
import PlaygroundPage from './PlaygroundPage';
import { TOKEN_KEY } from './playgroundState';

const TOKEN = `sk-rt-${'a'.repeat(64)}`;
const enc = new TextEncoder();
const line = (o: object | string) => enc.encode(`data: ${typeof o === 'string' ? o : JSON.stringify(o)}\n\n`);
const trace = (panel: string, message: string, details: object) => line({ type: 'trace', entry: { panel, message, details } });
const delta = (content: string) => line({ object: 'chat.completion.chunk', model: 'gpt-4o', choices: [{ index: 0, delta: { content } }] });

// A response body the test feeds piece by piece, to see the page between chunks.
function controlledBody() {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start(c) { ctrl = c; } });
  return { body, push: (b: Uint8Array) => ctrl.enqueue(b), close: () => ctrl.close(), fail: (e: unknown) => ctrl.error(e) };
}

function renderPage() {
  return render(<ToastProvider><PlaygroundPage /></ToastProvider>);
}

describe('PlaygroundPage', () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    sessionStorage.clear();
    fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('asks for a project token before sending', async () => {
    renderPage();
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'hi' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText(/Paste a project token/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Project token'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('Project tokens start with sk-rt-.')).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('streams an answer with the model used, then shows the trace panels', async () => {
    sessionStorage.setItem(TOKEN_KEY, TOKEN);
    const stream = controlledBody();
    fetchMock.mockImplementation(async (url: string) => {
      if (url === '/v1/models') return new Response(JSON.stringify({ data: [{ id: 'mock/a' }, { id: 'mock/b' }] }), { status: 200 });
      return new Response(stream.body, { status: 200, headers: { 'content-type': 'text/event-stream', 'x-routerly-trace-id': 'trace-1' } });
    });
    renderPage();
    expect((screen.getByLabelText('Project token') as HTMLInputElement).value).toBe(TOKEN);
    await screen.findByText('2 model(s) in this project.');
    // The hint says what choosing a model does.
    expect(screen.getByText(/A model chosen here is tried first, with the project’s routing as fallback; empty or “auto” lets routing choose/)).toBeTruthy();
    const options = Array.from(document.querySelectorAll('#pg-models option')).map((o) => (o as HTMLOptionElement).value);
    expect(options).toEqual(['auto', 'mock/a', 'mock/b']);
    fireEvent.change(screen.getByLabelText('Model (optional)'), { target: { value: 'mock/a' } });
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Hello there' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    await screen.findByRole('button', { name: 'Stop' });
    const call = fetchMock.mock.calls.find(([u]) => u === '/v1/chat/completions')!;
    expect(call[1].headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'x-routerly-trace': 'events' });
    expect(JSON.parse(call[1].body)).toEqual({ stream: true, model: 'mock/a', messages: [{ role: 'user', content: 'Hello there' }] });

    stream.push(trace('router-request', 'router:intake', { model: 'mock/a' }));
    stream.push(trace('request', 'model:request', { modelId: 'mock/a', provider: 'openai' }));
    stream.push(delta('Hel'));
    const content = await screen.findByTestId('answer-content');
    await waitFor(() => expect(content.textContent).toContain('Hel'));
    expect(screen.getByTestId('answer-model').textContent).toBe('Model: mock/a');
    stream.push(delta('lo!'));
    stream.push(trace('response', 'model:success', { modelId: 'mock/a', inputTokens: 3, outputTokens: 2, latencyMs: 12, totalCostUsd: 0.001 }));
    stream.push(line('[DONE]'));
    stream.close();

    await waitFor(() => expect(screen.getByTestId('assistant-message').dataset.status).toBe('done'));
    expect(content.textContent).toBe('Hello!');
    expect(screen.getByTestId('answer-trace-id').textContent).toBe('trace-1');
    const traceView = screen.getByTestId('trace-view');
    expect(within(traceView).getByText('router:intake')).toBeTruthy();
    expect(within(traceView).getByText('model:success')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
  });

  it('stops a streaming answer', async () => {
    sessionStorage.setItem(TOKEN_KEY, TOKEN);
    const stream = controlledBody();
    fetchMock.mockImplementation(async (url: string, init: RequestInit) => {
      if (url === '/v1/models') return new Response('{"data":[]}', { status: 200 });
      // As a browser does: aborting the fetch errors the body being read.
      init.signal?.addEventListener('abort', () => stream.fail(new DOMException('aborted', 'AbortError')));
      return new Response(stream.body, { status: 200 });
    });
    renderPage();
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'long story' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    stream.push(delta('Once'));
    await waitFor(() => expect(screen.getByTestId('answer-content').textContent).toContain('Once'));
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(screen.getByTestId('assistant-message').dataset.status).toBe('stopped'));
    expect(screen.getByText('Stopped')).toBeTruthy();
    expect(screen.getByTestId('answer-content').textContent).toBe('Once');
  });

  it('shows a refused request in the transcript', async () => {
    sessionStorage.setItem(TOKEN_KEY, TOKEN);
    fetchMock.mockImplementation(async (url: string) => {
      if (url === '/v1/models') return new Response('{}', { status: 401 });
      return new Response('{"error":"budget_exceeded","message":"Project budget: cost per day 1 USD reached."}', { status: 503 });
    });
    renderPage();
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'hi' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    const err = await screen.findByTestId('answer-error');
    expect(err.textContent).toContain('503 budget_exceeded');
    expect(err.textContent).toContain('Project budget: cost per day 1 USD reached.');
    expect(screen.getByText('No trace for this answer')).toBeTruthy();
  });

  it('attaches, previews and removes an image', async () => {
    renderPage();
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'cat.png', { type: 'image/png' });
    fireEvent.change(screen.getByLabelText('Attach image'), { target: { files: [file] } });
    const list = await screen.findByRole('list', { name: 'Attached images' });
    const img = within(list).getByRole('img', { name: 'cat.png' }) as HTMLImageElement;
    expect(img.src.startsWith('data:image/png;base64,')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Remove cat.png' }));
    expect(screen.queryByRole('list', { name: 'Attached images' })).toBeNull();
    const text = new File(['x'], 'notes.txt', { type: 'text/plain' });
    fireEvent.change(screen.getByLabelText('Attach image'), { target: { files: [text] } });
    expect(await screen.findByText('notes.txt is not an image.')).toBeTruthy();
  });
});
