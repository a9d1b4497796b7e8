// The Redis clients of the tests, their worker processes and the benchmark, and one validation's
// outcome as a word. Kept apart from redis-fixtures.js so that a worker process loads no test IdP.
import { validateResponse } from '../dist/index.js';

/** 'ACCEPTED', the SamlError code, or 'UNTYPED: message' (which no test allows). */
export function outcome(promise) {
  return promise.then(
    () => 'ACCEPTED',
    (error) => (error?.name === 'SamlError' && typeof error.code === 'string' ? error.code : `UNTYPED: ${error?.message ?? error}`),
  );
}

/** The error `promise` rejects with; throws when it resolves. */
export async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

export function validate(config, body, now) {
  return outcome(validateResponse(config, body, { now }));
}

const open = new Set();

/**
 * A connected client of `library` ('node-redis', 'ioredis', 'iovalkey') to `target`: { port } of a
 * standalone server or { rootNodes } of a cluster. Errors are the store's to report: the client's own
 * 'error' events are ignored (node-redis throws on an unhandled one). `reconnectMs`: a fixed delay
 * between reconnection attempts (the fault tests restart servers), instead of the library's backoff.
 */
export async function connect(library, target, { reconnectMs } = {}) {
  const quiet = (client) => {
    client.on('error', () => {});
    open.add(client);
    return client;
  };
  const fixed = reconnectMs === undefined ? {} : { retryStrategy: () => reconnectMs, clusterRetryStrategy: () => reconnectMs };
  if (library === 'node-redis') {
    // Each library is loaded when first asked for: a worker process loads only its own.
    const { createClient, createCluster } = await import('redis');
    const client = target.rootNodes
      ? createCluster({ rootNodes: target.rootNodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })) })
      : createClient({ url: `redis://127.0.0.1:${target.port}`, ...(reconnectMs === undefined ? {} : { socket: { reconnectStrategy: reconnectMs } }) });
    return quiet(client).connect();
  }
  const { Redis, Cluster } = await import(library === 'iovalkey' ? 'iovalkey' : 'ioredis');
  if (target.rootNodes) {
    const cluster = quiet(new Cluster(target.rootNodes, { ...fixed, redisOptions: fixed }));
    await new Promise((resolve, reject) => {
      cluster.once('ready', resolve);
      cluster.once('end', reject);
    });
    return cluster;
  }
  const client = quiet(new Redis(target.port, '127.0.0.1', fixed));
  await new Promise((resolve) => client.once('ready', resolve));
  return client;
}

export async function disconnect(client) {
  open.delete(client);
  if (typeof client.disconnect === 'function' && typeof client.status === 'string') client.disconnect();
  else if (client.isOpen) await client.destroy();
}

/** A client made elsewhere, disconnected by disconnectAll() like connect()'s. */
export function track(client) {
  client.on('error', () => {});
  open.add(client);
  return client;
}

/** Every client connect() made and not yet disconnected, disconnected (after hooks, even on failure). */
export async function disconnectAll() {
  for (const client of [...open]) await disconnect(client);
}
