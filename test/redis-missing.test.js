// Without redis-server on PATH, a Redis suite says so in one line and passes (a bare clone's
// npm test); with SAML_REDIS_REQUIRED=1 (.ci/run) the same is a failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const SUITE = fileURLToPath(new URL('./redis-concurrency.test.js', import.meta.url));

test('redis-server not on PATH: one line "redis tests: not run", exit 0; SAML_REDIS_REQUIRED=1 makes it a failure', () => {
  const empty = mkdtempSync(join(tmpdir(), 'saml-core-no-redis-'));
  try {
    const run = (env) => spawnSync(process.execPath, [SUITE], { encoding: 'utf8', env: { ...process.env, PATH: empty, SAML_REDIS_REQUIRED: '', ...env } });
    const bare = run({});
    assert.is(bare.status, 0, bare.stderr);
    assert.is(bare.stdout, 'redis tests: not run (redis-server not found; .ci/run installs it)\n');
    const required = run({ SAML_REDIS_REQUIRED: '1' });
    assert.is(required.status, 1);
    assert.match(required.stderr, /redis-server not found, and SAML_REDIS_REQUIRED=1/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test.run();
