// Many processes, one Redis: 8 processes, each with its own client, present the same 200 valid
// assertions at the same moment. Exactly one acceptance per assertion; every other attempt REPLAYED.
// Against one standalone server and against a 3-master Redis Cluster (test/redis-servers.js).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateTestCredentials } from '../dist/node/test-idp.js';
import { connect } from './redis-clients.js';
import { samlConfig, signedBodies } from './redis-fixtures.js';
import { redisAvailable, startCluster, startRedis, stopAll } from './redis-servers.js';

const WORKER = fileURLToPath(new URL('./redis-worker.js', import.meta.url));
const PROCESSES = 8;
const ASSERTIONS = 200;

/** Forks the workers, waits until every one is connected, then says 'go' to all at once. */
async function presentEverywhere({ libraries, target, credentials, bodies, now }) {
  const workers = libraries.map((library) => {
    const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
    });
    child.send({ library, target, config: samlConfig(credentials.certificatePem), bodies, now: now.toISOString() });
    return { child, ready };
  });
  try {
    await Promise.all(workers.map((w) => w.ready));
    const done = workers.map(({ child }) => new Promise((resolve) => child.once('message', resolve)));
    for (const { child } of workers) child.send('go');
    return (await Promise.all(done)).map((m) => m.outcomes);
  } finally {
    // A worker that hangs must not outlive the run.
    for (const { child } of workers) setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
  }
}

function assertOnceEach(perProcess) {
  for (let i = 0; i < ASSERTIONS; i++) {
    const seen = perProcess.map((outcomes) => outcomes[i]);
    assert.is(seen.filter((o) => o === 'ACCEPTED').length, 1, `assertion ${i}: ${seen.join(', ')}`);
    assert.is(seen.filter((o) => o === 'REPLAYED').length, PROCESSES - 1, `assertion ${i}: ${seen.join(', ')}`);
  }
}

// Both client libraries in the same run: node-redis in half the processes, ioredis and iovalkey in the rest.
const LIBRARIES = ['node-redis', 'ioredis', 'node-redis', 'iovalkey', 'node-redis', 'ioredis', 'node-redis', 'ioredis'];

if (redisAvailable()) {
  const credentials = await generateTestCredentials({ commonName: 'redis concurrency idp' });
  const now = new Date();
  // The same 200 responses for both servers: each server has its own keys.
  const bodies = signedBodies(credentials, now, ASSERTIONS, 'idC');
  const standalone = suite('redis concurrency: standalone');
  let server;
  standalone.before(async () => {
    server = await startRedis({ label: 'concurrency' });
  });
  standalone.after(() => server.stop());
  standalone('replay across processes: 8 processes present each of 200 assertions at once; exactly one acceptance each, the rest REPLAYED', async () => {
    assertOnceEach(await presentEverywhere({ libraries: LIBRARIES, target: { port: server.port }, credentials, bodies, now }));
  });
  standalone.run();

  const cluster = suite('redis concurrency: cluster');
  let nodes;
  cluster.before(async () => {
    nodes = await startCluster();
  });
  cluster.after(() => stopAll());
  cluster('replay across processes on a 3-master Redis Cluster: exactly one acceptance per assertion, keys spread over every master', async () => {
    assertOnceEach(await presentEverywhere({ libraries: LIBRARIES, target: { rootNodes: nodes.rootNodes }, credentials, bodies, now }));
    // Every master holds some of the keys: the store's keys are spread by slot, one slot per command.
    const sizes = [];
    for (const node of nodes.nodes) {
      const client = await connect('ioredis', { port: node.port });
      sizes.push(await client.dbsize());
      client.disconnect();
    }
    assert.ok(sizes.every((n) => n > 20), `keys per master: ${sizes.join(', ')}`);
    assert.is(sizes.reduce((a, b) => a + b, 0), ASSERTIONS);
  });
  cluster.run();
}
