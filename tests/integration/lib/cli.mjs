// Runs the `routerly` CLI binary as a user would: HOME points at a private directory (its saved
// accounts live in <home>/.routerly/cli) and no ROUTERLY_* variable of the test runner leaks in.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import { BIN } from './server.mjs';

// `defaultHome()` is read at each call (suites create their home in `before`).
export function cliRunner(defaultHome) {
  function routerly(args, { input, home, env: extra = {} } = {}) {
    const env = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ROUTERLY_')) env[k] = v;
    env.HOME = home ?? defaultHome();
    Object.assign(env, extra);
    const r = spawnSync(BIN, args, { env, input: input ?? '', timeout: 20_000, encoding: 'utf8' });
    if (r.error) throw r.error;
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  // Exits 0; returns the result.
  function ok(args, opts) {
    const r = routerly(args, opts);
    assert.equal(r.code, 0, `routerly ${args.join(' ')} failed:\n${r.stderr}`);
    return r;
  }

  // Exits non-zero with "error: <text>" on stderr and nothing on stdout; returns stderr.
  function failsWith(args, pattern, opts) {
    const r = routerly(args, opts);
    assert.notEqual(r.code, 0, `routerly ${args.join(' ')} should fail:\n${r.stdout}`);
    assert.match(r.stderr, /^error: /);
    assert.match(r.stderr, pattern);
    assert.equal(r.stdout, '');
    return r.stderr;
  }

  // The parsed `--json` output of a successful command.
  const json = (args, opts) => JSON.parse(ok([...args, '--json'], opts).stdout);

  return { routerly, ok, failsWith, json };
}
