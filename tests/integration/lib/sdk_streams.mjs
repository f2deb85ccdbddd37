// Collectors for what the official SDKs yield from a stream, so tests assert on the whole.
import assert from 'node:assert/strict';

// Drains an OpenAI chat stream. Every chunk must be a chunk an SDK user can index the usual
// way (SPEC §00 P3): returns {chunks, text, toolCalls, finish, usage}.
export async function collectChat(stream, { allowUsageChunk = false } = {}) {
  const chunks = [];
  let text = '';
  let finish = null;
  let usage = null;
  const calls = new Map();
  for await (const chunk of stream) {
    chunks.push(chunk);
    assert.equal(chunk.object, 'chat.completion.chunk', `not a chunk: ${JSON.stringify(chunk)}`);
    assert.ok(Array.isArray(chunk.choices), `chunk without choices: ${JSON.stringify(chunk)}`);
    if (chunk.choices.length === 0) {
      assert.ok(allowUsageChunk, `a choices:[] chunk the client did not ask for: ${JSON.stringify(chunk)}`);
    } else {
      // What SDK users write; it must not throw on any chunk.
      const content = chunk.choices[0].delta.content;
      assert.ok(content === undefined || content === null || typeof content === 'string');
      if (content) text += content;
      const choice = chunk.choices[0];
      if (choice.finish_reason) finish = choice.finish_reason;
      for (const tc of choice.delta.tool_calls ?? []) {
        const cur = calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
        if (tc.id) cur.id = tc.id;
        if (tc.function?.name) cur.name += tc.function.name;
        if (tc.function?.arguments) cur.arguments += tc.function.arguments;
        calls.set(tc.index, cur);
      }
    }
    if (chunk.usage) usage = chunk.usage;
  }
  const toolCalls = [...calls.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  return { chunks, text, toolCalls, finish, usage };
}

// Drains a stream expecting it to fail; returns the error (fails if the stream ends normally).
export async function drainExpectingError(stream) {
  const seen = [];
  try {
    for await (const item of stream) seen.push(item);
  } catch (err) {
    return { error: err, seen };
  }
  assert.fail(`the stream ended normally after ${seen.length} items; an error was expected`);
}
