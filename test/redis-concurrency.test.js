// Many processes, one Redis: 8 processes, each with its own client, present the same 200 valid
// assertions at the same moment. Exactly one acceptance per assertion; every other attempt REPLAYED.
// Against one standalone server and against a 3-master Redis Cluster (test/redis-servers.js), where
// a master is then killed.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateTestCredentials } from '../dist/node/test-idp.js';
import { createRedisReplayStore } from '../dist/node/redis-replay-store.js';
import { connect, disconnectAll, validate } from './redis-clients.js';
import { redisKey, samlConfig, signedBodies } from './redis-fixtures.js';
import { redisAvailable, startCluster, startRedis, stopAll } from './redis-servers.js';

const WORKER = fileURLToPath(new URL('./redis-worker.js', import.meta.url));
const PROCESSES = 8;
const ASSERTIONS = 200;

/** The 8 processes, forked once for every run of this file. */
function forkWorkers() {
  return Array.from({ length: PROCESSES }, () => {
    const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('exit', (code) => {
      for (const reject of child.waiting ?? []) reject(new Error(`a worker exited with ${code}`));
    });
    return child;
  });
}

function reply(child) {
  return new Promise((resolve, reject) => {
    child.waiting = [reject];
    child.once('message', resolve);
  });
}

/** Each worker gets its job and connects; once every one is ready, all are told 'go' at once. */
async function presentEverywhere(workers, { libraries, target, config, bodies, now }) {
  await Promise.all(
    workers.map((child, i) => {
      const ready = reply(child);
      child.send({ library: libraries[i], target, config, bodies, now: now.toISOString() });
      return ready;
    }),
  );
  const done = workers.map(reply);
  for (const child of workers) child.send('go');
  return (await Promise.all(done)).map((m) => m.outcomes);
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
  const config = samlConfig(credentials.certificatePem);
  const workers = forkWorkers();
  const stopWorkers = () => {
    for (const child of workers) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.on('exit', stopWorkers);
  const standalone = suite('redis concurrency: standalone');
  let server;
  standalone.before(async () => {
    server = await startRedis({ label: 'concurrency' });
  });
  standalone.after(() => server.stop());
  standalone('replay across processes: 8 processes present each of 200 assertions at once; exactly one acceptance each, the rest REPLAYED', async () => {
    assertOnceEach(await presentEverywhere(workers, { libraries: LIBRARIES, target: { port: server.port }, config, bodies, now }));
  });
  standalone.run();

  const cluster = suite('redis concurrency: cluster');
  let nodes;
  cluster.before(async () => {
    nodes = await startCluster();
  });
  cluster.after(async () => {
    stopWorkers();
    await disconnectAll();
    stopAll();
  });
  cluster('replay across processes on a 3-master Redis Cluster: exactly one acceptance per assertion, keys spread over every master', async () => {
    assertOnceEach(await presentEverywhere(workers, { libraries: LIBRARIES, target: { rootNodes: nodes.rootNodes }, config, bodies, now }));
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
  cluster('a cluster node killed: every assertion whose slot it served is REPLAY_STORE_FAILED, none accepted twice, no untyped error', async () => {
    const target = { rootNodes: nodes.rootNodes };
    const libraries = ['ioredis', 'node-redis'];
    const stores = [];
    for (const library of libraries) stores.push(createRedisReplayStore({ client: await connect(library, target, { reconnectMs: 50 }), timeoutMs: 300 }));
    const [victim] = nodes.nodes;
    await victim.kill('SIGKILL');
    const more = signedBodies(credentials, now, 30, 'idK');
    const onVictim = [];
    for (let i = 0; i < more.length; i++) onVictim.push((await nodes.nodeOf(redisKey(`idKa${i}`))) === victim);
    assert.ok(onVictim.some(Boolean) && !onVictim.every(Boolean), 'some keys on the killed node, some elsewhere');
    const accepted = new Set();
    for (const [n, replayStore] of stores.entries()) {
      const config = { ...samlConfig(credentials.certificatePem), replayStore };
      const outcomes = await Promise.all(more.map((body) => validate(config, body, now)));
      outcomes.forEach((outcome, i) => {
        const where = `${libraries[n]}, assertion ${i}${onVictim[i] ? ' (on the killed node)' : ''}`;
        if (onVictim[i]) assert.is(outcome, 'REPLAY_STORE_FAILED', where);
        else assert.ok(['ACCEPTED', 'REPLAYED', 'REPLAY_STORE_FAILED'].includes(outcome), `${where}: ${outcome}`);
        if (outcome === 'ACCEPTED') {
          assert.not.ok(accepted.has(i), `${where}: accepted twice`);
          accepted.add(i);
        }
      });
    }
  });
  cluster.run();
}
