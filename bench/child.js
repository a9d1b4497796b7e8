/**
 * The measurements that need a fresh process or thread of their own.
 *
 * `case` is a loaded case (cases.js) without its functions: the vector, inputs and expectations.
 *
 * Memory (a child process, run with --expose-gc; the job { case, candidate, validations } as JSON on
 *   stdin): prints { heapAfterBaseline, heapAfterAll } in bytes, the heap used after global.gc()
 *   following the first 50 validations and following all of them.
 * Throughput (a worker thread, workerData { case, candidate, durationMs, warmupMs }): sets up, warms
 *   up, says 'ready', waits for 'start', validates for durationMs and posts { ops, elapsedMs }.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { candidateNamed } from './candidates.js';
import { MEMORY_BASELINE_VALIDATIONS, runFor } from './measure.js';

async function validator(job) {
  const benchCase = job.case;
  const candidate = await candidateNamed(job.candidate).setup(benchCase.vector, { emulateNow: benchCase.emulateNow });
  const input = benchCase.inputs[benchCase.timed];
  return benchCase.expected[benchCase.timed].valid ? () => candidate.validate(input) : () => candidate.validate(input).catch(() => null);
}

function heapAfterGc() {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
}

async function memory(job) {
  if (typeof global.gc !== 'function') throw new Error('run with --expose-gc');
  const validate = await validator(job);
  for (let i = 0; i < MEMORY_BASELINE_VALIDATIONS; i++) await validate();
  const heapAfterBaseline = heapAfterGc();
  for (let i = MEMORY_BASELINE_VALIDATIONS; i < job.validations; i++) await validate();
  const heapAfterAll = heapAfterGc();
  process.stdout.write(JSON.stringify({ heapAfterBaseline, heapAfterAll }));
}

async function throughput(job) {
  const validate = await validator(job);
  await runFor(validate, job.warmupMs ?? 300);
  parentPort.once('message', async () => parentPort.postMessage(await runFor(validate, job.durationMs)));
  parentPort.postMessage('ready');
}

async function stdin() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

if (isMainThread) await memory(JSON.parse(await stdin()));
else await throughput(workerData);
