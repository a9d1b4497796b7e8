/**
 * saml-core/redis: a replay store shared by every process and machine behind one ACS URL, on the
 * user's own Redis (or Valkey) client. Node-only (own `exports` subpath); the core never imports it.
 *
 * One atomic `SET <key> 1 NX PXAT <expiresAt>` per validation, never a read then a write: Redis
 * answers OK to exactly one of any number of concurrent calls for the same assertion. The key is
 * `<keyPrefix><sha256 hex of issuer "\n" assertionId>`: hostile IDs never reach key syntax, every key
 * has the same length, and each command touches one key (one slot: Redis Cluster works unchanged).
 *
 * Fail closed: an error of the client or the server (connection refused, closed client, READONLY
 * replica, too many cluster redirections...), an unexpected answer, or no answer within
 * `timeoutMs` rejects with SamlError REPLAY_STORE_FAILED naming the store and the cause; the login is
 * refused. docs/redis.md has the setup and what a non-persistent Redis loses on a restart.
 */
import { createHash } from 'node:crypto';
import { SamlError, show } from '../errors.js';
import type { ReplayStore } from '../types.js';

/** node-redis 5 (`redis`): `createClient()` or `createCluster()`, connected. */
export interface NodeRedisClient {
  set(key: string, value: string, options: { condition: 'NX'; expiration: { type: 'PXAT'; value: number } }): Promise<unknown>;
}

/** ioredis or iovalkey: `new Redis()` or `new Cluster()`. */
export interface IoRedisClient {
  set(key: string, value: string, expiration: 'PXAT', at: number, condition: 'NX'): Promise<unknown>;
}

export type RedisClientLibrary = 'node-redis' | 'ioredis';

export interface RedisReplayStoreOptions {
  /** The application's own connected client (or cluster client); the store never connects or closes it. */
  client: NodeRedisClient | IoRedisClient;
  /**
   * Which client API `client` speaks. Default: detected (ioredis and iovalkey clients have a
   * `status` string and a `call` method; node-redis clients have an `isOpen` boolean).
   * 'ioredis' also covers iovalkey.
   */
  library?: RedisClientLibrary;
  /** Default 'saml-core:replay:'. Avoid a `{hash tag}` in it: it would put every key in one Cluster slot. */
  keyPrefix?: string;
  /**
   * Default 2000: a SET not answered by then refuses the login (REPLAY_STORE_FAILED naming Redis).
   * Keep it below policy.replayStoreTimeoutMs (default 5000), the validator's own bound on any store,
   * so that this one, with the more precise message, fires first.
   */
  timeoutMs?: number;
}

export const DEFAULT_KEY_PREFIX = 'saml-core:replay:';
export const DEFAULT_TIMEOUT_MS = 2000;
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function createRedisReplayStore(options: RedisReplayStoreOptions): ReplayStore {
  if (typeof options !== 'object' || options === null) throw optionError('the options must be an object with a client', typeof options);
  const { client } = options;
  if (typeof client !== 'object' || client === null || typeof (client as { set?: unknown }).set !== 'function') {
    throw optionError('client must be a connected node-redis, ioredis or iovalkey client (an object with a set method)', client === null ? 'null' : typeof client);
  }
  const library = options.library ?? detectLibrary(client);
  if (library !== 'node-redis' && library !== 'ioredis') throw optionError('library must be "node-redis" or "ioredis"', show(String(library)));
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  if (typeof keyPrefix !== 'string') throw optionError('keyPrefix must be a string', typeof keyPrefix);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // setTimeout fires at once for a delay over 2^31 - 1 ms: such a timeout would refuse every login.
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 1 && timeoutMs <= MAX_TIMEOUT_MS)) throw optionError(`timeoutMs must be a number from 1 to ${MAX_TIMEOUT_MS}`, String(timeoutMs));

  const name = `the Redis replay store (${library} client, key prefix ${show(keyPrefix)})`;
  const setOnce =
    library === 'node-redis'
      ? (key: string, at: number) => (client as NodeRedisClient).set(key, '1', { condition: 'NX', expiration: { type: 'PXAT', value: at } })
      : (key: string, at: number) => (client as IoRedisClient).set(key, '1', 'PXAT', at, 'NX');

  return {
    async remember(key: string, expiresAt: Date): Promise<boolean> {
      const at = expiresAt instanceof Date ? expiresAt.getTime() : NaN;
      if (!Number.isFinite(at)) throw new SamlError('INVALID_INPUT', 'Replay store: expiresAt must be a valid Date.');
      const redisKey = keyPrefix + sha256Hex(key);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(failure(name, `no answer to SET within timeoutMs (${timeoutMs} ms)`)), timeoutMs);
      });
      let answer: unknown;
      try {
        // Promise.resolve().then: a client that throws synchronously is a rejection like any other.
        answer = await Promise.race([Promise.resolve().then(() => setOnce(redisKey, at)), timeout]);
      } catch (error) {
        if (error instanceof SamlError) throw error;
        throw failure(name, `SET failed: ${show(causeOf(error))}`);
      } finally {
        clearTimeout(timer);
      }
      if (answer === 'OK') return true;
      if (answer === null) return false;
      throw failure(name, `SET NX answered ${typeof answer === 'string' ? show(answer) : typeof answer}, neither OK nor null`);
    },
  };
}

function detectLibrary(client: object): RedisClientLibrary {
  const c = client as { status?: unknown; call?: unknown; isOpen?: unknown };
  if (typeof c.status === 'string' && typeof c.call === 'function') return 'ioredis';
  if (typeof c.isOpen === 'boolean') return 'node-redis';
  throw optionError('client is neither a node-redis client (isOpen) nor an ioredis/iovalkey one (status, call); name its API with the library option', 'an unknown client');
}

/** The error's message, after its class name unless that is plain Error (ReplyError, TypeError...). */
function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
}

function sha256Hex(text: string): string {
  let hex = '';
  for (const byte of createHash('sha256').update(text, 'utf8').digest()) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

function failure(name: string, cause: string): SamlError {
  return new SamlError(
    'REPLAY_STORE_FAILED',
    `${name}: ${cause}. The login is refused: replay protection fails closed.`,
    'Check the Redis server and the client connection (docs/redis.md); the login can be retried once Redis answers.',
  );
}

function optionError(expected: string, got: string): SamlError {
  return new SamlError('CONFIG_INVALID', `Invalid configuration: createRedisReplayStore: ${expected}; got ${got}.`);
}
