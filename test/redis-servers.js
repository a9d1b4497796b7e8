// Real Redis servers for the tests and the benchmark: each started here on a free loopback port in
// a temp dir of its own (never a system service), and stopped at the end even on failure: stopAll()
// in an after hook, and SIGKILL of every server still running when the process exits for any reason.
//
// redis-server is Debian's (`apt-get install redis-server redis-tools`; .ci/run installs it). Without
// it the Redis suites print one line and do not run, so that a bare clone's `npm test` still passes;
// SAML_REDIS_REQUIRED=1 (set by .ci/run) makes a missing redis-server a failure instead.
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const running = new Set();
const dirs = new Set();

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** true when redis-server and redis-cli are on PATH; otherwise says so (one line) or, under SAML_REDIS_REQUIRED=1, throws. */
export function redisAvailable() {
  if (onPath('redis-server') && onPath('redis-cli')) return true;
  if (process.env.SAML_REDIS_REQUIRED === '1') throw new Error('redis tests: redis-server not found, and SAML_REDIS_REQUIRED=1 (.ci/run installs it with apt-get)');
  if (!redisAvailable.said) console.log('redis tests: not run (redis-server not found; .ci/run installs it)');
  redisAvailable.said = true;
  return false;
}

function killAllNow() {
  for (const child of running) {
    try {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    } catch {}
  }
  running.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAllNow();
    process.exit(128 + 2);
  });
}

/** A free loopback TCP port (asked of the kernel, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One RESP command over a fresh socket; resolves to the raw reply text. */
function rawCommand(port, args, timeoutMs = 500) {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const timer = setTimeout(() => socket.destroy(new Error('timeout')), timeoutMs);
    let reply = '';
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('data', (data) => {
      reply += data.toString('utf8');
      if (reply.endsWith('\r\n')) {
        clearTimeout(timer);
        socket.end();
        resolve(reply);
      }
    });
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join('')}`);
  });
}

async function waitFor(what, check, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {}
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A redis-server on a free loopback port, in its own temp dir. `aof`: appendonly yes +
 * appendfsync always (every acknowledged write is on disk). `replicaOf`: a read-only replica of
 * that port. `cluster`: cluster-enabled, with its bus
 * on a second free port. The handle can kill (any signal), restart on the same port and dir, stop.
 */
export async function startRedis({ aof = false, cluster = false, replicaOf = null, label = 'redis' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `saml-core-${label}-`));
  dirs.add(dir);
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--logfile', join(dir, 'redis.log')];
  args.push('--appendonly', aof ? 'yes' : 'no');
  if (aof) args.push('--appendfsync', 'always');
  if (replicaOf !== null) args.push('--replicaof', '127.0.0.1', String(replicaOf));
  if (cluster) args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-node-timeout', '1000', '--cluster-port', String(await freePort()));
  const handle = {
    port,
    dir,
    url: `redis://127.0.0.1:${port}`,
    child: null,
    async start() {
      const child = spawn('redis-server', args, { stdio: 'ignore' });
      handle.child = child;
      running.add(child);
      child.once('exit', () => running.delete(child));
      await waitFor(`redis-server on port ${port}`, async () => (await rawCommand(port, ['PING'])).startsWith('+PONG'));
    },
    /** Sends `signal` (default SIGKILL: a crash); resolves when a fatal one has ended the process. */
    kill(signal = 'SIGKILL') {
      const child = handle.child;
      if (child === null || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      return signal === 'SIGSTOP' || signal === 'SIGCONT' ? Promise.resolve() : exited;
    },
    restart() {
      return handle.start();
    },
    async stop() {
      await handle.kill('SIGCONT');
      await handle.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
  };
  await handle.start();
  return handle;
}

/** Three masters (no replicas) made one Redis Cluster with `redis-cli --cluster create` on loopback. */
export async function startCluster() {
  const nodes = await Promise.all([0, 1, 2].map((i) => startRedis({ cluster: true, label: `cluster${i}` })));
  execFileSync('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'ignore', timeout: 30_000 });
  for (const node of nodes) {
    await waitFor(`cluster_state:ok on port ${node.port}`, async () => (await rawCommand(node.port, ['CLUSTER', 'INFO'])).includes('cluster_state:ok'), 20_000);
    const myself = (await rawCommand(node.port, ['CLUSTER', 'NODES'])).split('\n').find((line) => line.includes('myself'));
    node.slots = myself.trim().split(' ').slice(8).map((range) => range.split('-').map(Number)).map(([from, to = from]) => [from, to]);
  }
  return {
    nodes,
    rootNodes: nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
    /** The node serving `key`'s slot (CLUSTER KEYSLOT asked of any live node). */
    async nodeOf(key) {
      for (const node of nodes) {
        try {
          const reply = await rawCommand(node.port, ['CLUSTER', 'KEYSLOT', key]);
          const slot = Number(/^:(\d+)/.exec(reply)[1]);
          return nodes.find((n) => n.slots.some(([from, to]) => slot >= from && slot <= to));
        } catch {}
      }
      throw new Error('no cluster node answers');
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}

/** Every server started and not yet stopped, stopped. */
export function stopAll() {
  killAllNow();
}
