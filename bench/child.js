/**
 * The measurements that need a fresh process or thread of their own.
 *
 * Memory (a child process, run with --expose-gc):
 *   node --expose-gc bench/child.js '{"case":{"fixture":"okta-100"},"candidate":"saml-core","validations":10000}'
 *   prints { heapAfterBaseline, heapAfterAll } in bytes: heap used after global.gc() following the
 *   first 50 validations and following all of them.
 * Throughput (a worker thread, workerData { case, candidate, durationMs }): sets up, warms up, says
 *   'ready', waits for 'start', validates for durationMs and posts { ops, elapsedMs }.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { candidateNamed } from './candidates.js';
import { loadCase } from './cases.js';
import { MEMORY_BASELINE_VALIDATIONS, runFor } from './measure.js';

async function validator(job) {
  const benchCase = await loadCase(job.case);
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
  await runFor(validate, 300);
  parentPort.once('message', async () => parentPort.postMessage(await runFor(validate, job.durationMs)));
  parentPort.postMessage('ready');
}

if (isMainThread) await memory(JSON.parse(process.argv[2]));
else await throughput(workerData);
