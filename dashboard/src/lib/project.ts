// Small pure helpers shared by the project pages: list reordering, server field errors and
// the connection snippet.
import { fieldOfMessage } from '../api/client';
import type { Member, Project } from '../api/types';

// A copy of `list` with the item at `from` moved to `to` (clamped); same array when nothing moves.
export function moveItem<T>(list: T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length) return list;
  const target = Math.max(0, Math.min(list.length - 1, to));
  if (target === from) return list;
  const out = list.slice();
  const [item] = out.splice(from, 1);
  out.splice(target, 0, item);
  return out;
}

// The field a server message names (one parser for the whole dashboard, in the API client).
export const errorField = fieldOfMessage;

// Splits "policies[2].config.cache.ttl_seconds" into {list:'policies', index:2, rest:'config.cache.ttl_seconds'}.
export function splitIndexedField(field: string): { list: string; index: number; rest: string } | null {
  const m = /^([A-Za-z]+)\[(\d+)\](?:\.(.*))?$/.exec(field);
  return m ? { list: m[1], index: Number(m[2]), rest: m[3] ?? '' } : null;
}

// Where a routing save error belongs: a policy's config field ("windowMinutes",
// "cache.ttl_seconds", "intents", "type"), a target model, or the form as a whole.
export interface RoutingErrorTarget { list: 'policies' | 'models' | 'form'; index: number; key: string; message: string }

export function routingErrorTarget(message: string): RoutingErrorTarget {
  const field = errorField(message);
  const split = field ? splitIndexedField(field) : null;
  if (split && (split.list === 'policies' || split.list === 'models')) {
    let key = split.rest.replace(/^config\.?/, '');
    if (key.startsWith('intents')) key = 'intents';
    key = key.replace(/\[\d+\]$/, '');
    return { list: split.list, index: split.index, key: key || (split.list === 'policies' ? 'type' : 'modelId'), message };
  }
  return { list: 'form', index: -1, key: '', message };
}

export function memberRole(project: Pick<Project, 'members'> | undefined, userId: string | undefined): Member['role'] | null {
  if (!project || !userId) return null;
  return project.members?.find((m) => m.userId === userId)?.role ?? null;
}

export function parseLabels(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(',')) {
    const t = part.trim();
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

export function slugPreview(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
}

export const SLUG_RE = /^[a-z0-9-]{1,64}$/;

export function maskedToken(snippet: string | undefined): string {
  if (!snippet) return 'sk-rt-…';
  return snippet.includes('…') || snippet.includes('...') ? snippet : `${snippet}…`;
}

export function openAiSnippet(baseUrl: string, token: string): string {
  return `from openai import OpenAI

client = OpenAI(
    base_url="${baseUrl}",
    api_key="${token}",  # your project token
)
reply = client.chat.completions.create(
    model="auto",  # Routerly picks the model from the project's routing policies
    messages=[{"role": "user", "content": "Hello!"}],
)
print(reply.choices[0].message.content)`;
}

export function anthropicSnippet(baseUrl: string, token: string): string {
  const root = baseUrl.replace(/\/v1\/?$/, '');
  return `import anthropic

client = anthropic.Anthropic(
    base_url="${root}",
    api_key="${token}",  # your project token
)
message = client.messages.create(
    model="auto",
    max_tokens=1024,
    messages=[{"role": "user", "content": "Hello!"}],
)
print(message.content[0].text)`;
}

export function curlSnippet(baseUrl: string, token: string): string {
  return `curl ${baseUrl}/chat/completions \\
  -H "Authorization: Bearer ${token}" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "auto", "messages": [{"role": "user", "content": "Hello!"}]}'`;
}
