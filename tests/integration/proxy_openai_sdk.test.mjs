// The official `openai` npm client, pointed at the gateway with a project token, against an
// OpenAI upstream (native) and an Anthropic upstream (translated): chat completions stream and
// not, tool calls, the trace header and stream trace (SPEC §00 P3), the Responses API (P14),
// /v1/models and the project-scoped base URL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { TOOL_ARGS, TOOL_CALL_OUTPUT_TOKENS, mockReply, mockToolReply, tokensOf, wordsOf } from './lib/mock.mjs';
import { UUID_RE, startProxyFixture } from './lib/proxy_fixture.mjs';
import { collectChat } from './lib/sdk_streams.mjs';

const T = { timeout: 30_000 };

let fx;
const targets = {
  openai: { provider: 'openai', modelId: 'openai/gpt-4o', upstream: 'gpt-4o', path: '/v1/chat/completions' },
  anthropic: {
    provider: 'anthropic',
    modelId: 'anthropic/claude-haiku-4-5',
    upstream: 'claude-haiku-4-5',
    path: '/v1/messages',
  },
};

before(async () => {
  fx = await startProxyFixture();
  await fx.model({ id: targets.openai.modelId, provider: 'openai', inputPrice: 2, outputPrice: 8 });
  await fx.model({ id: targets.anthropic.modelId, provider: 'anthropic', inputPrice: 1, outputPrice: 5 });
  for (const t of Object.values(targets)) {
    const { project, token } = await fx.project([t.modelId]);
    t.project = project;
    t.token = token;
    t.client = fx.openai(token);
  }
});
after(async () => {
  await fx?.dispose();
});

const WEATHER_TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

// The upstream request the mock received whose body mentions `needle`.
async function upstreamRequest(t, needle) {
  const reqs = await fx.mock.requests(t.path);
  const hit = reqs.filter((r) => JSON.stringify(r.body ?? '').includes(needle)).at(-1);
  assert.ok(hit, `the mock received no ${t.path} request mentioning '${needle}'`);
  return hit;
}

for (const [name, t] of Object.entries(targets)) {
  describe(`openai SDK → ${name} upstream`, () => {
    test('non-stream text: content, usage, trace header, upstream model and key', T, async () => {
      const user = `Say hello to Routerly ${name}`;
      const { data, response } = await t.client.chat.completions
        .create({
          model: 'anything-the-client-likes',
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: user },
          ],
        })
        .withResponse();
      const reply = mockReply(t.upstream, user);
      assert.equal(data.object, 'chat.completion');
      assert.equal(data.choices.length, 1);
      assert.equal(data.choices[0].message.role, 'assistant');
      assert.equal(data.choices[0].message.content, reply);
      assert.equal(data.choices[0].finish_reason, 'stop');
      assert.equal(data.usage.prompt_tokens, tokensOf('Be brief.', user));
      assert.equal(data.usage.completion_tokens, wordsOf(reply));
      assert.equal(data.usage.total_tokens, data.usage.prompt_tokens + data.usage.completion_tokens);
      assert.match(response.headers.get('x-routerly-trace-id') ?? '', UUID_RE);

      const up = await upstreamRequest(t, user);
      assert.equal(up.body.model, t.upstream, 'the upstream gets the upstream model id, not the client model');
      const cred = t.provider === 'anthropic' ? up.headers['x-api-key'] : up.headers.authorization;
      assert.ok(cred && !cred.includes('sk-rt-'), `the upstream gets the model's key, not the project token: ${cred}`);
      if (t.provider === 'anthropic') {
        assert.equal(up.body.system, 'Be brief.', 'the system message becomes Anthropic `system`');
        assert.ok(up.headers['anthropic-version'], 'anthropic-version is sent');
      }
    });

    test('stream: every chunk indexable, trace on the first chunk, text reassembled', T, async () => {
      const user = `Stream me something ${name}`;
      const { data: stream, response } = await t.client.chat.completions
        .create({ model: 'x', messages: [{ role: 'user', content: user }], stream: true })
        .withResponse();
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      const traceId = response.headers.get('x-routerly-trace-id');
      assert.match(traceId ?? '', UUID_RE);
      const { chunks, text, finish } = await collectChat(stream);
      assert.equal(text, mockReply(t.upstream, user));
      assert.equal(finish, 'stop');
      const first = chunks[0];
      assert.equal(first.type, 'trace', `first chunk: ${JSON.stringify(first)}`);
      assert.equal(first.traceId, traceId);
      assert.equal(first.provider, t.provider);
      assert.deepEqual(first.choices[0].delta, { role: 'assistant', content: '' });
      assert.ok(Array.isArray(first.policies), 'the first chunk carries policies');
      assert.equal(chunks.filter((c) => c.type === 'trace').length, 1, 'only the first chunk carries the trace');

      const up = await upstreamRequest(t, user);
      assert.equal(up.body.stream, true);
    });

    test('stream with include_usage: the usage chunk comes last with the mock counts', T, async () => {
      const user = `Count my tokens ${name}`;
      const stream = await t.client.chat.completions.create({
        model: 'x',
        messages: [{ role: 'user', content: user }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const { chunks, text, usage } = await collectChat(stream, { allowUsageChunk: true });
      assert.equal(text, mockReply(t.upstream, user));
      const last = chunks.at(-1);
      assert.deepEqual(last.choices, [], 'the usage chunk has choices:[]');
      assert.ok(usage, 'a usage chunk arrived');
      assert.equal(usage.prompt_tokens, tokensOf(user));
      assert.equal(usage.completion_tokens, wordsOf(text));
      assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    });

    test('tool call round trip, non-stream', T, async () => {
      const user = `What is the weather in Paris? (${name})`;
      const messages = [{ role: 'user', content: user }];
      const r1 = await t.client.chat.completions.create({ model: 'x', messages, tools: WEATHER_TOOLS });
      const msg = r1.choices[0].message;
      assert.equal(r1.choices[0].finish_reason, 'tool_calls');
      assert.equal(msg.tool_calls?.length, 1, `tool_calls: ${JSON.stringify(msg)}`);
      const call = msg.tool_calls[0];
      assert.equal(call.type, 'function');
      assert.equal(call.function.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.function.arguments), TOOL_ARGS);
      assert.ok(typeof call.id === 'string' && call.id.length > 0);
      assert.equal(r1.usage.prompt_tokens, tokensOf(user));
      assert.equal(r1.usage.completion_tokens, TOOL_CALL_OUTPUT_TOKENS);
      if (t.provider === 'anthropic') {
        const up = await upstreamRequest(t, user);
        assert.equal(up.body.tools?.[0]?.name, 'get_weather', 'tools are translated to Anthropic tools');
        assert.deepEqual(up.body.tools[0].input_schema, WEATHER_TOOLS[0].function.parameters);
      }

      const result = 'Sunny, 21 C, light wind';
      const r2 = await t.client.chat.completions.create({
        model: 'x',
        tools: WEATHER_TOOLS,
        messages: [...messages, msg, { role: 'tool', tool_call_id: call.id, content: result }],
      });
      assert.equal(r2.choices[0].message.content, mockToolReply(t.upstream, result));
      assert.equal(r2.choices[0].finish_reason, 'stop');
      assert.equal(r2.usage.prompt_tokens, tokensOf(user, call.function.arguments, result));
      if (t.provider === 'anthropic') {
        const up = await upstreamRequest(t, result);
        const blocks = up.body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []));
        const use = blocks.find((b) => b.type === 'tool_use');
        const res = blocks.find((b) => b.type === 'tool_result');
        assert.equal(use?.id, call.id, 'the assistant tool call becomes a tool_use block with its id');
        assert.deepEqual(use.input, TOOL_ARGS);
        assert.equal(res?.tool_use_id, call.id, 'the tool message becomes a tool_result for that id');
      }
    });

    test('tool call round trip, stream (argument deltas reassembled)', T, async () => {
      const user = `Weather for Paris please, streamed (${name})`;
      const messages = [{ role: 'user', content: user }];
      const s1 = await t.client.chat.completions.create({ model: 'x', messages, tools: WEATHER_TOOLS, stream: true });
      const c1 = await collectChat(s1);
      assert.equal(c1.finish, 'tool_calls');
      assert.equal(c1.toolCalls.length, 1, `tool calls: ${JSON.stringify(c1.toolCalls)}`);
      const call = c1.toolCalls[0];
      assert.equal(call.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.arguments), TOOL_ARGS);
      assert.ok(call.id.length > 0);
      const argChunks = c1.chunks.filter((c) => c.choices[0]?.delta?.tool_calls?.some((tc) => tc.function?.arguments));
      assert.ok(argChunks.length >= 2, 'the arguments arrive over several deltas');

      const result = 'Cloudy, 17 C';
      const s2 = await t.client.chat.completions.create({
        model: 'x',
        stream: true,
        tools: WEATHER_TOOLS,
        messages: [
          ...messages,
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }],
          },
          { role: 'tool', tool_call_id: call.id, content: result },
        ],
      });
      const c2 = await collectChat(s2);
      assert.equal(c2.text, mockToolReply(t.upstream, result));
      assert.equal(c2.finish, 'stop');
    });

    test('x-routerly-trace: events gives trace events instead of the first-chunk trace', T, async () => {
      const user = `Trace events please ${name}`;
      const stream = await t.client.chat.completions.create(
        { model: 'x', messages: [{ role: 'user', content: user }], stream: true },
        { headers: { 'x-routerly-trace': 'events' } },
      );
      const events = [];
      let text = '';
      for await (const item of stream) {
        if (item.type === 'trace') {
          assert.equal(item.choices, undefined, `a trace event is not a chunk: ${JSON.stringify(item)}`);
          assert.ok(item.entry && typeof item.entry === 'object', `trace event: ${JSON.stringify(item)}`);
          assert.equal(typeof item.entry.panel, 'string');
          assert.equal(typeof item.entry.message, 'string');
          events.push(item.entry);
        } else {
          assert.equal(item.object, 'chat.completion.chunk');
          text += item.choices[0]?.delta?.content ?? '';
        }
      }
      assert.equal(text, mockReply(t.upstream, user));
      const messages = events.map((e) => e.message);
      assert.ok(messages.includes('model:request'), `trace events: ${messages.join(', ')}`);
      assert.ok(messages.includes('model:success'), `trace events: ${messages.join(', ')}`);
      const req = events.find((e) => e.message === 'model:request');
      assert.equal(req.details?.modelId, t.modelId);
    });

    test('Responses API, non-stream', T, async () => {
      const input = `Tell me a short story ${name}`;
      const { data: r, response } = await t.client.responses.create({ model: 'x', input }).withResponse();
      const reply = mockReply(t.upstream, input);
      assert.equal(r.object, 'response');
      assert.equal(r.status, 'completed');
      assert.match(r.id, /^resp_/);
      assert.equal(r.output_text, reply);
      const msg = r.output.find((i) => i.type === 'message');
      assert.equal(msg?.role, 'assistant');
      assert.equal(msg.content[0].type, 'output_text');
      assert.equal(r.usage.input_tokens, tokensOf(input));
      assert.equal(r.usage.output_tokens, wordsOf(reply));
      assert.equal(r.usage.total_tokens, r.usage.input_tokens + r.usage.output_tokens);
      assert.match(response.headers.get('x-routerly-trace-id') ?? '', UUID_RE);
      const upPath = t.provider === 'openai' ? '/v1/responses' : '/v1/messages';
      const up = (await fx.mock.requests(upPath)).filter((q) => JSON.stringify(q.body).includes(input));
      assert.equal(up.length, 1, `the mock got the request on ${upPath} (native for OpenAI, translated otherwise)`);
    });

    test('Responses API, stream: created … output_text.delta … completed', T, async () => {
      const input = `Stream a story ${name}`;
      const stream = await t.client.responses.create({ model: 'x', input, stream: true });
      const types = [];
      let text = '';
      let completed;
      for await (const ev of stream) {
        types.push(ev.type);
        if (ev.type === 'response.output_text.delta') text += ev.delta;
        if (ev.type === 'response.completed') completed = ev.response;
      }
      const reply = mockReply(t.upstream, input);
      assert.equal(types[0], 'response.created', `events: ${types.join(', ')}`);
      assert.equal(types.at(-1), 'response.completed', `events: ${types.join(', ')}`);
      assert.ok(types.includes('response.output_item.added'));
      assert.equal(text, reply);
      assert.equal(completed.status, 'completed');
      assert.equal(completed.output_text ?? completed.output[0].content[0].text, reply);
      assert.equal(completed.usage.input_tokens, tokensOf(input));
      assert.equal(completed.usage.output_tokens, wordsOf(reply));
    });

    test('Responses API, previous_response_id continues the conversation', T, async () => {
      const first = `My name is Ada (${name})`;
      const r1 = await t.client.responses.create({ model: 'x', input: first });
      const reply1 = mockReply(t.upstream, first);
      assert.equal(r1.output_text, reply1);
      const second = `What is my name? (${name})`;
      const r2 = await t.client.responses.create({ model: 'x', input: second, previous_response_id: r1.id });
      assert.equal(r2.output_text, mockReply(t.upstream, second));
      assert.equal(r2.previous_response_id, r1.id);
      if (t.provider === 'openai') {
        // Native: either the id goes upstream or the gateway expands the stored conversation.
        const up = (await fx.mock.requests('/v1/responses')).filter((q) => JSON.stringify(q.body).includes(second)).at(-1);
        assert.ok(
          up.body.previous_response_id === r1.id || JSON.stringify(up.body.input).includes(first),
          `the upstream request continues the conversation: ${JSON.stringify(up.body)}`,
        );
      } else {
        const up = await upstreamRequest(t, second);
        const texts = up.body.messages.map((m) =>
          typeof m.content === 'string' ? m.content : m.content.map((b) => b.text ?? '').join(''),
        );
        assert.deepEqual(texts, [first, reply1, second], 'the stored turns precede the new input');
        assert.deepEqual(
          up.body.messages.map((m) => m.role),
          ['user', 'assistant', 'user'],
        );
        assert.equal(r2.usage.input_tokens, tokensOf(first, reply1, second));
      }
    });

    test('GET /v1/models lists the project models', T, async () => {
      const ids = [];
      const owners = {};
      for await (const m of t.client.models.list()) {
        ids.push(m.id);
        owners[m.id] = m.owned_by;
        assert.equal(m.object, 'model');
      }
      assert.ok(ids.includes(t.modelId), `models: ${ids.join(', ')}`);
      assert.equal(owners[t.modelId], t.provider);
      const other = Object.values(targets).find((o) => o !== t).modelId;
      assert.ok(!ids.includes(other), 'a model of another project is not listed');
    });
  });
}

describe('project-scoped base URL', () => {
  test('/projects/{slug}/v1 works with the project token; another slug is 404', T, async () => {
    const t = targets.openai;
    const scoped = fx.openai(t.token, { baseURL: `${fx.base}/projects/${t.project.slug}/v1` });
    const user = 'Scoped hello';
    const r = await scoped.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: user }] });
    assert.equal(r.choices[0].message.content, mockReply(t.upstream, user));
    const wrong = fx.openai(t.token, { baseURL: `${fx.base}/projects/${targets.anthropic.project.slug}/v1` });
    await assert.rejects(
      wrong.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: user }] }),
      (err) => err.status === 404,
    );
  });
});
