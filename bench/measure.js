/**
 * How the benchmark times things. Every candidate is warmed up, then timed in interleaved rounds:
 * each round runs every candidate once (a batch of operations lasting about batchMs), in an order
 * rotated from round to round, so that a slow phase of the machine (the other tenant on a shared
 * box, a GC, thermal throttling) hits every candidate alike. Reported: the median time per
 * operation over the rounds, and the median of the per-round ratios to the baseline.
 */

export const MODES = {
  full: { warmupMs: 1000, batchMs: 300, rounds: 15, memoryValidations: 10_000, throughputMs: 3000, slowRounds: 3, rowTimeoutMs: 300_000 },
  quick: { warmupMs: 250, batchMs: 50, rounds: 4, memoryValidations: 200, throughputMs: 500, slowRounds: 1, rowTimeoutMs: 30_000 },
};
/** The memory measurement's first reading, after this many validations. */
export const MEMORY_BASELINE_VALIDATIONS = 50;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `fn` repeatedly for at least `ms` (and at least once); returns { ops, elapsedMs }. */
export async function runFor(fn, ms) {
  const start = performance.now();
  let ops = 0;
  let elapsedMs = 0;
  do {
    await fn();
    ops++;
    elapsedMs = performance.now() - start;
  } while (elapsedMs < ms);
  return { ops, elapsedMs };
}

/** µs per call of `fn` over `count` calls. */
async function batch(fn, count) {
  const start = performance.now();
  for (let i = 0; i < count; i++) await fn();
  return ((performance.now() - start) * 1000) / count;
}

/**
 * Times `entries` ([{ name, fn }]) against each other. Returns a Map name → { usPerOp, opsPerSec,
 * ratio (to `baseline`, or null), rounds (µs/op of each round), batch (operations per batch) }.
 */
export async function compare(entries, { warmupMs, batchMs, rounds }, baseline = null) {
  const batchSize = new Map();
  for (const { name, fn } of entries) {
    const { ops, elapsedMs } = await runFor(fn, warmupMs);
    batchSize.set(name, Math.max(1, Math.round((batchMs * ops) / elapsedMs)));
  }
  const times = new Map(entries.map(({ name }) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const shift = round % entries.length;
    for (const { name, fn } of [...entries.slice(shift), ...entries.slice(0, shift)]) {
      times.get(name).push(await batch(fn, batchSize.get(name)));
    }
  }
  const base = baseline !== null ? times.get(baseline) : undefined;
  const results = new Map();
  for (const [name, perRound] of times) {
    const usPerOp = median(perRound);
    results.set(name, {
      usPerOp,
      opsPerSec: 1e6 / usPerOp,
      ratio: base ? median(perRound.map((t, i) => t / base[i])) : null,
      rounds: perRound,
      batch: batchSize.get(name),
    });
  }
  return results;
}

/**
 * Worker threads of one all-core measurement: waits until each has said 'ready' (set up and warmed
 * up), tells all of them 'start' at once, and resolves to each one's result message. Terminates them.
 */
export async function startTogether(workers) {
  const next = (worker) =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  try {
    await Promise.all(workers.map(next));
    const done = workers.map(next);
    for (const worker of workers) worker.postMessage('start');
    return await Promise.all(done);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
