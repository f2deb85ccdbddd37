// The gateway on PostgreSQL (ROUTERLY_DATABASE_URL=postgres://…): models, projects with their
// tokens, proxied calls and their usage records live in the database, not in the home's SQLite
// file, and are all there again after a restart.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { mockReply } from './lib/mock.mjs';
import { startPostgres } from './lib/postgres.mjs';
import { startProxyFixture } from './lib/proxy_fixture.mjs';

const T = { timeout: 60_000 };
const MODEL = { id: 'openai/gpt-4o', upstream: 'gpt-4o' };

let pg;
let fx;
let databaseUrl;

before(async () => {
  pg = await startPostgres();
  databaseUrl = pg.createDatabase();
  fx = await startProxyFixture({ env: { ROUTERLY_DATABASE_URL: databaseUrl } });
});

after(async () => {
  await fx?.dispose();
  await pg?.dispose();
});

test('config and usage are kept in PostgreSQL and survive a restart', T, async () => {
  await fx.model({ id: MODEL.id, inputPrice: 2.5, outputPrice: 10 });
  const { project, token } = await fx.project([MODEL.id]);

  const user = 'PostgreSQL store: one proxied call';
  const { data, response } = await fx
    .openai(token)
    .chat.completions.create({ model: 'x', messages: [{ role: 'user', content: user }] })
    .withResponse();
  assert.equal(data.choices[0].message.content, mockReply(MODEL.upstream, user));
  const traceId = response.headers.get('x-routerly-trace-id');
  const [record] = await fx.recordsOf(traceId);
  assert.equal(record.modelId, MODEL.id);
  assert.equal(record.projectId, project.id);
  assert.ok(record.cost > 0);

  // The rows are in PostgreSQL, and the home holds no SQLite database.
  const database = databaseUrl.slice(databaseUrl.lastIndexOf('/') + 1);
  assert.equal(pg.sql(database, "SELECT COUNT(*) FROM usage WHERE trace_id = '" + traceId + "'").trim(), '1');
  assert.equal(pg.sql(database, "SELECT COUNT(*) FROM documents WHERE collection = 'models'").trim(), '1');
  assert.equal(existsSync(path.join(fx.srv.home, 'routerly.db')), false);

  await fx.srv.restart();

  const usage = await fx.usage();
  const again = usage.records.find((r) => r.traceId === traceId);
  assert.ok(again, `the record is still there after the restart: ${JSON.stringify(usage.records).slice(0, 1000)}`);
  assert.equal(again.cost, record.cost);
  const models = await fx.api('GET', '/api/models');
  assert.equal(models.status, 200);
  assert.ok(JSON.stringify(models.json).includes(MODEL.id));

  // The project's token still works after the restart, and its call is recorded too.
  const second = await fx
    .openai(token)
    .chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'after the restart' }] })
    .withResponse();
  await fx.recordsOf(second.response.headers.get('x-routerly-trace-id'));
  assert.equal(pg.sql(database, 'SELECT COUNT(*) FROM usage').trim(), '2');
});
