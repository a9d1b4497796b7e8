/**
 * The in-memory replay store: remembers each accepted assertion (IdP entity + assertion ID) until
 * its NotOnOrAfter, so the same POST cannot log in twice. Memory is bounded: expired keys are swept
 * as new ones arrive, and when the store is full of live keys the one closest to expiry goes first
 * (the smallest replay window given up). Multi-process deployments need a shared store (Redis...).
 */
import { SamlError } from '../errors.js';
import type { ReplayStore } from '../types.js';

export function createMemoryReplayStore(options: { maxEntries?: number } = {}): ReplayStore {
  const maxEntries = options.maxEntries ?? 100_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new SamlError('CONFIG_INVALID', `Invalid configuration: maxEntries must be a positive integer; got ${String(maxEntries)}.`);
  }
  const expiries = new Map<string, number>();
  let nextSweep = 0;

  function sweep(now: number): void {
    for (const [key, expiresAt] of expiries) if (expiresAt <= now) expiries.delete(key);
    nextSweep = now + 1000;
  }

  function evictSoonest(): void {
    let soonestKey: string | undefined;
    let soonest = Infinity;
    for (const [key, expiresAt] of expiries) {
      if (expiresAt < soonest) {
        soonest = expiresAt;
        soonestKey = key;
      }
    }
    if (soonestKey !== undefined) expiries.delete(soonestKey);
  }

  return {
    // Synchronous body: check-and-set cannot interleave with another call, so it is atomic.
    async remember(key: string, expiresAt: Date): Promise<boolean> {
      const now = Date.now();
      const until = expiresAt.getTime();
      if (!Number.isFinite(until)) throw new SamlError('INVALID_INPUT', 'Replay store: expiresAt must be a valid Date.');
      const seen = expiries.get(key);
      if (seen !== undefined && seen > now) return false;
      if (now >= nextSweep || expiries.size >= maxEntries) sweep(now);
      if (expiries.size >= maxEntries) evictSoonest();
      expiries.set(key, until);
      return true;
    },
  };
}
