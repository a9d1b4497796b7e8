/**
 * One worker thread of the replay-store row (bench/replay-store.js), workerData { case, store, port,
 * durationMs, warmupMs }: saml-core validating the case's timed input with a real replay store,
 * 'memory' (createMemoryReplayStore) or 'redis' (saml-core/redis on an ioredis client to the
 * benchmark's own redis-server on `port`). Every remember() gets a key never used before (the
 * validator's key plus a per-thread counter), so each call is a true first use: the insert a login
 * costs, never a replay answer. Each remember() is timed. Says 'ready' after the warm-up, waits for
 * 'start', then posts { ops, elapsedMs, rememberMs (every remember() of the timed run, in ms) }.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { createMemoryReplayStore } from '../dist/index.js';
import { createRedisReplayStore } from '../dist/node/redis-replay-store.js';
import { candidateNamed } from './candidates.js';
import { runFor } from './measure.js';

const { case: benchCase, store, port, durationMs, warmupMs } = workerData;
let client = null;
let inner;
if (store === 'redis') {
  const { Redis } = await import('ioredis');
  client = new Redis(port, '127.0.0.1');
  await new Promise((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
  });
  inner = createRedisReplayStore({ client });
} else {
  inner = createMemoryReplayStore();
}

let calls = 0;
let rememberMs = null;
const replayStore = {
  async remember(key, expiresAt) {
    const started = performance.now();
    const first = await inner.remember(`${key}\n${threadId}.${calls++}`, expiresAt);
    rememberMs?.push(performance.now() - started);
    return first;
  },
};

const candidate = await candidateNamed('saml-core').setup(benchCase.vector, { emulateNow: benchCase.emulateNow, replayStore });
const input = benchCase.inputs[benchCase.timed];
const validate = () => candidate.validate(input);
await runFor(validate, warmupMs);
parentPort.once('message', async () => {
  rememberMs = [];
  const { ops, elapsedMs } = await runFor(validate, durationMs);
  client?.disconnect();
  parentPort.postMessage({ ops, elapsedMs, rememberMs });
});
parentPort.postMessage('ready');
