// The deterministic answer to a request, independent of wire format: either text
// (split into word pieces for streaming) or one call to a tool.
import { countChars } from './text.mjs';
import { stripMarkers } from './faults.mjs';

export const kToolArguments = '{"city":"Paris"}';
// Streamed argument fragments; they concatenate to kToolArguments.
const kToolArgumentPieces = ['{"ci', 'ty":"Pa', 'ris"}'];
const kEchoLimit = 40;

function echo(text) {
  const t = stripMarkers(text).replace(/\s+/g, ' ').trim();
  if (countChars(t) <= kEchoLimit) return t;
  return Array.from(t).slice(0, kEchoLimit).join('').trim();
}

function chooseTool(summary, faults) {
  if (summary.toolResult !== undefined || summary.toolNames.length === 0) return undefined;
  const choice = summary.toolChoice;
  if (choice === 'none') return undefined;
  if (typeof choice === 'object') return choice.name;
  if (choice === 'required' || faults.tool || /\bweather\b/i.test(summary.lastUserText)) return summary.toolNames[0];
  return undefined;
}

export function replyText(summary, model) {
  if (summary.toolResult !== undefined) return `Hello from mock ${model}: the tool returned ${echo(summary.toolResult)}`;
  const said = echo(summary.lastUserText);
  return said === '' ? `Hello from mock ${model}` : `Hello from mock ${model}: ${said}`;
}

// The `route` fault: answer like a routing model (Routerly's llm policy). The candidates are
// the `- id: "<id>"` lines of the system text; the last listed scores 0.9, each earlier one
// 0.1 less (floor 0.1), so a routed request visibly moves away from the configured order.
// One word (no spaces), so a small max_tokens does not cut it.
export function routingAnswer(systemText) {
  const ids = [...systemText.matchAll(/^\s*- id: "([^"]*)"/gm)].map((m) => m[1]);
  const routing = ids.map((id, i) => ({ model: id, point: Math.max(0.1, Math.round((0.9 - 0.1 * (ids.length - 1 - i)) * 10) / 10) }));
  return JSON.stringify({ routing });
}

export function makePlan(summary, model, faults) {
  const base = {
    model,
    inputTokens: Math.ceil(summary.chars / 4),
    cachedTokens: faults.cached ?? 0,
    cacheWriteTokens: faults.cache_write ?? 0,
    withUsage: !faults.no_usage,
  };
  const toolName = chooseTool(summary, faults);
  if (toolName !== undefined) {
    return {
      ...base,
      kind: 'tool',
      toolName,
      toolArguments: kToolArguments,
      argumentPieces: kToolArgumentPieces,
      outputTokens: Math.ceil(kToolArguments.length / 4),
      finish: 'tool',
    };
  }
  const text = faults.route ? routingAnswer(summary.systemText) : replyText(summary, model);
  let pieces = text.match(/\s*\S+/g) ?? [];
  let finish = 'stop';
  if (summary.maxTokens !== undefined && pieces.length > summary.maxTokens) {
    pieces = pieces.slice(0, summary.maxTokens);
    finish = 'length';
  }
  return { ...base, kind: 'text', text: pieces.join(''), pieces, outputTokens: pieces.length, finish };
}
