// Assertions shared by the integration tests, phrased like the contract.
import assert from 'node:assert/strict';

const describe = (res) => `HTTP ${res.status} ${res.text?.slice(0, 300) ?? ''}`;

// A success status (exact, or any of a list).
export function expectStatus(res, status) {
  const ok = Array.isArray(status) ? status.includes(res.status) : res.status === status;
  assert.ok(ok, `expected ${JSON.stringify(status)}, got ${describe(res)}`);
  return res.json;
}

// Every error is exactly {"error":"<code>","message":"<text>"} (SPEC §00.1, P1).
export function expectErrorShape(res) {
  assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json), `error body is not a JSON object: ${describe(res)}`);
  assert.deepEqual(Object.keys(res.json).sort(), ['error', 'message'], `error body keys: ${describe(res)}`);
  assert.equal(typeof res.json.error, 'string');
  assert.equal(typeof res.json.message, 'string');
  assert.match(res.json.error, /^[a-z_]+$/, 'error is a machine code');
}

// An error with the given status and code; `mentions` (string or RegExp, or a list of them)
// must appear in the message — the field a validation error names, the project a conflict names.
export function expectError(res, status, code, mentions) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${describe(res)}`);
  expectErrorShape(res);
  assert.equal(res.json.error, code, `error code: ${describe(res)}`);
  for (const m of [mentions ?? []].flat()) {
    if (m instanceof RegExp) assert.match(res.json.message, m, `message should mention ${m}`);
    else assert.ok(res.json.message.includes(m), `message should mention '${m}': ${res.json.message}`);
  }
}

// Recursively lists every key of a JSON value (to prove a secret-bearing key never appears).
export function allKeys(value, out = new Set()) {
  if (Array.isArray(value)) value.forEach((v) => allKeys(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      allKeys(v, out);
    }
  }
  return out;
}

export const TOKEN_RE = /^sk-rt-[0-9a-f]{64}$/;
export const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
export const SEMVER_RE = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
