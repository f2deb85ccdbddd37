// The official `@anthropic-ai/sdk` client, pointed at the gateway (the project token goes out
// as x-api-key), against an Anthropic upstream (native relay) and an OpenAI upstream
// (translated): messages stream and not, tool use round trips, count_tokens (SPEC §00 P15).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { TOOL_ARGS, TOOL_CALL_OUTPUT_TOKENS, mockReply, mockToolReply, tokensOf, wordsOf } from './lib/mock.mjs';
import { UUID_RE, startProxyFixture } from './lib/proxy_fixture.mjs';

const T = { timeout: 30_000 };

let fx;
const targets = {
  anthropic: {
    provider: 'anthropic',
    modelId: 'anthropic/claude-haiku-4-5',
    upstream: 'claude-haiku-4-5',
    path: '/v1/messages',
  },
  openai: { provider: 'openai', modelId: 'openai/gpt-4o-mini', upstream: 'gpt-4o-mini', path: '/v1/chat/completions' },
};

before(async () => {
  fx = await startProxyFixture();
  await fx.model({ id: targets.anthropic.modelId, provider: 'anthropic', inputPrice: 1, outputPrice: 5 });
  await fx.model({ id: targets.openai.modelId, provider: 'openai', inputPrice: 0.15, outputPrice: 0.6 });
  for (const t of Object.values(targets)) {
    const { project, token } = await fx.project([t.modelId]);
    t.project = project;
    t.token = token;
    t.client = fx.anthropic(token);
  }
});
after(async () => {
  await fx?.dispose();
});

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

async function upstreamRequest(t, needle, path = t.path) {
  const reqs = await fx.mock.requests(path);
  const hit = reqs.filter((r) => JSON.stringify(r.body ?? '').includes(needle)).at(-1);
  assert.ok(hit, `the mock received no ${path} request mentioning '${needle}'`);
  return hit;
}

const textOf = (message) =>
  message.content
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('');

for (const [name, t] of Object.entries(targets)) {
  describe(`anthropic SDK → ${name} upstream`, () => {
    test('messages.create: text, stop_reason, usage, trace header', T, async () => {
      const user = `Hello Claude via ${name}`;
      const { data: m, response } = await t.client.messages
        .create({
          model: 'claude-anything',
          max_tokens: 256,
          system: 'Be brief.',
          temperature: 0.5,
          metadata: { user_id: 'user-42' },
          messages: [{ role: 'user', content: user }],
        })
        .withResponse();
      const reply = mockReply(t.upstream, user);
      assert.equal(m.type, 'message');
      assert.equal(m.role, 'assistant');
      assert.deepEqual(
        m.content.map((b) => b.type),
        ['text'],
      );
      assert.equal(textOf(m), reply);
      assert.equal(m.stop_reason, 'end_turn');
      assert.equal(m.usage.input_tokens, tokensOf('Be brief.', user));
      assert.equal(m.usage.output_tokens, wordsOf(reply));
      assert.match(response.headers.get('x-routerly-trace-id') ?? '', UUID_RE);

      const up = await upstreamRequest(t, user);
      assert.equal(up.body.model, t.upstream);
      if (t.provider === 'anthropic') {
        // Native relay: every field forwarded, only `model` rewritten.
        assert.equal(up.body.system, 'Be brief.');
        assert.equal(up.body.max_tokens, 256);
        assert.equal(up.body.temperature, 0.5);
        assert.deepEqual(up.body.metadata, { user_id: 'user-42' });
        assert.ok(!String(up.headers['x-api-key']).includes('sk-rt-'), 'the model key goes upstream, not the token');
      } else {
        assert.deepEqual(up.body.messages[0], { role: 'system', content: 'Be brief.' });
        assert.equal(up.body.messages[1].role, 'user');
        assert.equal(up.body.temperature, 0.5);
        assert.ok(!String(up.headers.authorization).includes('sk-rt-'));
      }
    });

    test('messages.stream: Anthropic events, final message', T, async () => {
      const user = `Stream it via ${name}`;
      const stream = t.client.messages.stream({
        model: 'x',
        max_tokens: 256,
        messages: [{ role: 'user', content: user }],
      });
      const types = [];
      let deltas = '';
      let startUsage;
      for await (const ev of stream) {
        types.push(ev.type);
        // A copy: the SDK keeps updating the message snapshot (usage included) as events arrive.
        if (ev.type === 'message_start') startUsage = { ...ev.message.usage };
        if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') deltas += ev.delta.text;
      }
      const final = await stream.finalMessage();
      const reply = mockReply(t.upstream, user);
      assert.equal(types[0], 'message_start', `events: ${types.join(', ')}`);
      assert.equal(types.at(-1), 'message_stop', `events: ${types.join(', ')}`);
      for (const ty of ['content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta']) {
        assert.ok(types.includes(ty), `missing ${ty}: ${types.join(', ')}`);
      }
      assert.ok(types.filter((x) => x === 'content_block_delta').length >= 2, 'text arrives as several deltas');
      assert.equal(deltas, reply);
      assert.equal(textOf(final), reply);
      assert.equal(final.stop_reason, 'end_turn');
      if (t.provider === 'openai') {
        // Translated: message_start carries the o200k count that count_tokens answers locally.
        const counted = await t.client.messages.countTokens({ model: 'x', messages: [{ role: 'user', content: user }] });
        assert.equal(startUsage.input_tokens, counted.input_tokens);
      } else {
        assert.equal(startUsage.input_tokens, tokensOf(user));
      }
      assert.equal(final.usage.output_tokens, wordsOf(reply));
    });

    test('stream:true answers text/event-stream with the trace header', T, async () => {
      const user = `Headers via ${name}`;
      const { data: stream, response } = await t.client.messages
        .create({ model: 'x', max_tokens: 64, messages: [{ role: 'user', content: user }], stream: true })
        .withResponse();
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.match(response.headers.get('x-routerly-trace-id') ?? '', UUID_RE);
      let text = '';
      for await (const ev of stream) if (ev.type === 'content_block_delta') text += ev.delta.text ?? '';
      assert.equal(text, mockReply(t.upstream, user));
    });

    test('tool use round trip, non-stream', T, async () => {
      const user = `What is the weather in Paris? (${name})`;
      const messages = [{ role: 'user', content: user }];
      const r1 = await t.client.messages.create({ model: 'x', max_tokens: 256, tools: [WEATHER_TOOL], messages });
      assert.equal(r1.stop_reason, 'tool_use');
      const use = r1.content.find((b) => b.type === 'tool_use');
      assert.ok(use, `content: ${JSON.stringify(r1.content)}`);
      assert.equal(use.name, 'get_weather');
      assert.deepEqual(use.input, TOOL_ARGS);
      assert.ok(typeof use.id === 'string' && use.id.length > 0);
      assert.equal(r1.usage.input_tokens, tokensOf(user));
      assert.equal(r1.usage.output_tokens, TOOL_CALL_OUTPUT_TOKENS);
      if (t.provider === 'openai') {
        const up = await upstreamRequest(t, user);
        assert.equal(up.body.tools?.[0]?.type, 'function');
        assert.equal(up.body.tools[0].function.name, 'get_weather');
        assert.deepEqual(up.body.tools[0].function.parameters, WEATHER_TOOL.input_schema);
      }

      const result = 'Sunny, 21 C, light wind';
      const r2 = await t.client.messages.create({
        model: 'x',
        max_tokens: 256,
        tools: [WEATHER_TOOL],
        messages: [
          ...messages,
          { role: 'assistant', content: r1.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: result }] },
        ],
      });
      assert.equal(r2.stop_reason, 'end_turn');
      assert.equal(textOf(r2), mockToolReply(t.upstream, result));
      assert.equal(r2.usage.input_tokens, tokensOf(user, JSON.stringify(TOOL_ARGS), result));
      if (t.provider === 'openai') {
        const up = await upstreamRequest(t, result);
        const assistant = up.body.messages.find((m) => m.role === 'assistant');
        assert.equal(assistant?.tool_calls?.[0]?.id, use.id, 'tool_use becomes an assistant tool call');
        assert.deepEqual(JSON.parse(assistant.tool_calls[0].function.arguments), TOOL_ARGS);
        const tool = up.body.messages.find((m) => m.role === 'tool');
        assert.equal(tool?.tool_call_id, use.id, 'tool_result becomes a role:"tool" message');
        assert.equal(tool.content, result);
      }
    });

    test('tool use round trip, stream (input_json_delta reassembled)', T, async () => {
      const user = `Weather in Paris, streamed (${name})`;
      const messages = [{ role: 'user', content: user }];
      const s1 = t.client.messages.stream({ model: 'x', max_tokens: 256, tools: [WEATHER_TOOL], messages });
      const jsonDeltas = [];
      for await (const ev of s1) {
        if (ev.type === 'content_block_delta' && ev.delta.type === 'input_json_delta') jsonDeltas.push(ev.delta.partial_json);
      }
      const m1 = await s1.finalMessage();
      assert.equal(m1.stop_reason, 'tool_use');
      assert.ok(jsonDeltas.length >= 2, `the input arrives as several deltas: ${JSON.stringify(jsonDeltas)}`);
      assert.deepEqual(JSON.parse(jsonDeltas.join('')), TOOL_ARGS);
      const use = m1.content.find((b) => b.type === 'tool_use');
      assert.equal(use?.name, 'get_weather');
      assert.deepEqual(use.input, TOOL_ARGS);

      const result = 'Cloudy, 17 C';
      const s2 = t.client.messages.stream({
        model: 'x',
        max_tokens: 256,
        tools: [WEATHER_TOOL],
        messages: [
          ...messages,
          { role: 'assistant', content: m1.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: result }] },
        ],
      });
      const m2 = await s2.finalMessage();
      assert.equal(textOf(m2), mockToolReply(t.upstream, result));
      assert.equal(m2.stop_reason, 'end_turn');
    });
  });
}

describe('messages.countTokens', () => {
  test('Anthropic upstream: forwarded to its count_tokens endpoint', T, async () => {
    const t = targets.anthropic;
    const text = 'Count these words for me, exactly as the upstream would.';
    const r = await t.client.messages.countTokens({ model: 'x', system: 'Be brief.', messages: [{ role: 'user', content: text }] });
    assert.equal(r.input_tokens, tokensOf('Be brief.', text));
    const up = await upstreamRequest(t, text, '/v1/messages/count_tokens');
    assert.equal(up.body.model, t.upstream);
  });

  test('OpenAI upstream: counted locally with a BPE tokenizer, no upstream call', T, async () => {
    const t = targets.openai;
    await fx.mock.clear();
    const text = Array(100).fill('hello').join(' '); // 499 chars: chars/4 = 125; o200k: 100 tokens
    const r = await t.client.messages.countTokens({ model: 'x', messages: [{ role: 'user', content: text }] });
    assert.ok(Number.isInteger(r.input_tokens), JSON.stringify(r));
    assert.ok(r.input_tokens >= 100 && r.input_tokens < 120, `a BPE count near 100 (not chars/4 = 125): ${r.input_tokens}`);
    assert.equal((await fx.mock.requests()).length, 0, 'nothing was sent upstream');
  });
});

test('translated stream: message_start.usage.input_tokens is the o200k count, not characters / 4', T, async () => {
  const t = targets.openai;
  const request = {
    model: 'x',
    max_tokens: 64,
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'hello world' }],
  };
  let start;
  for await (const ev of t.client.messages.stream(request)) if (ev.type === 'message_start') start = { ...ev.message.usage };
  const { max_tokens: _unused, ...countable } = request;
  const counted = await t.client.messages.countTokens(countable);
  assert.equal(counted.estimated, undefined, 'the gateway counted with its tokenizer');
  assert.equal(counted.input_tokens, 11); // 3 + 2 text tokens, 3 per message, 3 reply priming
  assert.equal(start.input_tokens, counted.input_tokens, `characters / 4 would say ${tokensOf('Be brief.', 'hello world')}`);
});
