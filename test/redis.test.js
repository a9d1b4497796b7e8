// saml-core/redis against a real redis-server (test/redis-servers.js), with each client library:
// node-redis 5, ioredis and iovalkey. First use and replay through validateResponse, the key
// (prefix + SHA-256, never the raw ID), the expiry (PTTL, no sleeping), the options, and the
// fail-closed answers to a closed client, an unreachable server, a READONLY replica and a reply
// that is neither OK nor null. Stalls, crashes and restarts: redis-faults.test.js; many processes
// and the Cluster: redis-concurrency.test.js; the subpath and its types: redis-package.test.js.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRedisReplayStore } from '../dist/node/redis-replay-store.js';
import { generateTestCredentials } from '../dist/node/test-idp.js';
import { connect, disconnectAll, rejection, track, validate } from './redis-clients.js';
import { ISSUER, redisKey, samlConfig, signedBodies } from './redis-fixtures.js';
import { freePort, redisAvailable, startRedis, stopAll } from './redis-servers.js';

const LIBRARIES = ['node-redis', 'ioredis', 'iovalkey'];

if (redisAvailable()) {
  const credentials = await generateTestCredentials({ commonName: 'redis test idp' });
  const now = new Date();
  const test = suite('redis replay store');
  let server;
  let admin;
  const clients = {};
  test.before(async () => {
    server = await startRedis({ label: 'standalone' });
    admin = await connect('ioredis', { port: server.port });
    for (const library of LIBRARIES) clients[library] = await connect(library, { port: server.port });
  });
  test.after(async () => {
    await disconnectAll();
    stopAll();
  });

  for (const library of LIBRARIES) {
    test(`replay refused (${library}): the first presentation is accepted, the same assertion again is REPLAYED, from a second store too`, async () => {
      const [body] = signedBodies(credentials, now, 1, `idU${library.replace('-', '')}`);
      const config = { ...samlConfig(credentials.certificatePem), replayStore: createRedisReplayStore({ client: clients[library] }) };
      assert.is(await validate(config, body, now), 'ACCEPTED');
      assert.is(await validate(config, body, now), 'REPLAYED');
      // Another library's store on the same server: the same key, so the same answer.
      const other = LIBRARIES.find((l) => l !== library);
      assert.is(await validate({ ...config, replayStore: createRedisReplayStore({ client: clients[other] }) }, body, now), 'REPLAYED');
      const key = redisKey(`idU${library.replace('-', '')}a0`);
      assert.is(await admin.get(key), '1');
    });
  }

  test('the key is the prefix and the SHA-256 hex of issuer "\\n" assertion ID: hostile text never reaches key syntax', async () => {
    const store = createRedisReplayStore({ client: clients.ioredis, keyPrefix: 'tenant-7:' });
    const hostile = 'x\r\n*3\r\n$3\r\nDEL\r\n{slot}* ?[a]';
    assert.is(await store.remember(`${ISSUER}\n${hostile}`, new Date(Date.now() + 60_000)), true);
    assert.equal(await admin.keys('tenant-7:*'), [redisKey(hostile, 'tenant-7:')]);
    assert.match(redisKey(hostile, 'tenant-7:'), /^tenant-7:[0-9a-f]{64}$/);
    // issuer "\n" ID is one string: another split of the same characters is another key.
    assert.is(await store.remember(`${ISSUER}\nx`, new Date(Date.now() + 60_000)), true);
    assert.is(await store.remember(`${ISSUER}\nx`, new Date(Date.now() + 60_000)), false);
  });

  test('expiry: the key lives exactly the assertion lifetime plus the clock skew (PTTL, no sleeping)', async () => {
    // Okta's SubjectConfirmationData and Conditions NotOnOrAfter are now + 5 minutes.
    for (const [library, skewSeconds, expected] of [['node-redis', 60, 360_000], ['ioredis', 0, 300_000], ['iovalkey', 180, 480_000]]) {
      const [body] = signedBodies(credentials, now, 1, `idE${skewSeconds}`);
      const config = { ...samlConfig(credentials.certificatePem, { clockSkewSeconds: skewSeconds }), replayStore: createRedisReplayStore({ client: clients[library] }) };
      const before = Date.now();
      assert.is(await validate(config, body, now), 'ACCEPTED');
      const pttl = await admin.pttl(redisKey(`idE${skewSeconds}a0`));
      const elapsed = Date.now() - before;
      assert.ok(pttl <= expected && pttl >= expected - elapsed - 5, `${library}, skew ${skewSeconds} s: PTTL ${pttl} ms, expected ${expected} ms less the ${elapsed} ms this took`);
    }
  });

  test('options: a client is required, its API is detected or named, and bad options are CONFIG_INVALID', async () => {
    for (const bad of [undefined, null, {}, { client: null }, { client: {} }, { client: { set: 1 } }, { client: clients.ioredis, timeoutMs: 0 }, { client: clients.ioredis, timeoutMs: Infinity }, { client: clients.ioredis, timeoutMs: 2 ** 31 }, { client: clients.ioredis, timeoutMs: NaN }, { client: clients.ioredis, keyPrefix: 7 }, { client: clients.ioredis, library: 'memcached' }]) {
      const error = await rejection((async () => createRedisReplayStore(bad))());
      assert.is(error.code, 'CONFIG_INVALID', JSON.stringify(bad));
      assert.match(error.message, /createRedisReplayStore/);
    }
    // A wrapper has no tell-tale properties: it must name its API.
    const wrapper = { set: (...args) => clients.ioredis.set(...args) };
    assert.match((await rejection((async () => createRedisReplayStore({ client: wrapper }))())).message, /library option/);
    const store = createRedisReplayStore({ client: wrapper, library: 'ioredis' });
    assert.is(await store.remember('wrapped\n1', new Date(Date.now() + 60_000)), true);
    assert.is(await store.remember('wrapped\n1', new Date(Date.now() + 60_000)), false);
    // The wrong API named is a failure, never an acceptance.
    const wrong = createRedisReplayStore({ client: clients.ioredis, library: 'node-redis' });
    assert.is((await rejection(wrong.remember('wrong api\n1', new Date(Date.now() + 60_000)))).code, 'REPLAY_STORE_FAILED');
    assert.is((await rejection(store.remember('bad date\n1', new Date(NaN)))).code, 'INVALID_INPUT');
  });

  test('fail closed: a reply that is neither OK nor null is REPLAY_STORE_FAILED, never an acceptance', async () => {
    for (const reply of ['QUEUED', 1, true, undefined, {}]) {
      const store = createRedisReplayStore({ client: { set: async () => reply }, library: 'ioredis' });
      const error = await rejection(store.remember('odd\n1', new Date(Date.now() + 60_000)));
      assert.is(error.code, 'REPLAY_STORE_FAILED', String(reply));
      assert.match(error.message, /^the Redis replay store \(ioredis client, key prefix "saml-core:replay:"\): SET NX answered .*, neither OK nor null\. The login is refused/);
    }
    const throwing = createRedisReplayStore({ client: { set: () => { throw new TypeError('boom'); } }, library: 'node-redis' });
    assert.match((await rejection(throwing.remember('odd\n2', new Date(Date.now() + 60_000)))).message, /SET failed: "TypeError: boom"/);
  });

  test('fail closed: a closed node-redis client is REPLAY_STORE_FAILED naming the store and the cause, through validateResponse', async () => {
    const closed = await connect('node-redis', { port: server.port });
    await closed.destroy();
    const [body] = signedBodies(credentials, now, 1, 'idClosed');
    const config = { ...samlConfig(credentials.certificatePem), replayStore: createRedisReplayStore({ client: closed }) };
    const { validateResponse } = await import('../dist/index.js');
    const error = await rejection(validateResponse(config, body, { now }));
    assert.is(error.code, 'REPLAY_STORE_FAILED');
    assert.match(error.message, /^the Redis replay store \(node-redis client, key prefix "saml-core:replay:"\): SET failed: "The client is closed"\. The login is refused: replay protection fails closed\.$/);
    assert.match(error.hint, /docs\/redis\.md/);
  });

  test('fail closed: no server on the port (connection refused) is REPLAY_STORE_FAILED within timeoutMs, for each library', async () => {
    const port = await freePort();
    const { Redis } = await import('ioredis');
    const { createClient } = await import('redis');
    const refused = [new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => 50 }), createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: 50 } })].map(track);
    const ioFast = track(new Redis(port, '127.0.0.1', { enableOfflineQueue: false, retryStrategy: () => 50 }));
    for (const client of [...refused, ioFast]) {
      if (client.connect && client.isOpen === false) client.connect().catch(() => {});
      const store = createRedisReplayStore({ client, timeoutMs: 200 });
      const error = await rejection(store.remember('refused\n1', new Date(Date.now() + 60_000)));
      assert.is(error.code, 'REPLAY_STORE_FAILED');
      assert.match(error.message, client === ioFast ? /SET failed: .*enableOfflineQueue/ : /no answer to SET within timeoutMs \(200 ms\)/);
    }
  });

  test('fail closed: a READONLY replica is REPLAY_STORE_FAILED naming READONLY', async () => {
    const replica = await startRedis({ label: 'replica', replicaOf: server.port });
    const client = await connect('node-redis', { port: replica.port });
    const error = await rejection(createRedisReplayStore({ client }).remember('replica\n1', new Date(Date.now() + 60_000)));
    assert.is(error.code, 'REPLAY_STORE_FAILED');
    assert.match(error.message, /SET failed: .*READONLY You can't write against a read only replica/);
  });

  test.run();
}
