// saml-core/redis when the server misbehaves, on real redis-servers (test/redis-servers.js): a stall
// (SIGSTOP) hits the timeout; a crash (SIGKILL) mid-run fails every validation in flight and after it,
// and accepts none; an AOF server (appendfsync always) restarted still knows every assertion it
// accepted; a server without persistence forgets them (the replay window docs/redis.md describes).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { validateResponse } from '../dist/index.js';
import { createRedisReplayStore } from '../dist/node/redis-replay-store.js';
import { generateTestCredentials } from '../dist/node/test-idp.js';
import { connect, disconnectAll, rejection, validate } from './redis-clients.js';
import { samlConfig, signedBodies } from './redis-fixtures.js';
import { redisAvailable, startRedis, stopAll } from './redis-servers.js';

const LIBRARIES = ['node-redis', 'ioredis'];
const TIMEOUT_MS = 250;

/** What `fn` resolves to while `server` is stopped (SIGSTOP); SIGCONT after, even on failure. */
async function whileStopped(server, fn) {
  await server.kill('SIGSTOP');
  try {
    return await fn();
  } finally {
    await server.kill('SIGCONT');
  }
}

const ready = (client) => (typeof client.status === 'string' ? client.status === 'ready' : client.isReady);
async function untilReady(client) {
  for (let i = 0; i < 500 && !ready(client); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ready(client), 'the client reconnected');
}

if (redisAvailable()) {
  const credentials = await generateTestCredentials({ commonName: 'redis faults idp' });
  const now = new Date();
  let serial = 0;
  const fresh = (count) => signedBodies(credentials, now, count, `idF${++serial}x`);
  const test = suite('redis faults');
  let aof;
  let volatile;
  const clients = {};
  test.before(async () => {
    [aof, volatile] = await Promise.all([startRedis({ aof: true, label: 'aof' }), startRedis({ label: 'volatile' })]);
    for (const library of LIBRARIES) clients[library] = await connect(library, { port: aof.port }, { reconnectMs: 20 });
  });
  test.after(async () => {
    await disconnectAll();
    stopAll();
  });

  for (const library of LIBRARIES) {
    test(`stall (${library}): a SIGSTOPped server hits timeoutMs: REPLAY_STORE_FAILED; after SIGCONT logins work and the stalled assertion is a replay`, async () => {
      const config = { ...samlConfig(credentials.certificatePem), replayStore: createRedisReplayStore({ client: clients[library], timeoutMs: TIMEOUT_MS }) };
      const [stalled, next] = fresh(2);
      const error = await whileStopped(aof, () => rejection(validateResponse(config, stalled, { now })));
      assert.is(error.code, 'REPLAY_STORE_FAILED');
      assert.is(error.message, `the Redis replay store (${library} client, key prefix "saml-core:replay:"): no answer to SET within timeoutMs (${TIMEOUT_MS} ms). The login is refused: replay protection fails closed.`);
      assert.is(await validate(config, next, now), 'ACCEPTED');
      // The SET reached the server before it stopped and ran when it went on: the refused login cannot come back.
      assert.is(await validate(config, stalled, now), 'REPLAYED');
    });
  }

  test('the two timeouts: policy.replayStoreTimeoutMs below the store timeoutMs fires first and says so', async () => {
    const config = { ...samlConfig(credentials.certificatePem, { replayStoreTimeoutMs: 100 }), replayStore: createRedisReplayStore({ client: clients.ioredis }) };
    const [body] = fresh(1);
    const error = await whileStopped(aof, () => rejection(validateResponse(config, body, { now })));
    assert.is(error.code, 'REPLAY_STORE_FAILED');
    assert.match(error.message, /answered nothing within policy\.replayStoreTimeoutMs \(100 ms\)\. The login is refused/);
  });

  for (const library of LIBRARIES) {
    test(`crash mid-run (${library}, AOF): every validation in flight and after is REPLAY_STORE_FAILED, none accepted; after the restart every assertion accepted before is REPLAYED`, async () => {
      const client = clients[library];
      // A short timeout while the server is down keeps the run short; the checks after the restart use the default.
      const config = { ...samlConfig(credentials.certificatePem), replayStore: createRedisReplayStore({ client, timeoutMs: 100 }) };
      const patient = { ...config, replayStore: createRedisReplayStore({ client }) };
      // A stream of logins, 8 at a time; the server dies (SIGKILL) after the 16th acceptance.
      const bodies = fresh(40);
      const results = [];
      let next = 0;
      let killedAt = Infinity;
      let killing = null;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < bodies.length) {
            const i = next++;
            const startedAt = performance.now();
            const result = await validate(config, bodies[i], now);
            results.push({ i, startedAt, result });
            if (killing === null && results.filter((r) => r.result === 'ACCEPTED').length >= 16) {
              killing = aof.kill('SIGKILL').then(() => (killedAt = performance.now()));
              await killing;
            }
          }
        }),
      );
      const accepted = results.filter((r) => r.result === 'ACCEPTED');
      assert.ok(accepted.length >= 16, `${accepted.length} accepted`);
      for (const { i, startedAt, result } of results) {
        assert.ok(result === 'ACCEPTED' || result === 'REPLAY_STORE_FAILED', `assertion ${i}: ${result}`);
        if (startedAt > killedAt) assert.is(result, 'REPLAY_STORE_FAILED', `assertion ${i}, started after the crash`);
      }
      assert.ok(results.filter((r) => r.startedAt > killedAt).length >= 8, 'validations after the crash');

      // In flight for certain: the server stopped, then killed, while SETs wait for it.
      const inFlight = fresh(8);
      await aof.restart();
      await untilReady(client);
      await aof.kill('SIGSTOP');
      const pending = inFlight.map((body) => validate(config, body, now));
      await new Promise((r) => setTimeout(r, 50));
      await aof.kill('SIGKILL');
      assert.equal(await Promise.all(pending), inFlight.map(() => 'REPLAY_STORE_FAILED'));

      // Restarted on the same AOF: every acceptance before the crash is still known.
      await aof.restart();
      await untilReady(client);
      for (const { i } of accepted) assert.is(await validate(patient, bodies[i], now), 'REPLAYED', `assertion ${i} after the restart`);
      assert.is(await validate(patient, fresh(1)[0], now), 'ACCEPTED');
    });
  }

  test('a server without persistence forgets on restart: an assertion accepted before is accepted again (the replay window of docs/redis.md)', async () => {
    const client = await connect('ioredis', { port: volatile.port }, { reconnectMs: 20 });
    const config = { ...samlConfig(credentials.certificatePem), replayStore: createRedisReplayStore({ client, timeoutMs: TIMEOUT_MS }) };
    const [body] = fresh(1);
    assert.is(await validate(config, body, now), 'ACCEPTED');
    assert.is(await validate(config, body, now), 'REPLAYED');
    // No login while it is down (a SET sent then would reach the new server from the client's queue).
    await volatile.kill('SIGKILL');
    await volatile.restart();
    await untilReady(client);
    assert.is(await validate(config, body, now), 'ACCEPTED');
  });

  test.run();
}
