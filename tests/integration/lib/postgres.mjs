// A real PostgreSQL server for integration tests, made the way the unit tests make theirs:
// Debian's binaries (/usr/lib/postgresql/<version>/bin), initdb into a fresh temporary
// directory, pg_ctl on a free loopback port with the socket in that directory and fsync off.
// PostgreSQL refuses to run as root, so as root (CI) it runs as the unprivileged user
// routerly-test, which scripts/install-test-deps.sh creates. Missing binaries or a missing user
// throw with what to install: a test that needs the server fails, it never skips.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort } from './server.mjs';

const TEST_USER = 'routerly-test';
const STEP_TIMEOUT_MS = 60_000;

function binDir() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')) && existsSync(path.join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(a) - Number(b))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb and pg_ctl): install the test ' +
        "dependencies with scripts/install-test-deps.sh (Debian's postgresql package)",
    );
  }
  return path.join(root, versions.at(-1), 'bin');
}

// uid and gid of the test user, from `id` (node has no getpwnam).
function testUser() {
  const uid = spawnSync('id', ['-u', TEST_USER], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', TEST_USER], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(`running as root, PostgreSQL needs the unprivileged user ${TEST_USER}: create it with scripts/install-test-deps.sh`);
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export class PostgresServer {
  constructor() {
    this.bin = binDir();
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'routerly-pg-'));
    this.asRoot = process.getuid() === 0;
    if (this.asRoot) {
      const { uid, gid } = testUser();
      chownSync(this.dir, uid, gid);
    }
    this.port = null;
    this.running = false;
    this.databases = 0;
  }

  // Runs one of the server's programs (as the test user when we are root); throws with its
  // output and the server log on failure.
  run(program, args, what) {
    const command = this.asRoot ? 'runuser' : path.join(this.bin, program);
    const argv = this.asRoot ? ['-u', TEST_USER, '--', path.join(this.bin, program), ...args] : args;
    const r = spawnSync(command, argv, { cwd: this.dir, encoding: 'utf8', timeout: STEP_TIMEOUT_MS });
    if (r.error || r.status !== 0) {
      const log = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').slice(-4000) : '';
      throw new Error(`${what} failed (${r.error ?? `status ${r.status}`}):\n${r.stdout}${r.stderr}${log}`);
    }
    return r.stdout;
  }

  get dataDir() {
    return path.join(this.dir, 'data');
  }

  get logFile() {
    return path.join(this.dir, 'server.log');
  }

  async start() {
    if (!existsSync(this.dataDir)) {
      this.run('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], 'initdb');
    }
    this.port ??= await freePort();
    const options = [
      '-c listen_addresses=127.0.0.1',
      `-p ${this.port}`,
      `-c unix_socket_directories=${this.dir}`,
      '-c fsync=off -c synchronous_commit=off -c full_page_writes=off',
    ].join(' ');
    this.run('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', '60', '-o', options, 'start'], 'pg_ctl start');
    this.running = true;
    return this;
  }

  async stop() {
    if (!this.running) return;
    this.run('pg_ctl', ['-D', this.dataDir, '-w', '-t', '60', '-m', 'fast', 'stop'], 'pg_ctl stop');
    this.running = false;
  }

  // Stops the server (if running) and removes its directory.
  async dispose() {
    try {
      await this.stop();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  // Runs SQL as the superuser through psql on the server's socket; returns psql's output.
  sql(database, statement) {
    return this.run('psql', ['-h', this.dir, '-p', String(this.port), '-U', 'postgres', '-d', database, '-Atqc', statement], 'psql');
  }

  // A new, empty database; returns its postgres:// URL.
  createDatabase() {
    const name = `itest_${++this.databases}`;
    this.sql('postgres', `CREATE DATABASE ${name}`);
    return this.url(name);
  }

  url(database) {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }
}

// A started server; dispose() it at the end.
export async function startPostgres() {
  const server = new PostgresServer();
  try {
    return await server.start();
  } catch (err) {
    await server.dispose();
    throw err;
  }
}
