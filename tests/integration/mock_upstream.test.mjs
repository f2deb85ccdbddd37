// The mock upstream (tools/mock-upstream): wire shapes of every surface, exact token
// counts, tool-call behaviour, every fault, auth errors, introspection and shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.ROUTERLY_SOURCE_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serverPath = path.join(root, 'tools/mock-upstream/server.mjs');
const kTimeout = { timeout: 10_000 };

const OA = { authorization: 'Bearer sk-test-openai-0123456789', 'content-type': 'application/json' };
const AN = { 'x-api-key': 'sk-ant-test-0123456789', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
const WEATHER_TOOL_OA = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
const WEATHER_TOOL_AN = { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } };

let proc;
let base;
let stdoutText = '';

before(async () => {
  proc = spawn(process.execPath, [serverPath, '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('mock upstream did not print its port within 10 s')), 10_000);
    proc.stdout.on('data', (d) => {
      stdoutText += d;
      const nl = stdoutText.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(stdoutText.slice(0, nl)).port);
      }
    });
    proc.on('exit', (code) => reject(new Error(`mock upstream exited early with ${code}`)));
  });
  base = `http://127.0.0.1:${port}`;
});

after(() => {
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
});

function post(p, body, headers = OA) {
  return fetch(base + p, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(8000),
  });
}

async function postJson(p, body, headers = OA) {
  const r = await post(p, body, headers);
  return { status: r.status, headers: r.headers, body: await r.json() };
}

function parseSse(text) {
  const events = [];
  for (const block of text.split('\n\n')) {
    if (block === '') continue;
    const ev = { event: undefined, data: undefined };
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) ev.event = line.slice(7);
      else if (line.startsWith('data: ')) ev.data = line.slice(6);
      else assert.fail(`unexpected SSE line: ${JSON.stringify(line)}`);
    }
    events.push(ev);
  }
  return events;
}

async function postSse(p, body, headers = OA) {
  const r = await post(p, body, headers);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/event-stream/);
  const text = await r.text();
  assert.ok(text.endsWith('\n\n'), 'SSE body ends with a blank line');
  return { text, events: parseSse(text) };
}

// Reads a streamed body until the server ends or drops it.
async function readUntilClose(r) {
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let error = null;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch (e) {
    error = e;
  }
  return { text, error };
}

const chatBody = (content, extra = {}) => ({ model: 'gpt-4o', messages: [{ role: 'user', content }], ...extra });
const anBody = (content, extra = {}) => ({ model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content }], ...extra });
const chatChunks = (events) => events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data));

// ---------------------------------------------------------------- OpenAI chat

test('chat completion (non-stream): shape, deterministic text, exact token counts', kTimeout, async () => {
  const before = Math.floor(Date.now() / 1000);
  const { status, headers, body } = await postJson('/v1/chat/completions', {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'You are terse.' }, // 14 chars
      { role: 'user', content: 'What is the capital of France?' }, // 30 chars
    ],
  });
  assert.equal(status, 200);
  assert.match(headers.get('content-type'), /^application\/json/);
  assert.match(headers.get('x-request-id'), /^req_[0-9a-f]{32}$/);
  assert.match(body.id, /^chatcmpl-[A-Za-z0-9]{29}$/);
  assert.equal(body.object, 'chat.completion');
  assert.ok(Number.isInteger(body.created) && body.created >= before && body.created <= before + 5);
  assert.equal(body.model, 'gpt-4o');
  assert.equal(body.choices.length, 1);
  assert.equal(body.choices[0].index, 0);
  assert.equal(body.choices[0].finish_reason, 'stop');
  assert.equal(body.choices[0].message.role, 'assistant');
  assert.equal(body.choices[0].message.content, 'Hello from mock gpt-4o: What is the capital of France?');
  assert.equal(body.usage.prompt_tokens, 11); // ceil(44 / 4)
  assert.equal(body.usage.completion_tokens, 10); // words of the reply
  assert.equal(body.usage.total_tokens, 21);
  assert.equal(body.usage.prompt_tokens_details.cached_tokens, 0);
});

test('chat: long user text is echoed truncated to 40 chars; unicode counts code points', kTimeout, async () => {
  const long = await postJson('/v1/chat/completions', chatBody('The quick brown fox jumps over the lazy dog again and again'));
  assert.equal(long.body.choices[0].message.content, 'Hello from mock gpt-4o: The quick brown fox jumps over the lazy');
  assert.equal(long.body.usage.prompt_tokens, 15); // 59 chars
  const emoji = await postJson('/v1/chat/completions', chatBody([{ type: 'text', text: '😀😀😀😀😀' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }]));
  assert.equal(emoji.body.usage.prompt_tokens, 2); // 5 characters, the image counts 0
});

test('chat stream without include_usage: framing, deltas, finish, no usage', kTimeout, async () => {
  const { text, events } = await postSse('/v1/chat/completions', chatBody('Say hello', { stream: true }));
  assert.ok(text.endsWith('data: [DONE]\n\n'));
  assert.ok(events.every((e) => e.event === undefined && e.data !== undefined), 'only data: lines');
  const chunks = chatChunks(events);
  assert.equal(events.length, chunks.length + 1);
  const id = chunks[0].id;
  assert.match(id, /^chatcmpl-/);
  for (const c of chunks) {
    assert.equal(c.object, 'chat.completion.chunk');
    assert.equal(c.id, id);
    assert.equal(c.model, 'gpt-4o');
    assert.ok(Number.isInteger(c.created));
    assert.equal(c.choices.length, 1);
    assert.equal('usage' in c, false);
  }
  assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '', refusal: null });
  const contentDeltas = chunks.slice(1, -1).map((c) => c.choices[0].delta.content);
  assert.ok(contentDeltas.length >= 3, 'several deltas');
  assert.equal(contentDeltas.join(''), 'Hello from mock gpt-4o: Say hello');
  assert.deepEqual(chunks.at(-1).choices[0].delta, {});
  assert.equal(chunks.at(-1).choices[0].finish_reason, 'stop');
  assert.ok(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null));
});

test('chat stream with include_usage: usage null on chunks, final choices:[] usage chunk', kTimeout, async () => {
  const { events } = await postSse('/v1/chat/completions', chatBody('Say hello', { stream: true, stream_options: { include_usage: true } }));
  const chunks = chatChunks(events);
  const last = chunks.at(-1);
  assert.deepEqual(last.choices, []);
  assert.deepEqual(
    { prompt: last.usage.prompt_tokens, completion: last.usage.completion_tokens, total: last.usage.total_tokens },
    { prompt: 3, completion: 6, total: 9 },
  );
  assert.ok(chunks.slice(0, -1).every((c) => c.usage === null && c.choices.length === 1));
  assert.equal(chunks.at(-2).choices[0].finish_reason, 'stop');
});

test('chat: max_tokens truncates the reply with finish_reason length', kTimeout, async () => {
  const { body } = await postJson('/v1/chat/completions', chatBody('Say hello', { max_tokens: 3 }));
  assert.equal(body.choices[0].message.content, 'Hello from mock');
  assert.equal(body.choices[0].finish_reason, 'length');
  assert.equal(body.usage.completion_tokens, 3);
  const stream = await postSse('/v1/chat/completions', chatBody('Say hello', { stream: true, max_completion_tokens: 2 }));
  assert.equal(chatChunks(stream.events).at(-1).choices[0].finish_reason, 'length');
});

test('Gemini OpenAI-compatible path serves chat and models', kTimeout, async () => {
  const { status, body } = await postJson('/v1beta/openai/chat/completions', { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }] });
  assert.equal(status, 200);
  assert.equal(body.choices[0].message.content, 'Hello from mock gemini-2.5-flash: Hi');
  const { events } = await postSse('/v1beta/openai/chat/completions', { model: 'gemini-2.5-flash', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
  assert.equal(events.at(-1).data, '[DONE]');
  const models = await fetch(base + '/v1beta/openai/models', { headers: OA });
  assert.equal((await models.json()).object, 'list');
});

test('chat tools: "weather" triggers a tool call (non-stream and stream)', kTimeout, async () => {
  const req = chatBody('What is the weather in Paris?', { tools: [WEATHER_TOOL_OA] });
  const { body } = await postJson('/v1/chat/completions', req);
  const msg = body.choices[0].message;
  assert.equal(body.choices[0].finish_reason, 'tool_calls');
  assert.equal(msg.content, null);
  assert.equal(msg.tool_calls.length, 1);
  assert.match(msg.tool_calls[0].id, /^call_/);
  assert.equal(msg.tool_calls[0].type, 'function');
  assert.equal(msg.tool_calls[0].function.name, 'get_weather');
  assert.deepEqual(JSON.parse(msg.tool_calls[0].function.arguments), { city: 'Paris' });
  assert.equal(body.usage.completion_tokens, 4); // ceil(len('{"city":"Paris"}') / 4)

  const { events } = await postSse('/v1/chat/completions', { ...req, stream: true });
  const chunks = chatChunks(events);
  const first = chunks[0].choices[0].delta.tool_calls[0];
  assert.equal(first.function.name, 'get_weather');
  assert.match(first.id, /^call_/);
  const argDeltas = chunks.slice(1).flatMap((c) => c.choices[0].delta.tool_calls ?? []).map((t) => t.function.arguments);
  assert.ok(argDeltas.length >= 2, 'arguments split over several deltas');
  assert.equal(first.function.arguments + argDeltas.join(''), '{"city":"Paris"}');
  assert.equal(chunks.at(-1).choices[0].finish_reason, 'tool_calls');
});

test('chat tools: no call without "weather", with tool_choice none; forced by tool_choice or fault', kTimeout, async () => {
  const plain = await postJson('/v1/chat/completions', chatBody('Tell me a joke', { tools: [WEATHER_TOOL_OA] }));
  assert.equal(plain.body.choices[0].finish_reason, 'stop');
  const none = await postJson('/v1/chat/completions', chatBody('weather?', { tools: [WEATHER_TOOL_OA], tool_choice: 'none' }));
  assert.equal(none.body.choices[0].finish_reason, 'stop');
  const second = { type: 'function', function: { name: 'get_time', parameters: {} } };
  const named = await postJson('/v1/chat/completions', chatBody('Hi', { tools: [WEATHER_TOOL_OA, second], tool_choice: { type: 'function', function: { name: 'get_time' } } }));
  assert.equal(named.body.choices[0].message.tool_calls[0].function.name, 'get_time');
  const forced = await postJson('/v1/chat/completions', chatBody('Hi', { tools: [WEATHER_TOOL_OA] }), { ...OA, 'x-mock-fault': 'tool' });
  assert.equal(forced.body.choices[0].finish_reason, 'tool_calls');
  const noTools = await postJson('/v1/chat/completions', chatBody('weather?'));
  assert.equal(noTools.body.choices[0].finish_reason, 'stop');
});

test('chat tools: a trailing tool result yields text mentioning it; counts include arguments', kTimeout, async () => {
  const { body } = await postJson('/v1/chat/completions', {
    model: 'gpt-4o',
    tools: [WEATHER_TOOL_OA],
    messages: [
      { role: 'user', content: 'What is the weather in Paris?' }, // 29
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }, // 16
      { role: 'tool', tool_call_id: 'call_1', content: 'Sunny, 22 C' }, // 11
    ],
  });
  assert.equal(body.choices[0].finish_reason, 'stop');
  assert.equal(body.choices[0].message.content, 'Hello from mock gpt-4o: the tool returned Sunny, 22 C');
  assert.equal(body.usage.prompt_tokens, 14); // ceil(56 / 4)
  assert.equal(body.usage.completion_tokens, 10);
});

// ---------------------------------------------------------------- OpenAI responses

test('responses (non-stream): response object, output message, usage', kTimeout, async () => {
  const { status, body } = await postJson('/v1/responses', {
    model: 'gpt-4o',
    instructions: 'Be brief.', // 9
    input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hello there' }] }], // 11
  });
  assert.equal(status, 200);
  assert.match(body.id, /^resp_[0-9a-f]{48}$/);
  assert.equal(body.object, 'response');
  assert.equal(body.status, 'completed');
  assert.ok(Number.isInteger(body.created_at));
  assert.equal(body.model, 'gpt-4o');
  assert.equal(body.instructions, 'Be brief.');
  assert.equal(body.output.length, 1);
  const item = body.output[0];
  assert.equal(item.type, 'message');
  assert.match(item.id, /^msg_/);
  assert.equal(item.role, 'assistant');
  assert.equal(item.status, 'completed');
  assert.equal(item.content[0].type, 'output_text');
  assert.equal(item.content[0].text, 'Hello from mock gpt-4o: Hello there');
  assert.deepEqual(body.usage, {
    input_tokens: 5,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 6,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 11,
  });
});

test('responses stream: typed events in order with sequence numbers', kTimeout, async () => {
  const { events } = await postSse('/v1/responses', { model: 'gpt-4o', input: 'Hello there', stream: true });
  const datas = events.map((e) => JSON.parse(e.data));
  events.forEach((e, i) => {
    assert.equal(e.event, datas[i].type, 'event: line names the data type');
    assert.equal(datas[i].sequence_number, i);
  });
  const deltas = datas.filter((d) => d.type === 'response.output_text.delta');
  assert.deepEqual(
    datas.map((d) => d.type),
    [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...deltas.map(() => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ],
  );
  assert.ok(deltas.length >= 3);
  assert.equal(deltas.map((d) => d.delta).join(''), 'Hello from mock gpt-4o: Hello there');
  assert.equal(datas[0].response.status, 'in_progress');
  const done = datas.at(-1).response;
  assert.equal(done.id, datas[0].response.id);
  assert.equal(done.status, 'completed');
  assert.equal(done.output[0].content[0].text, 'Hello from mock gpt-4o: Hello there');
  assert.equal(done.usage.input_tokens, 3);
  assert.equal(done.usage.output_tokens, 6);
  assert.ok(deltas.every((d) => d.item_id === done.output[0].id));
});

test('responses tools: function_call item, argument deltas, tool output answered', kTimeout, async () => {
  const tools = [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: {} } }];
  const { body } = await postJson('/v1/responses', { model: 'gpt-4o', input: 'weather in Paris?', tools });
  const call = body.output[0];
  assert.equal(call.type, 'function_call');
  assert.match(call.id, /^fc_/);
  assert.match(call.call_id, /^call_/);
  assert.equal(call.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.arguments), { city: 'Paris' });

  const { events } = await postSse('/v1/responses', { model: 'gpt-4o', input: 'weather in Paris?', tools, stream: true });
  const datas = events.map((e) => JSON.parse(e.data));
  const argDeltas = datas.filter((d) => d.type === 'response.function_call_arguments.delta');
  assert.ok(argDeltas.length >= 2);
  assert.equal(argDeltas.map((d) => d.delta).join(''), '{"city":"Paris"}');
  assert.equal(datas.find((d) => d.type === 'response.function_call_arguments.done').arguments, '{"city":"Paris"}');
  assert.equal(datas.at(-1).type, 'response.completed');

  const answered = await postJson('/v1/responses', {
    model: 'gpt-4o',
    tools,
    input: [
      { role: 'user', content: 'weather in Paris?' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'Sunny, 22 C' },
    ],
  });
  assert.equal(answered.body.output[0].type, 'message');
  assert.equal(answered.body.output[0].content[0].text, 'Hello from mock gpt-4o: the tool returned Sunny, 22 C');
  assert.equal(answered.body.usage.input_tokens, 11); // ceil((17 + 16 + 11) / 4)
});

test('responses: max_output_tokens makes the response incomplete', kTimeout, async () => {
  const { body } = await postJson('/v1/responses', { model: 'gpt-4o', input: 'Hello there', max_output_tokens: 2 });
  assert.equal(body.status, 'incomplete');
  assert.deepEqual(body.incomplete_details, { reason: 'max_output_tokens' });
  assert.equal(body.output[0].content[0].text, 'Hello from');
  const { events } = await postSse('/v1/responses', { model: 'gpt-4o', input: 'Hello there', max_output_tokens: 2, stream: true });
  assert.equal(events.at(-1).event, 'response.incomplete');
});

// ---------------------------------------------------------------- embeddings, models

test('embeddings: deterministic unit vectors, dimensions, batches, base64, usage', kTimeout, async () => {
  const a1 = await postJson('/v1/embeddings', { model: 'text-embedding-3-small', input: 'abcdefgh' });
  const a2 = await postJson('/v1/embeddings', { model: 'text-embedding-3-small', input: 'abcdefgh' });
  const b = await postJson('/v1/embeddings', { model: 'text-embedding-3-small', input: 'something else' });
  assert.equal(a1.body.object, 'list');
  assert.equal(a1.body.model, 'text-embedding-3-small');
  assert.equal(a1.body.data[0].object, 'embedding');
  const v = a1.body.data[0].embedding;
  assert.equal(v.length, 64);
  assert.deepEqual(v, a2.body.data[0].embedding);
  assert.notDeepEqual(v, b.body.data[0].embedding);
  assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-5, 'unit length');
  assert.deepEqual(a1.body.usage, { prompt_tokens: 2, total_tokens: 2 });

  const batch = await postJson('/v1/embeddings', { model: 'e', input: ['abcdefgh', 'xyz'], dimensions: 16 });
  assert.deepEqual(batch.body.data.map((d) => [d.index, d.embedding.length]), [[0, 16], [1, 16]]);
  assert.ok(batch.body.data.every((d) => Math.abs(Math.hypot(...d.embedding) - 1) < 1e-5));
  assert.equal(batch.body.usage.prompt_tokens, 3); // ceil(11 / 4)

  const tokens = await postJson('/v1/embeddings', { model: 'e', input: [1, 2, 3, 4, 5] });
  assert.equal(tokens.body.usage.prompt_tokens, 5);

  const b64 = await postJson('/v1/embeddings', { model: 'e', input: 'abcdefgh', encoding_format: 'base64' });
  const buf = Buffer.from(b64.body.data[0].embedding, 'base64');
  const decoded = Array.from({ length: buf.length / 4 }, (_, i) => buf.readFloatLE(i * 4));
  assert.deepEqual(decoded, v);

  const bad = await postJson('/v1/embeddings', { model: 'e', input: { text: 'no' } });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /input/);
});

test('models: OpenAI list, single model, Anthropic list format', kTimeout, async () => {
  const list = await (await fetch(base + '/v1/models', { headers: OA })).json();
  assert.equal(list.object, 'list');
  assert.ok(list.data.some((m) => m.id === 'gpt-4o' && m.object === 'model' && Number.isInteger(m.created) && m.owned_by));
  const one = await (await fetch(base + '/v1/models/gpt-4o', { headers: OA })).json();
  assert.equal(one.id, 'gpt-4o');
  const missing = await fetch(base + '/v1/models/nope', { headers: OA });
  assert.equal(missing.status, 404);
  const an = await (await fetch(base + '/v1/models', { headers: AN })).json();
  assert.equal(an.has_more, false);
  assert.ok(an.data.every((m) => m.type === 'model' && typeof m.display_name === 'string' && typeof m.created_at === 'string'));
  assert.equal(an.first_id, an.data[0].id);
});

// ---------------------------------------------------------------- Anthropic

test('anthropic messages (non-stream): message, usage with cache fields', kTimeout, async () => {
  const { status, headers, body } = await postJson(
    '/v1/messages',
    {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      system: [{ type: 'text', text: 'Be brief.' }], // 9
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }], // 11
    },
    AN,
  );
  assert.equal(status, 200);
  assert.match(headers.get('request-id'), /^req_/);
  assert.match(body.id, /^msg_01[A-Za-z0-9]{22}$/);
  assert.equal(body.type, 'message');
  assert.equal(body.role, 'assistant');
  assert.equal(body.model, 'claude-sonnet-4-5');
  assert.deepEqual(body.content, [{ type: 'text', text: 'Hello from mock claude-sonnet-4-5: Hello there' }]);
  assert.equal(body.stop_reason, 'end_turn');
  assert.equal(body.stop_sequence, null);
  assert.equal(body.usage.input_tokens, 5);
  assert.equal(body.usage.output_tokens, 6);
  assert.equal(body.usage.cache_read_input_tokens, 0);
  assert.equal(body.usage.cache_creation_input_tokens, 0);
});

test('anthropic stream: event sequence, text deltas, usage in message_start/message_delta', kTimeout, async () => {
  const { events } = await postSse('/v1/messages', anBody('Hello there', { stream: true }), AN);
  const datas = events.map((e) => JSON.parse(e.data));
  events.forEach((e, i) => assert.equal(e.event, datas[i].type));
  const deltas = datas.filter((d) => d.type === 'content_block_delta');
  assert.deepEqual(datas.map((d) => d.type), [
    'message_start',
    'content_block_start',
    'ping',
    ...deltas.map(() => 'content_block_delta'),
    'content_block_stop',
    'message_delta',
    'message_stop',
  ]);
  const start = datas[0].message;
  assert.match(start.id, /^msg_/);
  assert.deepEqual(start.content, []);
  assert.equal(start.usage.input_tokens, 3);
  assert.deepEqual(datas[1], { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  assert.ok(deltas.length >= 3 && deltas.every((d) => d.index === 0 && d.delta.type === 'text_delta'));
  assert.equal(deltas.map((d) => d.delta.text).join(''), 'Hello from mock claude-sonnet-4-5: Hello there');
  const md = datas.at(-2);
  assert.equal(md.delta.stop_reason, 'end_turn');
  assert.equal(md.usage.output_tokens, 6);
});

test('anthropic tools: tool_use block, input_json_delta split, tool_result answered', kTimeout, async () => {
  const req = anBody('What is the weather in Paris?', { tools: [WEATHER_TOOL_AN] });
  const { body } = await postJson('/v1/messages', req, AN);
  assert.equal(body.stop_reason, 'tool_use');
  assert.equal(body.content[0].type, 'tool_use');
  assert.match(body.content[0].id, /^toolu_/);
  assert.equal(body.content[0].name, 'get_weather');
  assert.deepEqual(body.content[0].input, { city: 'Paris' });

  const { events } = await postSse('/v1/messages', { ...req, stream: true }, AN);
  const datas = events.map((e) => JSON.parse(e.data));
  assert.equal(datas[1].content_block.type, 'tool_use');
  assert.deepEqual(datas[1].content_block.input, {});
  const parts = datas.filter((d) => d.type === 'content_block_delta').map((d) => {
    assert.equal(d.delta.type, 'input_json_delta');
    return d.delta.partial_json;
  });
  assert.ok(parts.length >= 2);
  assert.deepEqual(JSON.parse(parts.join('')), { city: 'Paris' });
  assert.equal(datas.find((d) => d.type === 'message_delta').delta.stop_reason, 'tool_use');

  const answered = await postJson(
    '/v1/messages',
    {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      system: 'Be brief.', // 9
      tools: [WEATHER_TOOL_AN],
      messages: [
        { role: 'user', content: 'What is the weather in Paris?' }, // 29
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] }, // 16
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny, 22 C' }] }, // 11
      ],
    },
    AN,
  );
  assert.equal(answered.body.stop_reason, 'end_turn');
  assert.equal(answered.body.content[0].text, 'Hello from mock claude-sonnet-4-5: the tool returned Sunny, 22 C');
  assert.equal(answered.body.usage.input_tokens, 17); // ceil(65 / 4)

  const chosen = await postJson('/v1/messages', anBody('Hi', { tools: [WEATHER_TOOL_AN, { name: 'other', input_schema: {} }], tool_choice: { type: 'tool', name: 'other' } }), AN);
  assert.equal(chosen.body.content[0].name, 'other');
});

test('anthropic: max_tokens stop, count_tokens, validation errors', kTimeout, async () => {
  const short = await postJson('/v1/messages', anBody('Hello there', { max_tokens: 2 }), AN);
  assert.equal(short.body.stop_reason, 'max_tokens');
  assert.equal(short.body.content[0].text, 'Hello from');

  const count = await postJson('/v1/messages/count_tokens', { model: 'claude-sonnet-4-5', system: 'Be brief.', messages: [{ role: 'user', content: 'Hello there' }] }, AN);
  assert.equal(count.status, 200);
  assert.deepEqual(count.body, { input_tokens: 5 });

  const noMax = await postJson('/v1/messages', { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] }, AN);
  assert.equal(noMax.status, 400);
  assert.equal(noMax.body.type, 'error');
  assert.equal(noMax.body.error.type, 'invalid_request_error');
  assert.match(noMax.body.error.message, /max_tokens/);
  const systemRole = await postJson('/v1/messages', anBody('Hi', { messages: [{ role: 'system', content: 'x' }] }), AN);
  assert.equal(systemRole.status, 400);
  assert.match(systemRole.body.error.message, /messages\.0\.role/);
  const badJson = await postJson('/v1/messages', '{"model":', AN);
  assert.equal(badJson.status, 400);
  assert.equal(badJson.body.error.type, 'invalid_request_error');
});

// ---------------------------------------------------------------- auth and routing errors

test('auth: OpenAI routes need a Bearer key, Anthropic routes x-api-key and anthropic-version', kTimeout, async () => {
  for (const p of ['/v1/chat/completions', '/v1/responses', '/v1/embeddings']) {
    const r = await postJson(p, { model: 'gpt-4o', messages: [], input: 'x' }, { 'content-type': 'application/json' });
    assert.equal(r.status, 401, p);
    assert.equal(r.body.error.type, 'invalid_request_error');
    assert.equal(r.body.error.code, 'invalid_api_key');
    assert.equal(typeof r.body.error.message, 'string');
  }
  const empty = await postJson('/v1/chat/completions', chatBody('x'), { authorization: 'Bearer ', 'content-type': 'application/json' });
  assert.equal(empty.status, 401);
  const models = await fetch(base + '/v1/models');
  assert.equal(models.status, 401);

  const noKey = await postJson('/v1/messages', anBody('x'), { 'anthropic-version': '2023-06-01', 'content-type': 'application/json' });
  assert.equal(noKey.status, 401);
  assert.deepEqual(Object.keys(noKey.body).sort(), ['error', 'request_id', 'type']);
  assert.equal(noKey.body.type, 'error');
  assert.equal(noKey.body.error.type, 'authentication_error');
  const noVersion = await postJson('/v1/messages', anBody('x'), { 'x-api-key': 'k', 'content-type': 'application/json' });
  assert.equal(noVersion.status, 400);
  assert.equal(noVersion.body.error.type, 'invalid_request_error');
  assert.match(noVersion.body.error.message, /anthropic-version/);
  const bearer = await postJson('/v1/messages', anBody('x'), { authorization: 'Bearer oauth-token', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' });
  assert.equal(bearer.status, 200);
});

test('bad requests: invalid JSON, missing fields, unknown route', kTimeout, async () => {
  const bad = await postJson('/v1/chat/completions', 'not json');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.type, 'invalid_request_error');
  const noMessages = await postJson('/v1/chat/completions', { model: 'gpt-4o' });
  assert.equal(noMessages.status, 400);
  assert.match(noMessages.body.error.message, /messages/);
  const noModel = await postJson('/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] });
  assert.match(noModel.body.error.message, /model/);
  const unknown = await postJson('/v1/nothing-here', {});
  assert.equal(unknown.status, 404);
  assert.equal(typeof unknown.body.error.message, 'string');
});

// ---------------------------------------------------------------- faults

test('fault status: header, message marker and model suffix, in each provider format', kTimeout, async () => {
  const header = await postJson('/v1/chat/completions', chatBody('x'), { ...OA, 'x-mock-fault': 'status=503' });
  assert.equal(header.status, 503);
  assert.equal(header.body.error.type, 'server_error');

  const marker = await postJson('/v1/messages', anBody('Hi [[mock:status=529]]'), AN);
  assert.equal(marker.status, 529);
  assert.equal(marker.body.type, 'error');
  assert.equal(marker.body.error.type, 'overloaded_error');

  const suffix = await postJson('/v1/chat/completions', { ...chatBody('x'), model: 'gpt-4o-fail429-retry1' });
  assert.equal(suffix.status, 429);
  assert.equal(suffix.headers.get('retry-after'), '1');
  assert.equal(suffix.body.error.code, 'rate_limit_exceeded');

  const anSuffix = await postJson('/v1/messages', { ...anBody('x'), model: 'claude-sonnet-4-5-fail500' }, AN);
  assert.equal(anSuffix.status, 500);
  assert.equal(anSuffix.body.error.type, 'api_error');

  // A streaming request that fails answers a plain HTTP error, not an SSE stream.
  const streamed = await post('/v1/chat/completions', { ...chatBody('x'), stream: true, model: 'gpt-4o-fail502' });
  assert.equal(streamed.status, 502);
  assert.match(streamed.headers.get('content-type'), /^application\/json/);
  await streamed.arrayBuffer();

  // The header wins over the model suffix; retry_after alone means 429.
  const both = await postJson('/v1/chat/completions', { ...chatBody('x'), model: 'gpt-4o-fail503' }, { ...OA, 'x-mock-fault': 'status=400' });
  assert.equal(both.status, 400);
  const combined = await postJson('/v1/responses', { model: 'gpt-4o', input: 'x' }, { ...OA, 'x-mock-fault': 'status=429,retry_after=3' });
  assert.equal(combined.status, 429);
  assert.equal(combined.headers.get('retry-after'), '3');
  const retryOnly = await postJson('/v1/embeddings', { model: 'e', input: 'x' }, { ...OA, 'x-mock-fault': 'retry_after=2' });
  assert.equal(retryOnly.status, 429);
  assert.equal(retryOnly.headers.get('retry-after'), '2');

  // A model name that merely contains a dash is not a fault.
  const normal = await postJson('/v1/chat/completions', { ...chatBody('x'), model: 'gpt-4o-mini' });
  assert.equal(normal.status, 200);
});

test('fault delay: before the first byte, also before errors', kTimeout, async () => {
  let t0 = performance.now();
  const ok = await postJson('/v1/chat/completions', chatBody('x'), { ...OA, 'x-mock-fault': 'delay=300' });
  assert.equal(ok.status, 200);
  assert.ok(performance.now() - t0 >= 290, 'delayed');
  t0 = performance.now();
  const err = await postJson('/v1/messages', { ...anBody('x'), model: 'claude-delay250-fail503' }, AN);
  assert.equal(err.status, 503);
  assert.ok(performance.now() - t0 >= 240);
  t0 = performance.now();
  const fast = await postJson('/v1/chat/completions', chatBody('x'));
  assert.equal(fast.status, 200);
  assert.ok(performance.now() - t0 < 250, 'no delay without the fault');
});

test('fault chunk_delay: stream events are spaced out and arrive progressively', kTimeout, async () => {
  const t0 = performance.now();
  const r = await post('/v1/chat/completions', chatBody('Say hello', { stream: true }), { ...OA, 'x-mock-fault': 'chunk_delay=40' });
  const reader = r.body.getReader();
  const first = await reader.read();
  const tFirst = performance.now() - t0;
  let text = new TextDecoder().decode(first.value);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  const total = performance.now() - t0;
  const n = parseSse(text).length; // 1 role + 6 words + finish + [DONE] = 9
  assert.equal(n, 9);
  assert.ok(total >= 40 * (n - 1) - 10, `total ${total} ms`);
  assert.ok(tFirst < total / 2, `first event at ${tFirst} ms of ${total} ms`);
});

test('fault disconnect_after: stream cut after n events; non-stream closed without answer', kTimeout, async () => {
  const r = await post('/v1/chat/completions', chatBody('Say hello', { stream: true }), { ...OA, 'x-mock-fault': 'disconnect_after=3' });
  assert.equal(r.status, 200);
  const { text, error } = await readUntilClose(r);
  assert.ok(error !== null, 'the body ends in an error');
  assert.equal(parseSse(text).length, 3);
  assert.ok(!text.includes('[DONE]'));

  const an = await post('/v1/messages', { ...anBody('Hello there', { stream: true }), model: 'claude-disconnect2' }, AN);
  const cut = await readUntilClose(an);
  assert.ok(cut.error !== null);
  assert.deepEqual(parseSse(cut.text).map((e) => e.event), ['message_start', 'content_block_start']);

  await assert.rejects(post('/v1/chat/completions', chatBody('x'), { ...OA, 'x-mock-fault': 'disconnect_after=0' }));
});

test('fault trickle: the headers at once, then the non-stream body one byte per gap', kTimeout, async () => {
  const t0 = performance.now();
  const r = await post('/v1/messages/count_tokens', { ...anBody('hi'), model: 'claude-trickle25' }, AN);
  assert.equal(r.status, 200);
  const tHead = performance.now() - t0;
  const text = await r.text();
  const total = performance.now() - t0;
  assert.deepEqual(JSON.parse(text), { input_tokens: 1 });
  // The body came after the headers, one byte per gap.
  assert.ok(total - tHead >= (text.length - 2) * 25, `${text.length} bytes in ${total - tHead} ms after the headers`);
});

test('fault html: a 200 maintenance page in place of the answer (stream or not)', kTimeout, async () => {
  for (const [path, body, headers] of [
    ['/v1/chat/completions', chatBody('x', { stream: true }), { ...OA, 'x-mock-fault': 'html' }],
    ['/v1/chat/completions', chatBody('x'), { ...OA, 'x-mock-fault': 'html' }],
    ['/v1/messages', { ...anBody('x', { stream: true }), model: 'claude-html' }, AN],
    ['/v1/responses', { model: 'gpt-4o-html', input: 'x', stream: true }, OA],
  ]) {
    const r = await post(path, body, headers);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.match(await r.text(), /Down for maintenance/);
  }
});

test('fault no_events: an event stream with a keep-alive comment and no event', kTimeout, async () => {
  for (const [path, body, headers] of [
    ['/v1/chat/completions', chatBody('x', { stream: true }), { ...OA, 'x-mock-fault': 'no_events' }],
    ['/v1/messages', { ...anBody('x', { stream: true }), model: 'claude-noevents' }, AN],
  ]) {
    const r = await post(path, body, headers);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/event-stream/);
    assert.equal(await r.text(), ': keep-alive\n\n');
  }
});

test('fault malformed: invalid JSON body; stream with one invalid data line', kTimeout, async () => {
  const r = await post('/v1/chat/completions', chatBody('x [[mock:malformed]]'));
  assert.equal(r.status, 200);
  const text = await r.text();
  assert.ok(text.startsWith('{"id":"chatcmpl-'));
  assert.throws(() => JSON.parse(text));

  const { events } = await postSse('/v1/chat/completions', chatBody('Say hello', { stream: true }), { ...OA, 'x-mock-fault': 'malformed' });
  const invalid = events.filter((e) => {
    if (e.data === '[DONE]') return false;
    try {
      JSON.parse(e.data);
      return false;
    } catch {
      return true;
    }
  });
  assert.equal(invalid.length, 1);
  assert.equal(events.at(-1).data, '[DONE]');

  const an = await post('/v1/messages', { ...anBody('x'), model: 'claude-malformed' }, AN);
  assert.equal(an.status, 200);
  const anText = await an.text();
  assert.ok(anText.startsWith('{"id":"msg_'));
  assert.throws(() => JSON.parse(anText));
});

test('fault error_after: an in-stream error in the provider format', kTimeout, async () => {
  const { events } = await postSse('/v1/chat/completions', chatBody('Say hello', { stream: true }), { ...OA, 'x-mock-fault': 'error_after=2' });
  assert.equal(events.length, 3);
  const err = JSON.parse(events[2].data);
  assert.equal(err.error.type, 'server_error');
  assert.equal(typeof err.error.message, 'string');

  const an = await postSse('/v1/messages', anBody('Hello there', { stream: true }), { ...AN, 'x-mock-fault': 'error_after=3' });
  assert.equal(an.events.length, 4);
  assert.equal(an.events[3].event, 'error');
  assert.deepEqual(JSON.parse(an.events[3].data).error.type, 'overloaded_error');

  const resp = await postSse('/v1/responses', { model: 'gpt-4o', input: 'Hi', stream: true }, { ...OA, 'x-mock-fault': 'error_after=4' });
  assert.equal(resp.events.at(-1).event, 'error');
  assert.equal(JSON.parse(resp.events.at(-1).data).sequence_number, 4);
});

test('fault no_usage: usage omitted everywhere', kTimeout, async () => {
  const h = { ...OA, 'x-mock-fault': 'no_usage' };
  const chat = await postJson('/v1/chat/completions', chatBody('x'), h);
  assert.equal('usage' in chat.body, false);
  const stream = await postSse('/v1/chat/completions', chatBody('x', { stream: true, stream_options: { include_usage: true } }), h);
  const chunks = chatChunks(stream.events);
  assert.ok(chunks.every((c) => !('usage' in c) && c.choices.length === 1));
  const resp = await postJson('/v1/responses', { model: 'gpt-4o', input: 'x' }, h);
  assert.equal('usage' in resp.body, false);
  const emb = await postJson('/v1/embeddings', { model: 'e', input: 'x' }, h);
  assert.equal('usage' in emb.body, false);
  const an = await postJson('/v1/messages', { ...anBody('x'), model: 'claude-nousage' }, AN);
  assert.equal('usage' in an.body, false);
  const anStream = await postSse('/v1/messages', { ...anBody('x', { stream: true }), model: 'claude-nousage' }, AN);
  const datas = anStream.events.map((e) => JSON.parse(e.data));
  assert.equal('usage' in datas[0].message, false);
  assert.equal('usage' in datas.find((d) => d.type === 'message_delta'), false);
});

test('fault cached / cache_write: reported cache tokens', kTimeout, async () => {
  const chat = await postJson('/v1/chat/completions', chatBody('Hi [[mock:cached=5]] there'));
  assert.equal(chat.body.usage.prompt_tokens_details.cached_tokens, 5);
  assert.equal(chat.body.choices[0].message.content, 'Hello from mock gpt-4o: Hi there', 'markers are not echoed');
  const stream = await postSse('/v1/chat/completions', chatBody('Hi', { stream: true, stream_options: { include_usage: true } }), { ...OA, 'x-mock-fault': 'cached=7' });
  assert.equal(chatChunks(stream.events).at(-1).usage.prompt_tokens_details.cached_tokens, 7);
  const resp = await postJson('/v1/responses', { model: 'gpt-4o-cached4', input: 'Hi' });
  assert.equal(resp.body.usage.input_tokens_details.cached_tokens, 4);
  const an = await postJson('/v1/messages', anBody('Hi'), { ...AN, 'x-mock-fault': 'cached=6;cache_write=3' });
  assert.equal(an.body.usage.cache_read_input_tokens, 6);
  assert.equal(an.body.usage.cache_creation_input_tokens, 3);
  assert.equal(an.body.usage.input_tokens, 1);
  const anStream = await postSse('/v1/messages', { ...anBody('Hi', { stream: true }), model: 'claude-cached8' }, AN);
  assert.equal(JSON.parse(anStream.events[0].data).message.usage.cache_read_input_tokens, 8);
});

// ---------------------------------------------------------------- introspection and lifecycle

test('introspection: recorded requests with redacted credentials; clear; capacity 200', kTimeout, async () => {
  const cleared = await fetch(base + '/__mock/requests', { method: 'DELETE' });
  assert.equal(cleared.status, 200);
  assert.ok(Number.isInteger((await cleared.json()).cleared));

  await postJson('/v1/chat/completions', chatBody('recorded one'), { ...OA, authorization: 'Bearer sk-abcdefghijklmnop' });
  await postJson('/v1/messages?beta=true', anBody('recorded two'), { ...AN, 'x-api-key': 'sk-ant-secretsecret' });
  const listed = await (await fetch(base + '/__mock/requests')).json();
  assert.equal(listed.requests.length, 2, 'introspection calls are not recorded');
  const [one, two] = listed.requests;
  assert.equal(one.method, 'POST');
  assert.equal(one.path, '/v1/chat/completions');
  assert.equal(one.headers.authorization, 'Bearer sk-abc…');
  assert.equal(one.body.messages[0].content, 'recorded one');
  assert.ok(one.bodyBytes > 0);
  assert.ok(!Number.isNaN(Date.parse(one.time)));
  assert.equal(two.path, '/v1/messages?beta=true');
  assert.equal(two.headers['x-api-key'], 'sk-ant…');
  assert.equal(two.headers['anthropic-version'], '2023-06-01');
  const raw = JSON.stringify(listed);
  assert.ok(!raw.includes('abcdefghijklmnop') && !raw.includes('secretsecret'), 'no full credential');

  const filtered = await (await fetch(base + '/__mock/requests?path=/v1/messages')).json();
  assert.deepEqual(filtered.requests.map((r) => r.path), ['/v1/messages?beta=true']);

  await fetch(base + '/__mock/requests', { method: 'DELETE' });
  for (let i = 0; i < 205; i++) await (await fetch(`${base}/v1/models?n=${i}`, { headers: OA })).arrayBuffer();
  const capped = await (await fetch(base + '/__mock/requests')).json();
  assert.equal(capped.requests.length, 200);
  assert.equal(capped.requests[0].path, '/v1/models?n=5');
  assert.equal(capped.requests.at(-1).path, '/v1/models?n=204');

  const health = await fetch(base + '/__mock/health');
  assert.equal(health.status, 200);
  assert.equal((await health.json()).status, 'ok');
});

test('SIGTERM stops the mock with exit code 0; stdout held only the port line', kTimeout, async () => {
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  proc.kill('SIGTERM');
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), 5000)));
  const result = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  assert.deepEqual(result, { code: 0, signal: null });
  assert.match(stdoutText, /^\{"port":\d+\}\n$/);
});
