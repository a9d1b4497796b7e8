/**
 * The replay-store row: saml-core's validations per second on all cores with the Redis replay store
 * (saml-core/redis, ioredis, on a redis-server this benchmark starts and stops on a free loopback
 * port: without persistence, and with appendonly yes + appendfsync always) against the memory store,
 * and the latency each store adds (remember() timed in every validation: p50 and p99). One worker
 * thread per core, each with its own client (bench/replay-store-child.js). The redis-server shares
 * the cores with the workers, as it would on a one-box deployment.
 *
 * Without redis-server on PATH the row is not run and says so (under SAML_REDIS_REQUIRED=1, as in
 * .ci/run, that is a failure).
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { redisAvailable, startRedis, stopAll } from '../test/redis-servers.js';
import { startTogether } from './measure.js';

const CHILD = fileURLToPath(new URL('./replay-store-child.js', import.meta.url));

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(benchCase, store, port, { throughputMs: durationMs, warmupMs }) {
  const threads = availableParallelism();
  const workers = Array.from({ length: threads }, () => new Worker(CHILD, { workerData: { case: benchCase, store, port, durationMs, warmupMs: 2 * warmupMs } }));
  const results = await startTogether(workers);
  const rememberMs = results.flatMap((r) => r.rememberMs).sort((a, b) => a - b);
  return {
    threads,
    validationsPerSecond: results.reduce((sum, r) => sum + (r.ops * 1000) / r.elapsedMs, 0),
    rememberP50Us: percentile(rememberMs, 50) * 1000,
    rememberP99Us: percentile(rememberMs, 99) * 1000,
  };
}

/** { rows: [{ store, threads, validationsPerSecond, rememberP50Us, rememberP99Us }] } or { notRun: reason }. */
export async function runReplayStores(benchCase, settings, log) {
  if (!redisAvailable()) return { notRun: 'redis-server not found (.ci/run installs it)' };
  const rows = [];
  try {
    log('  replay store: memory');
    rows.push({ store: 'memory', ...(await run(benchCase, 'memory', null, settings)) });
    for (const aof of [false, true]) {
      const server = await startRedis({ aof, label: 'bench' });
      const store = aof ? 'Redis, appendfsync always' : 'Redis, no persistence';
      log(`  replay store: ${store} (port ${server.port})`);
      try {
        rows.push({ store, ...(await run(benchCase, 'redis', server.port, settings)) });
      } finally {
        await server.stop();
      }
    }
  } finally {
    stopAll();
  }
  return { rows };
}
