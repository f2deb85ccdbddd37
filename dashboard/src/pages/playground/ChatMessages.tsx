// One turn of the playground transcript: the user's text and images, or a streamed answer with
// the model that actually answered, its thinking (apart from the answer), figures and errors.
import type { AssistantTurn, UserTurn } from '../../lib/chat';
import { Badge } from '../../components/States';
import { formatCost, formatMs, formatNumber } from '../../lib/format';

export function UserMessage({ turn }: { turn: UserTurn }) {
  return (
    <div className="pg-msg pg-msg-user" data-testid="user-message">
      <div className="pg-msg-head"><strong>You</strong></div>
      {turn.text && <div className="pg-msg-text">{turn.text}</div>}
      {turn.images.length > 0 && (
        <div className="pg-images">
          {turn.images.map((img) => <img key={img.id} src={img.dataUrl} alt={img.name} className="pg-thumb" />)}
        </div>
      )}
    </div>
  );
}

function statusBadge(turn: AssistantTurn) {
  switch (turn.status) {
    case 'streaming': return <Badge tone="info">Streaming…</Badge>;
    case 'stopped': return <Badge tone="warning">Stopped</Badge>;
    case 'error': return <Badge tone="error">Error</Badge>;
    default: return null;
  }
}

export function AssistantMessage({ turn, selected, highlight, onSelect }: { turn: AssistantTurn; selected: boolean; highlight: boolean; onSelect: () => void }) {
  const s = turn.stats;
  const figures = [
    s?.inputTokens !== undefined && `${formatNumber(s.inputTokens)} in`,
    s?.outputTokens !== undefined && `${formatNumber(s.outputTokens)} out`,
    s?.latencyMs !== undefined && formatMs(s.latencyMs),
    s?.totalCostUsd !== undefined && formatCost(s.totalCostUsd),
    turn.finishReason === 'length' && 'cut at max tokens',
  ].filter(Boolean).join(' · ');
  return (
    <div className={`pg-msg pg-msg-assistant${selected && highlight ? ' pg-selected' : ''}`} data-testid="assistant-message" data-status={turn.status}>
      <div className="pg-msg-head">
        <strong>Assistant</strong>
        {turn.model
          ? <span className="pg-model" data-testid="answer-model" title="The model the router chose">Model: {turn.model}</span>
          : turn.status === 'streaming' && <span className="muted">routing…</span>}
        {turn.upstreamModel && turn.upstreamModel !== turn.model && (
          <span className="muted pg-upstream">upstream {turn.upstreamModel}{turn.provider ? ` (${turn.provider})` : ''}</span>
        )}
        {statusBadge(turn)}
        <span className="spacer" />
        {turn.trace.length > 0 && !selected && (
          <button type="button" className="btn btn-small btn-ghost" onClick={onSelect}>Show trace</button>
        )}
      </div>
      {turn.reasoning && (
        <details className="pg-thinking" open={turn.status === 'streaming' && !turn.content}>
          <summary>Thinking</summary>
          <div className="pg-msg-text" data-testid="answer-thinking">{turn.reasoning}</div>
        </details>
      )}
      {(turn.content || turn.status === 'streaming') && (
        <div className="pg-msg-text" data-testid="answer-content" aria-busy={turn.status === 'streaming'}>
          {turn.content}
          {turn.status === 'streaming' && <span className="pg-cursor" aria-hidden="true">▍</span>}
        </div>
      )}
      {turn.error && (
        <div className="form-error pg-error" role="alert" data-testid="answer-error">
          {turn.error.status ? <strong>{turn.error.status}{turn.error.code ? ` ${turn.error.code}` : ''}: </strong>
            : turn.error.code ? <strong>{turn.error.code}: </strong> : null}
          {turn.error.message}
        </div>
      )}
      {(figures || turn.traceId) && (
        <div className="pg-meta muted">
          {figures}
          {figures && turn.traceId && ' · '}
          {turn.traceId && <>trace <code data-testid="answer-trace-id">{turn.traceId}</code></>}
        </div>
      )}
    </div>
  );
}
