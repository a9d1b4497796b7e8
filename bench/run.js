#!/usr/bin/env node
/**
 * The peer benchmark: saml-core against node-saml, samlify, @boxyhq/saml20 and the raw xml-crypto
 * baseline (bench/README.md).
 *
 *   npm run bench                                  # every fixture, full run
 *   npm run bench -- --quick                       # a short run (CI smoke: --quick --fixtures okta-5)
 *   npm run bench -- --fixtures okta-5,azure-1000  # some fixtures
 *   npm run bench -- --vector FILE [--vector FILE] # any vector in the shared format
 *   npm run bench -- --rounds 25 --json out.json   # more rounds; the results as JSON too
 *   npm run bench -- --quick --adversarial         # the adversarial table only (hostile 1 MiB bodies)
 *
 * Markdown tables go to stdout, progress to stderr. Exits non-zero when saml-core or the baseline
 * gives a wrong verdict on a fixture (rejects the valid one, returns another NameID, or accepts a
 * tampered copy), or when saml-core accepts a hostile body of the adversarial table.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { TARGET, adversarialFailures, overTarget, runAdversarial } from './adversarial.js';
import { BASELINE, CANDIDATES, REQUIRED_TO_PASS } from './candidates.js';
import { loadCase } from './cases.js';
import { FIXTURE_NAMES, SHAPES, SIZES } from './fixtures.js';
import { MEMORY_BASELINE_VALIDATIONS, MODES, compare, startTogether } from './measure.js';
import { caseTable, configurationList, mib, micros, perSecond, ratio, table } from './report.js';
import { runReplayStores } from './replay-store.js';
import { inspectTable } from './inspect.js';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));
const startedAt = performance.now();
const log = (message) => process.stderr.write(`[${((performance.now() - startedAt) / 1000).toFixed(1)} s] ${message}\n`);
const print = (text = '') => process.stdout.write(`${text}\n`);
const messageOf = (error) => (error instanceof Error ? `${error.code ? `${error.code}: ` : ''}${error.message}` : String(error));

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      fixtures: { type: 'string' },
      vector: { type: 'string', multiple: true, default: [] },
      rounds: { type: 'string' },
      json: { type: 'string' },
      adversarial: { type: 'boolean', default: false },
      encrypted: { type: 'boolean', default: false },
      inspect: { type: 'boolean', default: false },
      'baseline-dist': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    print('usage: node bench/run.js [--quick] [--fixtures a,b] [--vector FILE]... [--rounds N] [--json FILE] [--adversarial] [--encrypted] [--inspect [--baseline-dist DIR]]');
    print(`fixtures: ${FIXTURE_NAMES.join(', ')}`);
    process.exit(0);
  }
  const alone = values.adversarial || values.encrypted || values.inspect;
  const fixtures = values.fixtures ? values.fixtures.split(',').map((s) => s.trim()).filter(Boolean) : values.vector.length || alone ? [] : FIXTURE_NAMES;
  for (const name of fixtures) if (!FIXTURE_NAMES.includes(name)) throw new Error(`unknown fixture ${name}; known: ${FIXTURE_NAMES.join(', ')}`);
  const settings = { ...MODES[values.quick ? 'quick' : 'full'] };
  if (values.rounds !== undefined) {
    settings.rounds = Number(values.rounds);
    if (!Number.isInteger(settings.rounds) || settings.rounds < 1) throw new Error('--rounds takes a positive integer');
  }
  const specs = [...fixtures.map((fixture) => ({ fixture })), ...values.vector.map((vector) => ({ vector }))];
  // The adversarial table runs in every run that includes all fixtures, and alone with --adversarial.
  const everything = !values.fixtures && !values.vector.length && !alone;
  const adversarial = values.adversarial || everything;
  // So do the encrypted-assertion table (alone with --encrypted) and the inspectResponse table (--inspect).
  const encrypted = values.encrypted || everything;
  const inspect = values.inspect || everything || values['baseline-dist'] !== undefined;
  return { mode: values.quick ? 'quick' : 'full', settings, specs, json: values.json, adversarial, encrypted, inspect, baselineDist: values['baseline-dist'] };
}

const versionOf = (name) => JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;

// ---------------------------------------------------------------------------------------------
// One case: verdicts on every input, then timing
// ---------------------------------------------------------------------------------------------

async function judge(validator, input, expected) {
  try {
    const { nameId } = await validator.validate(input);
    return { expected, accepted: true, nameId, nameIdOk: expected.nameId === undefined || nameId === expected.nameId };
  } catch (error) {
    return { expected, accepted: false, error: messageOf(error) };
  }
}

const isRight = (v) => (v.expected.valid ? v.accepted && v.nameIdOk : !v.accepted);

async function runCase(benchCase, settings) {
  const candidates = [];
  for (const candidate of CANDIDATES) {
    const entry = { name: candidate.name, label: candidate.label ?? candidate.name, settings: [], unmapped: [], verdicts: {}, timing: null, error: null };
    candidates.push(entry);
    let validator;
    try {
      validator = await candidate.setup(benchCase.vector, { emulateNow: benchCase.emulateNow });
    } catch (error) {
      entry.error = `setup failed: ${messageOf(error)}`;
      continue;
    }
    Object.assign(entry, { settings: validator.settings, unmapped: validator.unmapped });
    Object.defineProperty(entry, 'validator', { value: validator, enumerable: false });
    for (const [label, input] of Object.entries(benchCase.inputs)) {
      entry.verdicts[label] = await judge(validator, input, benchCase.expected[label]);
    }
    const timed = entry.verdicts[benchCase.timed];
    if (!isRight(timed)) {
      entry.error = timed.expected.valid ? (timed.accepted ? `returned NameID ${JSON.stringify(timed.nameId)}` : timed.error) : 'accepted what it should reject';
      continue;
    }
    const input = benchCase.inputs[benchCase.timed];
    // A negative vector's rejection is what gets timed.
    const fn = timed.expected.valid ? () => validator.validate(input) : rejecting(validator, input);
    Object.defineProperty(entry, 'fn', { value: fn, enumerable: false });
  }
  const timed = candidates.filter((c) => c.fn);
  log(`  timing ${timed.map((c) => c.name).join(', ')} (${settings.rounds} rounds)`);
  const baseline = timed.some((c) => c.name === BASELINE) ? BASELINE : null;
  const timings = await compare(
    timed.map((c) => ({ name: c.name, fn: c.fn })),
    settings,
    baseline,
  );
  for (const c of timed) c.timing = timings.get(c.name);
  return { name: benchCase.name, spec: benchCase.spec, timed: benchCase.timed, candidates };
}

function rejecting(validator, input) {
  return async () => {
    try {
      await validator.validate(input);
    } catch {
      // the expected outcome
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Extra measurements
// ---------------------------------------------------------------------------------------------

/** Runs node with `args`, `input` on its stdin; resolves to its stdout. */
function runChild(args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`));
      else resolve(stdout);
    });
    child.stdin.end(input);
  });
}

/** Heap readings don't depend on CPU time, so the child processes run one per core at once. */
async function memory(benchCase, names, validations) {
  const measureOne = async (candidate) => {
    log(`  memory: ${candidate}, ${validations} validations`);
    try {
      const stdout = await runChild(['--expose-gc', CHILD], JSON.stringify({ case: benchCase, candidate, validations }));
      const { heapAfterBaseline, heapAfterAll } = JSON.parse(stdout);
      return { candidate, validations, heapAfterBaseline, heapAfterAll, growth: heapAfterAll - heapAfterBaseline };
    } catch (error) {
      return { candidate, validations, error: messageOf(error).slice(0, 300) };
    }
  };
  const rows = new Array(names.length);
  let next = 0;
  const lane = async () => {
    while (next < names.length) {
      const i = next++;
      rows[i] = await measureOne(names[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), names.length) }, lane));
  return rows;
}

/** Each worker warms up for twice the mode's warm-up: a fresh isolate starts with cold code. */
async function throughput(benchCase, names, { throughputMs: durationMs, warmupMs: mainWarmupMs }) {
  const warmupMs = 2 * mainWarmupMs;
  const threads = availableParallelism();
  const rows = [];
  for (const candidate of names) {
    log(`  throughput: ${candidate}, ${threads} worker threads`);
    const workers = Array.from({ length: threads }, () => new Worker(CHILD, { workerData: { case: benchCase, candidate, durationMs, warmupMs } }));
    try {
      const results = await startTogether(workers);
      const perSecondTotal = results.reduce((sum, r) => sum + (r.ops * 1000) / r.elapsedMs, 0);
      rows.push({ candidate, threads, validationsPerSecond: perSecondTotal });
    } catch (error) {
      rows.push({ candidate, threads, error: messageOf(error) });
    }
  }
  return rows;
}

async function authnRequests(caseResult, settings) {
  const entries = caseResult.candidates
    .filter((c) => c.validator?.authnRequest)
    .map((c) => ({ name: c.name, fn: c.validator.authnRequest }));
  const timings = await compare(entries, settings, null);
  return entries.map(({ name }) => ({ candidate: name, usPerCall: timings.get(name).usPerOp, callsPerSecond: timings.get(name).opsPerSec }));
}

/**
 * Time versus size: for each candidate and shape, its fixtures of every size timed against each
 * other in the same interleaved rounds (the fixture tables time them minutes apart, and absolute
 * times on a shared machine drift). Reports µs/op per size and the median per-round ratio of the
 * 1000-attribute to the 100-attribute time.
 */
async function sizeScaling(caseResults, settings) {
  const byName = new Map(caseResults.map((r) => [r.name, r]));
  const out = [];
  for (const shape of SHAPES) {
    const present = SIZES.filter((size) => byName.has(`${shape}-${size}`));
    if (present.length < 2) continue;
    for (const { name } of CANDIDATES) {
      const entries = present.map((size) => ({ name: String(size), fn: byName.get(`${shape}-${size}`).candidates.find((c) => c.name === name)?.fn }));
      if (entries.some((e) => !e.fn)) continue; // not timed on every size (a wrong verdict, reported above)
      log(`  time versus size: ${name}, ${shape}`);
      const timings = await compare(entries, settings, present.includes(100) ? '100' : null);
      const usPerOp = Object.fromEntries(present.map((size) => [size, timings.get(String(size)).usPerOp]));
      const ratio1000to100 = present.includes(1000) && present.includes(100) ? timings.get('1000').ratio : null;
      out.push({ shape, candidate: name, usPerOp, ratio1000to100 });
    }
  }
  return out;
}

/** The adversarial table (adversarial.js): every hostile body beside the normal 1 MiB response. */
function adversarialTable({ normal, rows }) {
  const over = rows.filter(overTarget);
  const lines = [
    '## Adversarial inputs (hostile bodies just under the 1 MiB body limit)',
    '',
    `Each hostile body is validated by saml-core beside the normal response (${normal.name}, ${normal.bytes.toLocaleString('en-US')}-byte body) in the same interleaved rounds; × normal is the median per-round ratio. Target: at most ${TARGET}× the normal response. "limits raised": policy.xmlLimits at 10,000,000 each, to show the canonicalizer's own cost. A row slower than 1 s is timed in fewer single-call rounds (rounds column).`,
    '',
    table(
      ['group', 'hostile input', 'limits', 'body bytes', 'µs/op', '× normal', 'verdict', `≤ ${TARGET}×`, 'rounds'],
      [
        ['baseline', `normal signed response (${normal.name})`, 'default', normal.bytes.toLocaleString('en-US'), micros(normal.usPerOp), '1.00×', 'valid ✓', '—', '—'],
        ...rows.map((r) => [r.group, r.name, r.limits, r.bytes.toLocaleString('en-US'), micros(r.usPerOp), ratio(r.ratio), r.verdict.accepted ? '**ACCEPTED!**' : r.verdict.code, overTarget(r) ? '**OVER TARGET**' : 'yes', String(r.rounds)]),
      ],
    ),
    '',
    over.length === 0
      ? `Every hostile body within ${TARGET}× the normal response.`
      : `OVER TARGET (${over.length}): ${over.map((r) => `${r.group}: ${r.name} (limits ${r.limits}) ${r.unfinished ? r.verdict.code : ratio(r.ratio)}`).join('; ')}.`,
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

// The same Okta login, plain and with its signed Assertion encrypted (AES-256-CBC, RSA-OAEP): our
// vectors okta-sp-initiated and okta-encrypted-aes256-cbc. The peers that decrypt (node-saml,
// samlify) are timed with saml-core in the same interleaved rounds.
const ENCRYPTED_PAIR = { plain: 'vectors/okta/okta-sp-initiated.json', encrypted: 'vectors/okta/okta-encrypted-aes256-cbc.json' };
const DECRYPTING = ['saml-core', 'node-saml', 'samlify'];

async function encryptedTable(settings) {
  const failures = [];
  const entries = [];
  const cases = { plain: await loadCase({ vector: fileURLToPath(new URL(`../${ENCRYPTED_PAIR.plain}`, import.meta.url)) }), encrypted: await loadCase({ vector: fileURLToPath(new URL(`../${ENCRYPTED_PAIR.encrypted}`, import.meta.url)) }) };
  const notes = [];
  for (const candidate of CANDIDATES.filter((c) => DECRYPTING.includes(c.name))) {
    for (const [kind, benchCase] of Object.entries(cases)) {
      let validator;
      try {
        validator = await candidate.setup(benchCase.vector, { emulateNow: true });
      } catch (error) {
        notes.push(`${candidate.name} ${kind}: setup failed: ${messageOf(error)}`);
        continue;
      }
      const input = benchCase.inputs.vector;
      const verdict = await judge(validator, input, benchCase.expected.vector);
      if (!isRight(verdict)) {
        const why = verdict.accepted ? `returned NameID ${verdict.nameId}` : verdict.error;
        notes.push(`${candidate.name} ${kind}: not timed (${why})`);
        if (candidate.name === 'saml-core') failures.push(`encrypted table: saml-core ${kind}: ${why}`);
        continue;
      }
      entries.push({ name: `${candidate.name}/${kind}`, fn: () => validator.validate(input) });
    }
  }
  const timings = await compare(entries, settings);
  const us = (name) => timings.get(name)?.usPerOp ?? null;
  const rows = DECRYPTING.map((name) => {
    const plain = us(`${name}/plain`);
    const enc = us(`${name}/encrypted`);
    return { candidate: name, plainUs: plain, encryptedUs: enc, decryptionUs: plain !== null && enc !== null ? enc - plain : null, encryptedRatio: enc !== null && us('saml-core/encrypted') ? enc / us('saml-core/encrypted') : null };
  });
  const fmt = (v) => (v === null ? '—' : micros(v));
  const text = [
    '## Encrypted assertion (AES-256-CBC, RSA-OAEP 2048)',
    '',
    `The same Okta login plain (${ENCRYPTED_PAIR.plain}) and with its signed Assertion encrypted (${ENCRYPTED_PAIR.encrypted}), both signatures verified; the libraries that decrypt, timed in the same interleaved rounds. Decryption cost = encrypted − plain; ratio = the candidate's encrypted time over saml-core's.`,
    '',
    table(['candidate', 'plain µs/op', 'encrypted µs/op', 'decryption µs', 'encrypted, ratio to saml-core'], rows.map((r) => [r.candidate, fmt(r.plainUs), fmt(r.encryptedUs), fmt(r.decryptionUs), r.encryptedRatio === null ? '—' : ratio(r.encryptedRatio)])),
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
  return { rows, notes, text, failures };
}

function fixtureFailures(caseResult) {
  if (!caseResult.spec.fixture) return [];
  const failures = [];
  for (const c of caseResult.candidates.filter((x) => REQUIRED_TO_PASS.includes(x.name))) {
    if (c.error && Object.keys(c.verdicts).length === 0) failures.push(`${caseResult.name}: ${c.name} ${c.error}`);
    for (const [label, v] of Object.entries(c.verdicts)) {
      if (!isRight(v)) failures.push(`${caseResult.name}: ${c.name} gave a wrong verdict on ${label} (${v.accepted ? `accepted, NameID ${v.nameId}` : v.error})`);
    }
  }
  return failures;
}

async function main() {
  const { mode, settings, specs, json, adversarial, encrypted, inspect, baselineDist } = options();
  const started = Date.now();
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    parallelism: availableParallelism(),
    mode,
    settings,
    versions: Object.fromEntries(['@node-saml/node-saml', 'samlify', '@boxyhq/saml20', 'xml-crypto', '@xmldom/xmldom'].map((n) => [n, versionOf(n)])),
  };
  print(`# saml-core peer benchmark (${mode} run)`);
  print();
  print(`${meta.date}, Node ${meta.node}, ${meta.cpu}, ${meta.parallelism} cores. ${Object.entries(meta.versions).map(([n, v]) => `${n} ${v}`).join(', ')}.`);
  print(`Method: ${settings.warmupMs} ms warm-up each, then ${settings.rounds} interleaved rounds (order rotated) of ~${settings.batchMs} ms batches; median µs/op and median per-round ratio to ${BASELINE}.`);

  const caseResults = [];
  const loadedCases = new Map();
  let shownConfiguration = null;
  for (const spec of specs) {
    log(`case ${spec.fixture ?? spec.vector}`);
    const benchCase = await loadCase(spec);
    const result = await runCase(benchCase, settings);
    caseResults.push(result);
    loadedCases.set(result, benchCase);
    const configuration = configurationList(result.candidates.filter((c) => c.settings.length));
    if (configuration !== shownConfiguration) {
      print();
      print(`## Configuration${spec.vector ? ` for ${result.name}` : ''}`);
      print();
      print(configuration);
      shownConfiguration = configuration;
    }
    print();
    print(`## ${result.name}${spec.vector ? ` (vector ${spec.vector}, expected ${benchCase.expected.vector.valid ? 'valid' : 'rejected'})` : ''}`);
    print();
    print(caseTable(result, BASELINE));
    if (benchCase.vector.replay_of) print(`\n(replay_of ${benchCase.vector.replay_of} is ignored: every candidate's replay protection is off here, so a replay is judged as a first post.)`);
  }

  let extrasCase = null;
  let memoryRows = [];
  let throughputRows = [];
  let replayStores = null;
  let authnRows = [];
  let scaling = [];
  if (caseResults.length > 0) {
    // The extra measurements use okta-100 (okta-5 in a quick run) when it was run, else the first case.
    extrasCase = caseResults.find((r) => r.name === (mode === 'quick' ? 'okta-5' : 'okta-100')) ?? caseResults[0];
    const names = extrasCase.candidates.filter((c) => c.timing).map((c) => c.name);
    log(`extra measurements on ${extrasCase.name}`);

    memoryRows = await memory(loadedCases.get(extrasCase), names, settings.memoryValidations);
    print();
    print(`## Memory (${extrasCase.name})`);
    print();
    print(`Heap used after global.gc(), in a child process per candidate, after ${MEMORY_BASELINE_VALIDATIONS} and after ${settings.memoryValidations.toLocaleString('en-US')} validations.`);
    print();
    print(
      table(
        ['candidate', `MiB after ${MEMORY_BASELINE_VALIDATIONS}`, `MiB after ${settings.memoryValidations.toLocaleString('en-US')}`, 'growth MiB'],
        memoryRows.map((r) => (r.error ? [r.candidate, '—', '—', `failed: ${r.error}`] : [r.candidate, mib(r.heapAfterBaseline), mib(r.heapAfterAll), mib(r.growth)])),
      ),
    );

    throughputRows = await throughput(loadedCases.get(extrasCase), names, settings);
    print();
    print(`## Throughput on all cores (${extrasCase.name})`);
    print();
    print(`One worker thread per core (os.availableParallelism() = ${meta.parallelism}), each warmed up for ${2 * settings.warmupMs} ms, then validating for ${settings.throughputMs} ms; "one thread" is the ops/s of the table above.`);
    print();
    print(
      table(
        ['candidate', 'threads', 'validations/s', 'one thread', 'scaling'],
        throughputRows.map((r) => {
          const single = extrasCase.candidates.find((c) => c.name === r.candidate)?.timing?.opsPerSec;
          if (r.error) return [r.candidate, String(r.threads), `failed: ${r.error}`, perSecond(single), '—'];
          return [r.candidate, String(r.threads), perSecond(r.validationsPerSecond), perSecond(single), single ? ratio(r.validationsPerSecond / single) : '—'];
        }),
      ),
    );

    log('replay stores on all cores');
    replayStores = await runReplayStores(loadedCases.get(extrasCase), settings, log);
    print();
    print(`## Replay store on all cores (${extrasCase.name})`);
    print();
    if (replayStores.notRun) print(`Not run: ${replayStores.notRun}.`);
    else {
      const memoryRow = replayStores.rows[0];
      print(`saml-core with a real replay store, every call a first use (a fresh key). One worker thread per core, each with its own store (Redis: its own ioredis client to a local redis-server started for this row, which shares the cores), warmed up for ${2 * settings.warmupMs} ms, then validating for ${settings.throughputMs} ms. remember() is timed in every validation; "p99 added" is its p99 less the memory store's.`);
      print();
      print(
        table(
          ['store', 'threads', 'validations/s', '× memory', 'remember() p50', 'remember() p99', 'p99 added'],
          replayStores.rows.map((r) => [r.store, String(r.threads), perSecond(r.validationsPerSecond), ratio(r.validationsPerSecond / memoryRow.validationsPerSecond), `${micros(r.rememberP50Us)} µs`, `${micros(r.rememberP99Us)} µs`, r === memoryRow ? '—' : `${micros(r.rememberP99Us - memoryRow.rememberP99Us)} µs`]),
        ),
      );
    }

    log('createAuthnRequest (redirect binding)');
    authnRows = await authnRequests(caseResults[0], settings);
    print();
    print('## AuthnRequest, HTTP-Redirect binding');
    print();
    print('Time to build one redirect URL (deflate + base64 + query string). @boxyhq/saml20 builds the XML only: the benchmark adds the binding for it. raw xml-crypto has none.');
    print();
    print(table(['candidate', 'µs/call', 'calls/s'], authnRows.map((r) => [r.candidate, micros(r.usPerCall), perSecond(r.callsPerSecond)])));

    log('time versus size');
    scaling = await sizeScaling(caseResults, settings);
    if (scaling.length) {
      print();
      print('## Time versus size (µs/op by number of attributes)');
      print();
      print("Each candidate's fixtures of one shape timed against each other in the same interleaved rounds; 1000/100 is the median per-round ratio.");
      for (const shape of SHAPES) {
        const rows = scaling.filter((r) => r.shape === shape);
        if (!rows.length) continue;
        const sizes = Object.keys(rows[0].usPerOp);
        print();
        print(table(['candidate', ...sizes.map((s) => `${shape}-${s}`), '1000/100'], rows.map((r) => [r.candidate, ...sizes.map((s) => micros(r.usPerOp[s])), ratio(r.ratio1000to100)])));
      }
    }
  }

  let adversarialResult = null;
  if (adversarial) {
    log('adversarial table');
    adversarialResult = await runAdversarial(settings, log);
    print();
    print(adversarialTable(adversarialResult));
  }

  let encryptedResult = null;
  if (encrypted) {
    log('encrypted assertion');
    encryptedResult = await encryptedTable(settings);
    print();
    print(encryptedResult.text);
  }

  let inspectResult = null;
  if (inspect) {
    log('validateResponse and inspectResponse');
    inspectResult = await inspectTable(mode, settings, baselineDist);
    print();
    print(inspectResult.text);
  }

  const failures = caseResults.flatMap(fixtureFailures);
  if (inspectResult) failures.push(...inspectResult.failures);
  if (adversarialResult) failures.push(...adversarialFailures(adversarialResult));
  if (encryptedResult) failures.push(...encryptedResult.failures);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  print();
  print(`Run took ${seconds} s.`);
  if (json) {
    const data = {
      meta,
      cases: caseResults,
      memory: { case: extrasCase?.name ?? null, baselineValidations: MEMORY_BASELINE_VALIDATIONS, rows: memoryRows },
      throughput: { case: extrasCase?.name ?? null, rows: throughputRows },
      replayStores: { case: extrasCase?.name ?? null, ...replayStores },
      authnRequest: authnRows,
      sizeScaling: scaling,
      adversarial: adversarialResult,
      encrypted: encryptedResult?.rows ?? null,
      inspect: inspectResult?.rows ?? null,
      failures,
    };
    writeFileSync(json, `${JSON.stringify(data, null, 2)}\n`);
    log(`wrote ${json}`);
  }
  if (failures.length) {
    for (const f of failures) log(`FAIL ${f}`);
    process.exitCode = 1;
  }
}

await main();
