// saml-core/redis as a package, no server needed: the subpath resolves by the package's name, no core
// or browser file reaches it or a Redis client, and its declared client types take each library's
// own clients (tsc with @types/node).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRedisReplayStore } from '../dist/node/redis-replay-store.js';
import { ROOT } from './vector-files.js';

const packaging = suite('saml-core/redis packaging');
packaging('saml-core/redis resolves through package.json exports; neither the core nor the browser build imports it, a Redis client or the command line', async () => {
  const byName = await import('saml-core/redis');
  assert.is(byName.createRedisReplayStore, createRedisReplayStore);
  const core = readdirSync(join(ROOT, 'dist'), { recursive: true }).filter((f) => f.endsWith('.js') && !f.startsWith('node'));
  assert.ok(core.includes('index.js') && core.includes(join('browser', 'index.js')), core.join(', '));
  for (const file of core) {
    const text = readFileSync(join(ROOT, 'dist', file), 'utf8');
    assert.not.match(text, /redis-replay-store|from ['"](redis|ioredis|iovalkey)['"]/, file);
    // Nor the command line (dist/node/cli/, Node-only) or the packages only it uses.
    assert.not.match(text, /node\/cli\/|['"](commander|cli-progress|picocolors)['"]/, file);
  }
});
packaging('TypeScript: createRedisReplayStore takes each library\'s own client and cluster types, and refuses an object without set', async () => {
  // Inside the repository, so that `saml-core/redis` (self-reference) and the clients (node_modules) resolve as an app's would.
  const dir = mkdtempSync(join(ROOT, 'test', '.types-'));
  try {
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', types: ['node'], skipLibCheck: true }, include: ['*.ts'] }));
    writeFileSync(
      join(dir, 'clients.ts'),
      `import { createClient, createCluster } from 'redis';
import { Cluster, Redis } from 'ioredis';
import { Redis as Valkey } from 'iovalkey';
import { createRedisReplayStore } from 'saml-core/redis';
import type { ReplayStore } from 'saml-core';
export const stores: ReplayStore[] = [createClient(), createCluster({ rootNodes: [] }), new Redis(), new Cluster([]), new Valkey()].map((client) => createRedisReplayStore({ client }));
// @ts-expect-error not a Redis client
createRedisReplayStore({ client: { get: async () => null } });
`,
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
    assert.is(tsc.stdout, '');
    assert.is(tsc.status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
packaging.run();

