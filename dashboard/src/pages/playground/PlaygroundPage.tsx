// Playground (SPEC §10 `test`): chat through the gateway with a project token, streamed
// (POST /v1/chat/completions {stream:true}), with `x-routerly-trace: events` so the routing
// decision arrives as trace events (§00 P3, §8.2) that feed the four debug panels. The token is
// kept in sessionStorage only; it is sent to the proxy, never to the management API.
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { PageHeader, EmptyState } from '../../components/States';
import { TextField, TextAreaField } from '../../components/Field';
import { useToast } from '../../components/Toasts';
import TraceView from '../../components/TraceView';
import { buildRequest, imageProblem, newAnswer, streamChat, type AssistantTurn, type ImageAttachment, type Turn } from '../../lib/chat';
import { AssistantMessage, UserMessage } from './ChatMessages';
import { MODEL_KEY, TOKEN_KEY, loadStored, newId, readImage, store, tokenLooksValid } from './playgroundState';
import './playground.css';

// The models the token's project may use (GET /v1/models with the project token), for the
// model field's suggestions; empty when the token is not (yet) valid.
function useProjectModels(token: string): string[] {
  const [models, setModels] = useState<string[]>([]);
  useEffect(() => {
    if (!tokenLooksValid(token)) {
      setModels([]);
      return;
    }
    const ac = new AbortController();
    fetch('/v1/models', { headers: { authorization: `Bearer ${token.trim()}` }, signal: ac.signal })
      .then(async (res) => {
        if (!res.ok) return [];
        const body = (await res.json()) as { data?: { id?: unknown }[] };
        return (body.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
      })
      .then((ids) => { if (!ac.signal.aborted) setModels(ids); })
      .catch(() => { if (!ac.signal.aborted) setModels([]); });
    return () => ac.abort();
  }, [token]);
  return models;
}

export default function PlaygroundPage() {
  const toast = useToast();
  const [token, setToken] = useState(() => loadStored(TOKEN_KEY));
  const [showToken, setShowToken] = useState(false);
  const [model, setModel] = useState(() => loadStored(MODEL_KEY));
  const [text, setText] = useState('');
  const [images, setImages] = useState<ImageAttachment[]>([]);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [tokenError, setTokenError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);
  const transcript = useRef<HTMLDivElement>(null);
  // Follow the streaming answer only while the reader is at the bottom of the transcript.
  const stickToBottom = useRef(true);
  const fileInput = useRef<HTMLInputElement>(null);
  const models = useProjectModels(token);

  useEffect(() => store(TOKEN_KEY, token.trim()), [token]);
  useEffect(() => store(MODEL_KEY, model.trim()), [model]);
  useEffect(() => () => controller.current?.abort(), []);

  const streaming = turns.some((t) => t.role === 'assistant' && t.status === 'streaming');
  const answers = turns.filter((t): t is AssistantTurn => t.role === 'assistant');
  const selected = answers.find((a) => a.id === selectedId) ?? answers[answers.length - 1];

  useEffect(() => {
    const el = transcript.current;
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
  }, [turns]);

  const updateAnswer = (answer: AssistantTurn) =>
    setTurns((all) => all.map((t) => (t.id === answer.id ? answer : t)));

  async function send(e?: FormEvent) {
    e?.preventDefault();
    if (streaming) return;
    const trimmed = token.trim();
    if (!trimmed) {
      setTokenError('Paste a project token (created in a project’s Tokens tab).');
      return;
    }
    if (!trimmed.startsWith('sk-rt-')) {
      setTokenError('Project tokens start with sk-rt-.');
      return;
    }
    setTokenError(null);
    if (!text.trim() && images.length === 0) return;
    const user: Turn = { role: 'user', id: newId('u'), text: text.trim(), images };
    const answer = newAnswer(newId('a'));
    const history = [...turns, user];
    setTurns([...history, answer]);
    setSelectedId(answer.id);
    stickToBottom.current = true;
    setText('');
    setImages([]);
    const ac = new AbortController();
    controller.current = ac;
    await streamChat({ token: trimmed, body: buildRequest(history, model), answer, signal: ac.signal, onUpdate: updateAnswer });
    if (controller.current === ac) controller.current = null;
  }

  function stop() {
    controller.current?.abort();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  }

  async function attach(files: FileList | null) {
    if (!files) return;
    const added: ImageAttachment[] = [];
    for (const file of Array.from(files)) {
      const problem = imageProblem(file);
      if (problem) {
        toast.error(problem);
        continue;
      }
      try {
        added.push(await readImage(file));
      } catch (err) {
        toast.error(err instanceof Error ? err : String(err));
      }
    }
    setImages((cur) => [...cur, ...added]);
    if (fileInput.current) fileInput.current.value = '';
  }

  function clearChat() {
    controller.current?.abort();
    setTurns([]);
    setSelectedId(null);
  }

  const traceEntries = useMemo(() => selected?.trace ?? [], [selected]);

  return (
    <div className="playground">
      <PageHeader
        title="Playground"
        actions={<button type="button" className="btn" onClick={clearChat} disabled={turns.length === 0}>New chat</button>}
      >
        Chat through the gateway with a project token and see how each request was routed.
      </PageHeader>

      <div className="pg-layout">
        <section className="card pg-chat" aria-label="Chat">
          <div className="pg-settings">
            <div className="pg-token">
              <TextField
                label="Project token"
                type={showToken ? 'text' : 'password'}
                value={token}
                autoComplete="off"
                spellCheck={false}
                placeholder="sk-rt-…"
                error={tokenError}
                hint="Kept in this browser tab only. Create one in a project's Tokens tab."
                onChange={(e) => { setToken(e.target.value); setTokenError(null); }}
              />
              <button type="button" className="btn btn-small btn-ghost pg-show" onClick={() => setShowToken((s) => !s)} aria-pressed={showToken}>
                {showToken ? 'Hide token' : 'Show token'}
              </button>
            </div>
            <TextField
              label="Model (optional)"
              value={model}
              list="pg-models"
              placeholder="auto"
              hint={<>
                {models.length > 0 && <span className="pg-model-count">{models.length} model(s) in this project. </span>}
                <span>A model chosen here is tried first, with the project’s routing as fallback; empty or “auto” lets routing choose.</span>
              </>}
              onChange={(e) => setModel(e.target.value)}
            />
            <datalist id="pg-models">
              <option value="auto" />
              {models.map((m) => <option key={m} value={m} />)}
            </datalist>
          </div>

          <div className="pg-transcript" role="log" aria-live="polite" aria-label="Transcript" ref={transcript} tabIndex={0}
            onScroll={(e) => {
              const el = e.currentTarget;
              stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
            }}>
            {turns.length === 0 && (
              <EmptyState title="No messages yet">Type a message below; the answer streams in here.</EmptyState>
            )}
            {turns.map((t) => t.role === 'user'
              ? <UserMessage key={t.id} turn={t} />
              : <AssistantMessage key={t.id} turn={t} selected={selected?.id === t.id} highlight={answers.length > 1} onSelect={() => setSelectedId(t.id)} />)}
          </div>

          <form className="pg-composer" onSubmit={(e) => void send(e)}>
            {images.length > 0 && (
              <ul className="pg-attachments" aria-label="Attached images">
                {images.map((img) => (
                  <li key={img.id} className="pg-attachment">
                    <img src={img.dataUrl} alt={img.name} className="pg-thumb" />
                    <span className="pg-attachment-name">{img.name}</span>
                    <button type="button" className="btn btn-small" aria-label={`Remove ${img.name}`}
                      onClick={() => setImages((cur) => cur.filter((x) => x.id !== img.id))}>Remove</button>
                  </li>
                ))}
              </ul>
            )}
            <TextAreaField
              label="Message"
              value={text}
              rows={3}
              placeholder="Ask something… (Enter sends, Shift+Enter for a new line)"
              onChange={(e) => setText(e.target.value)}
              onKeyDown={onKeyDown}
            />
            <div className="pg-actions">
              <label className="btn pg-attach">
                Attach image
                <input ref={fileInput} type="file" accept="image/*" multiple className="pg-file" onChange={(e) => void attach(e.target.files)} />
              </label>
              <span className="spacer" />
              {streaming
                ? <button type="button" className="btn btn-danger" onClick={stop}>Stop</button>
                : <button type="submit" className="btn btn-primary" disabled={!text.trim() && images.length === 0}>Send</button>}
            </div>
          </form>
        </section>

        <section className="card pg-debug" aria-label="Request trace">
          <div className="card-header">
            <h2>Trace</h2>
            {selected?.traceId && <code className="muted pg-trace-id" title="x-routerly-trace-id">{selected.traceId}</code>}
          </div>
          {traceEntries.length === 0
            ? (selected && selected.status !== 'streaming'
              ? <EmptyState title="No trace for this answer">The request was refused before routing started.</EmptyState>
              : <EmptyState title="No trace yet">Send a message: the router request, router response, model request and model response appear here as they happen.</EmptyState>)
            : <TraceView entries={traceEntries} />}
        </section>
      </div>
    </div>
  );
}
