// What the mock reads out of a request, per wire format: the text that counts as input,
// the last user text (echoed back and scanned for fault markers and the word "weather"),
// a trailing tool result, the declared tools and the output-token cap.
//
// Input text = system/instructions text + every message's text parts + tool-result
// contents + tool-call arguments (OpenAI: the `arguments` string; Anthropic: the
// compact JSON of `input`). Images and other non-text parts count zero.

export function countChars(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--; // a surrogate pair is one character
  }
  return n;
}

const kTextPart = new Set(['text', 'input_text', 'output_text']);

function partsChars(content) {
  if (typeof content === 'string') return countChars(content);
  if (!Array.isArray(content)) return 0;
  let n = 0;
  for (const p of content) if (p && kTextPart.has(p.type) && typeof p.text === 'string') n += countChars(p.text);
  return n;
}

function partsText(content) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts = [];
  for (const p of content) if (p && kTextPart.has(p.type) && typeof p.text === 'string') texts.push(p.text);
  return texts.join(' ');
}

function newSummary() {
  return { chars: 0, systemText: '', lastUserText: '', toolResult: undefined, toolNames: [], toolChoice: 'auto', maxTokens: undefined };
}

function positiveInt(v) {
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

// OpenAI chat completions (also Gemini's and Ollama's OpenAI-compatible surfaces).
export function summarizeChat(body) {
  const s = newSummary();
  for (const m of body.messages) {
    if (!m || typeof m !== 'object') continue;
    s.chars += partsChars(m.content);
    if (Array.isArray(m.tool_calls)) {
      for (const c of m.tool_calls) {
        if (typeof c?.function?.arguments === 'string') s.chars += countChars(c.function.arguments);
      }
    }
    if (m.role === 'user') s.lastUserText = partsText(m.content);
    if (m.role === 'system' || m.role === 'developer') s.systemText += partsText(m.content);
  }
  const last = body.messages.at(-1);
  if (last?.role === 'tool' || last?.role === 'function') s.toolResult = partsText(last.content);
  if (Array.isArray(body.tools)) {
    for (const t of body.tools) {
      const name = t?.function?.name ?? t?.name;
      if (typeof name === 'string') s.toolNames.push(name);
    }
  }
  const choice = body.tool_choice;
  if (choice === 'none' || choice === 'required') s.toolChoice = choice;
  else if (typeof choice?.function?.name === 'string') s.toolChoice = { name: choice.function.name };
  s.maxTokens = positiveInt(body.max_completion_tokens) ?? positiveInt(body.max_tokens);
  return s;
}

function anthropicBlockChars(block) {
  if (!block || typeof block !== 'object') return 0;
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? countChars(block.text) : 0;
    case 'tool_use':
      return countChars(JSON.stringify(block.input ?? {}));
    case 'tool_result':
      return partsChars(block.content);
    default:
      return 0;
  }
}

// Anthropic Messages (also count_tokens).
export function summarizeAnthropic(body) {
  const s = newSummary();
  s.chars += partsChars(body.system);
  s.systemText = partsText(body.system);
  for (const m of body.messages) {
    if (!m || typeof m !== 'object') continue;
    if (typeof m.content === 'string') s.chars += countChars(m.content);
    else if (Array.isArray(m.content)) for (const b of m.content) s.chars += anthropicBlockChars(b);
    if (m.role === 'user') {
      const text = partsText(m.content);
      if (text !== '') s.lastUserText = text;
    }
  }
  const last = body.messages.at(-1);
  if (last?.role === 'user' && Array.isArray(last.content)) {
    const results = last.content.filter((b) => b?.type === 'tool_result');
    if (results.length > 0) s.toolResult = partsText(results.at(-1).content);
  }
  if (Array.isArray(body.tools)) for (const t of body.tools) if (typeof t?.name === 'string') s.toolNames.push(t.name);
  const choice = body.tool_choice;
  if (choice?.type === 'none') s.toolChoice = 'none';
  else if (choice?.type === 'any') s.toolChoice = 'required';
  else if (choice?.type === 'tool' && typeof choice.name === 'string') s.toolChoice = { name: choice.name };
  s.maxTokens = positiveInt(body.max_tokens);
  return s;
}

// OpenAI Responses.
export function summarizeResponses(body) {
  const s = newSummary();
  if (typeof body.instructions === 'string') {
    s.chars += countChars(body.instructions);
    s.systemText = body.instructions;
  }
  const input = body.input;
  if (typeof input === 'string') {
    s.chars += countChars(input);
    s.lastUserText = input;
  } else if (Array.isArray(input)) {
    for (const item of input) {
      if (!item || typeof item !== 'object') continue;
      if (item.type === 'function_call_output') {
        s.chars += partsChars(item.output);
      } else if (item.type === 'function_call') {
        if (typeof item.arguments === 'string') s.chars += countChars(item.arguments);
      } else if (typeof item.role === 'string') {
        s.chars += partsChars(item.content);
        if (item.role === 'user') s.lastUserText = partsText(item.content);
      }
    }
    const last = input.at(-1);
    if (last?.type === 'function_call_output') s.toolResult = partsText(last.output);
  }
  if (Array.isArray(body.tools)) {
    for (const t of body.tools) if (t?.type === 'function' && typeof t.name === 'string') s.toolNames.push(t.name);
  }
  const choice = body.tool_choice;
  if (choice === 'none' || choice === 'required') s.toolChoice = choice;
  else if (choice?.type === 'function' && typeof choice.name === 'string') s.toolChoice = { name: choice.name };
  s.maxTokens = positiveInt(body.max_output_tokens);
  return s;
}
