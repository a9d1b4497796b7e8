// saml-core/redis's fail-closed checks (dist/node/redis-replay-store.js), validateResponse's
// pass-through of a store's own REPLAY_STORE_FAILED, and the certificate cache bound the tenants test
// measures. `tests`: the test files (a pattern) run against the mutant, instead of every test file
// but the Redis and tenants suites (run.js): a mutant a subset of the suite kills is killed by the
// whole suite, and one the subset misses is reported SURVIVED, never wrongly killed. Each is run
// against the one real-server suite that checks it, so these mutants cost seconds, not minutes.
const STORE = 'node/redis-replay-store.js';
const REDIS = '^redis\\.test\\.js$';
const FAULTS = '^redis-faults\\.test\\.js$';

export const REDIS_MUTATIONS = [
  { name: 'redis: SET only if absent (NX), node-redis', file: STORE, from: "{ condition: 'NX', expiration: { type: 'PXAT', value: at } }", to: "{ expiration: { type: 'PXAT', value: at } }", tests: REDIS },
  { name: 'redis: SET only if absent (NX), ioredis', file: STORE, from: "client.set(key, '1', 'PXAT', at, 'NX')", to: "client.set(key, '1', 'PXAT', at)", tests: REDIS },
  { name: 'redis: the key expires with the assertion, node-redis', file: STORE, from: "value: at }", to: 'value: at + 3600000 }', tests: REDIS },
  { name: 'redis: the key expires with the assertion, ioredis', file: STORE, from: "'PXAT', at, 'NX'", to: "'PXAT', at + 3600000, 'NX'", tests: REDIS },
  { name: 'redis: keys are hashed, never the raw ID', file: STORE, from: 'const redisKey = keyPrefix + sha256Hex(key);', to: 'const redisKey = keyPrefix + key;', tests: REDIS },
  { name: 'redis: only OK is a first use', file: STORE, from: "if (answer === 'OK')", to: 'if (answer)', tests: REDIS },
  { name: 'redis: only null is a replay, any other reply fails', file: STORE, from: 'if (answer === null)', to: "if (answer !== 'OK')", tests: REDIS },
  { name: 'redis: a client or server error fails closed', file: STORE, from: 'throw failure(name, `SET failed: ${show(causeOf(error))}`);', to: 'answer = null;', tests: REDIS },
  { name: 'redis: timeoutMs bounds the wait', file: STORE, from: 'timer = setTimeout(() => reject(', to: 'timer = setTimeout(() => void (', tests: FAULTS },
  { name: 'replay store: its own REPLAY_STORE_FAILED passes unchanged', file: 'saml/validate.js', from: 'if (answer instanceof SamlError)', to: 'if (false)', tests: REDIS },
  { name: 'replay store: only REPLAY_STORE_FAILED passes unchanged', file: 'saml/validate.js', from: "if (error instanceof SamlError && error.code === 'REPLAY_STORE_FAILED')", to: 'if (error instanceof SamlError)' },
  { name: 'certificate cache bounded (tenants)', file: 'cache.js', from: 'if (this.entries.size >= this.max)', to: 'if (false)', tests: '^tenants\\.test\\.js$' },
];
