/**
 * saml-core conformance DIR...: replays every vector file under the directories (*.json,
 * recursively, a keys/ folder skipped) with its own config, policy, now, request_id and replay_of,
 * and compares each verdict with the vector's `expect` by the rules of the project's own runner
 * (test/vector-replay.js runVector):
 *   - expect.valid true: accepted, with the expected name_id, relay_state, session_index and
 *     attributes; or, under expect.reject_ok, rejected with a SamlError;
 *   - expect.valid false: rejected with a SamlError (with expect.code, that very code); a rejection
 *     whose code is of another class than expect.class is noted, not failed.
 * Exit 1 when any verdict differs, 2 on bad usage or an unreadable directory or file.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import cliProgress from 'cli-progress';
import { createMemoryReplayStore, inspectResponse, SamlError, type CheckResult, type InspectResult, type ReplayStore, type SamlAssertion } from '../../index.js';
import { readFileOrThrow } from './input.js';
import { jsonText, type Io } from './io.js';
import { colorsFor, safe, table } from './render.js';
import { EXIT_OK, EXIT_REJECTED, UsageError, kindOf, quote } from './usage.js';
import { CLASS_OF_CODE, bodyOfVector, configOfVector, readVector, type Vector, type VectorExpect } from './vector-file.js';

export interface ConformanceFlags {
  junit?: string;
  json?: string;
  deviations?: string;
}

export interface Deviation {
  expect: VectorExpect;
  why: string;
}

export interface VectorOutcome {
  name: string;
  file: string;
  category: string;
  expect: VectorExpect;
  /** "accepted", or the error code it was rejected with. */
  outcome: string;
  ok: boolean;
  /** Why the verdict differs from expect (null when ok). */
  problem: string | null;
  /** Rejected under expect.reject_ok. */
  rejectedOk: boolean;
  /** Rejected as expected, but with a code of another class than expect.class (noted, not failed). */
  classMismatch: string | null;
  message: string | null;
  /** The first failing check of the trace, when rejected. */
  failingCheck: Pick<CheckResult, 'id' | 'title' | 'code' | 'message'> | null;
  deviation: string | null;
}

/** Every .json file under `dir`, sorted; a keys/ folder holds keys, not vectors (as test/vector-files.js). */
export function vectorFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'keys' ? [] : vectorFiles(path);
      return name.endsWith('.json') ? [path] : [];
    })
    .sort();
}

export async function runConformance(dirs: string[], flags: ConformanceFlags, io: Io): Promise<number> {
  const deviations = flags.deviations === undefined ? new Map<string, Deviation>() : readDeviations(flags.deviations);
  const loaded: { file: string; vector: Vector }[] = [];
  for (const dir of dirs) {
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      throw new UsageError(`conformance: cannot read directory ${quote(dir)}: no such file or directory`);
    }
    if (!isDir) throw new UsageError(`conformance: ${quote(dir)} is a file; expected a directory of vector files (../shared/VECTORS.md)`);
    for (const file of vectorFiles(dir)) {
      let json: unknown;
      try {
        json = JSON.parse(readFileOrThrow(file, 'vector file').toString('utf8'));
      } catch (error) {
        if (error instanceof UsageError) throw error;
        throw new UsageError(`conformance: ${quote(file)} is not valid JSON: ${(error as Error).message}`);
      }
      loaded.push({ file, vector: readVector(json, file) });
    }
  }
  if (loaded.length === 0) throw new UsageError(`conformance: no vector file (*.json) under ${dirs.map((d) => quote(d)).join(', ')}`);
  for (const name of deviations.keys()) {
    if (!loaded.some(({ vector }) => vector.name === name)) io.stderr.write(`saml-core: note: --deviations names vector ${quote(name)}, which is not among the ${loaded.length} vectors read\n`);
  }
  const byName = new Map(loaded.map(({ vector }) => [vector.name, vector]));

  const bar = io.stderr.isTTY
    ? new cliProgress.SingleBar(
        { stream: io.stderr as unknown as NodeJS.WritableStream, format: 'conformance [{bar}] {value}/{total} {name}', clearOnComplete: true, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(loaded.length, 0, { name: '' });
  const outcomes: VectorOutcome[] = [];
  for (const { file, vector } of loaded) {
    bar?.update(outcomes.length, { name: safe(vector.name) });
    const deviation = deviations.get(vector.name);
    const judged = deviation === undefined ? vector : { ...vector, expect: deviation.expect };
    outcomes.push({ ...(await runVector(judged, byName)), name: vector.name, file: relative(process.cwd(), file) || file, category: vector.category ?? '(none)', deviation: deviation?.why ?? null });
  }
  bar?.update(outcomes.length, { name: '' });
  bar?.stop();

  const report = summarize(outcomes);
  // The files first: one that cannot be written is exit 2 with nothing on stdout.
  if (flags.junit !== undefined) writeOutput(flags.junit, junitXml(report), '--junit');
  if (flags.json !== undefined) writeOutput(flags.json, jsonText(conformanceJson(dirs, report)), '--json');
  io.stdout.write(renderConformance(report, colorsFor(io.stdout, io.env)));
  return report.failed === 0 ? EXIT_OK : EXIT_REJECTED;
}

function writeOutput(path: string, text: string, flag: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new UsageError(`${flag}: cannot write ${quote(path)}: ${(error as Error).message}`);
  }
}

/**
 * --deviations FILE: { "<vector name>": { "expect": { ... }, "why": "..." } }, a verdict the project
 * has decided differently from a vector's own expect (README, "Test vectors"); it replaces that
 * vector's expect, and the report names the reason.
 */
function readDeviations(path: string): Map<string, Deviation> {
  let json: unknown;
  try {
    json = JSON.parse(readFileOrThrow(path, '--deviations file').toString('utf8'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--deviations ${quote(path)}: not valid JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`--deviations ${quote(path)}: expected { "<vector name>": { "expect": {...}, "why": "..." } }; got ${kindOf(json)}`);
  const out = new Map<string, Deviation>();
  for (const [name, value] of Object.entries(json)) {
    const d = value as Partial<Deviation> | null;
    if (typeof d !== 'object' || d === null || typeof d.why !== 'string' || typeof d.expect !== 'object' || d.expect === null || typeof d.expect.valid !== 'boolean') {
      throw new UsageError(`--deviations ${quote(path)}: ${quote(name)} must be { "expect": { "valid": ... }, "why": "..." }; got ${kindOf(value)}`);
    }
    out.set(name, { expect: d.expect, why: d.why });
  }
  return out;
}

type Verdict = Omit<VectorOutcome, 'name' | 'file' | 'category' | 'deviation'>;

async function inspect(vector: Vector, replayStore: ReplayStore): Promise<InspectResult> {
  const options = { now: new Date(vector.now), requestId: vector.request_id ?? null, replayStore };
  try {
    return await inspectResponse(configOfVector(vector, replayStore), bodyOfVector(vector), options);
  } catch (error) {
    // inspectResponse reports a rejection in its result; a throw is reported the same way.
    if (error instanceof SamlError) return { ok: false, assertion: null, error, checks: [], document: null };
    throw error;
  }
}

/** One vector's verdict against its expect, by test/vector-replay.js runVector's rules. */
export async function runVector(vector: Vector, byName: Map<string, Vector>): Promise<Verdict> {
  const replayStore = createMemoryReplayStore();
  const base = { expect: vector.expect, rejectedOk: false, classMismatch: null, message: null, failingCheck: null };
  if (vector.replay_of) {
    const first = byName.get(vector.replay_of);
    if (!first) return { ...base, outcome: '(not run)', ok: false, problem: `replay_of names unknown vector ${vector.replay_of}` };
    const before = await inspect(first, replayStore);
    if (!before.ok) return { ...base, outcome: '(not run)', ok: false, problem: `replay_of vector ${first.name} was rejected: ${before.error?.code}: ${before.error?.message}` };
  }
  const expect = vector.expect;
  let result: InspectResult;
  try {
    result = await inspect(vector, replayStore);
  } catch (error) {
    return { ...base, outcome: String(error), ok: false, problem: `threw a non-SamlError: ${error}` };
  }
  if (!result.ok) {
    const error = result.error;
    if (!(error instanceof SamlError)) return { ...base, outcome: String(error), ok: false, problem: `rejected without a SamlError: ${error}` };
    const fail = result.checks.find((c) => c.status === 'fail');
    const rejected = { ...base, outcome: error.code, message: error.message, failingCheck: fail === undefined ? null : { id: fail.id, title: fail.title, code: fail.code, message: fail.message } };
    // reject_ok (VECTORS.md): a valid vector that a strict library may also reject with a typed error.
    if (expect.valid && expect.reject_ok) return { ...rejected, ok: true, problem: null, rejectedOk: true };
    if (expect.valid) return { ...rejected, ok: false, problem: `expected valid, got ${error.code}: ${error.message}` };
    if (expect.code && expect.code !== error.code) return { ...rejected, ok: false, problem: `expected ${expect.code}, got ${error.code}: ${error.message}` };
    const classMismatch = !expect.class || CLASS_OF_CODE[error.code] === expect.class ? null : `expected class ${expect.class}; ${error.code} is of class ${CLASS_OF_CODE[error.code] ?? '(none)'}`;
    return { ...rejected, ok: true, problem: null, classMismatch };
  }
  const accepted = { ...base, outcome: 'accepted' };
  if (!expect.valid) return { ...accepted, ok: false, problem: `expected rejection (${expect.code ?? expect.class}), but it was accepted` };
  const problems = acceptedProblems(expect, result.assertion as SamlAssertion);
  return problems.length > 0 ? { ...accepted, ok: false, problem: problems.join('; ') } : { ...accepted, ok: true, problem: null };
}

function acceptedProblems(expect: VectorExpect, result: SamlAssertion): string[] {
  const problems: string[] = [];
  if (expect.name_id !== undefined && result.nameId !== expect.name_id) problems.push(`nameId ${JSON.stringify(result.nameId)} != ${JSON.stringify(expect.name_id)}`);
  if (expect.relay_state !== undefined && result.relayState !== expect.relay_state) problems.push(`relayState ${JSON.stringify(result.relayState)} != ${JSON.stringify(expect.relay_state)}`);
  if (expect.session_index !== undefined && result.sessionIndex !== expect.session_index) problems.push(`sessionIndex ${result.sessionIndex} != ${expect.session_index}`);
  for (const [name, values] of Object.entries(expect.attributes ?? {})) {
    if (JSON.stringify(result.attributes[name]) !== JSON.stringify(values)) problems.push(`attribute ${name}: ${JSON.stringify(result.attributes[name])} != ${JSON.stringify(values)}`);
  }
  return problems;
}

interface CategoryCount {
  category: string;
  total: number;
  passed: number;
  failed: number;
  classMismatches: number;
}

interface Report {
  outcomes: VectorOutcome[];
  categories: CategoryCount[];
  passed: number;
  failed: number;
}

function summarize(outcomes: VectorOutcome[]): Report {
  const byCategory = new Map<string, CategoryCount>();
  for (const o of outcomes) {
    const count = byCategory.get(o.category) ?? { category: o.category, total: 0, passed: 0, failed: 0, classMismatches: 0 };
    count.total++;
    if (o.ok) count.passed++;
    else count.failed++;
    if (o.classMismatch !== null) count.classMismatches++;
    byCategory.set(o.category, count);
  }
  const passed = outcomes.filter((o) => o.ok).length;
  return { outcomes, categories: [...byCategory.values()].sort((a, b) => a.category.localeCompare(b.category)), passed, failed: outcomes.length - passed };
}

export function expectText(expect: VectorExpect): string {
  if (expect.valid) return expect.reject_ok ? 'accepted (or rejected: reject_ok)' : 'accepted';
  return `rejected (${expect.code ?? `class ${expect.class ?? 'any'}`})`;
}

function renderConformance(report: Report, c: ReturnType<typeof colorsFor>): string {
  const lines: string[] = [];
  const rows: string[][] = [[c.bold('category'), c.bold('vectors'), c.bold('passed'), c.bold('failed'), c.bold('class differs')]];
  for (const k of report.categories) rows.push([k.category, String(k.total), String(k.passed), k.failed > 0 ? c.red(String(k.failed)) : '0', String(k.classMismatches)]);
  rows.push([c.bold('all'), String(report.outcomes.length), String(report.passed), report.failed > 0 ? c.red(String(report.failed)) : '0', String(report.outcomes.filter((o) => o.classMismatch !== null).length)]);
  lines.push(...table(rows));
  const failed = report.outcomes.filter((o) => !o.ok);
  if (failed.length > 0) {
    lines.push('', c.bold('Verdicts that differ from expect:'));
    for (const o of failed) {
      lines.push(`  ${c.red('✗')} ${o.name} (${o.file}): expected ${expectText(o.expect)}; ${safe(o.problem ?? '')}`);
      if (o.failingCheck !== null) lines.push(`      first failing check: ${o.failingCheck.id} (${safe(o.failingCheck.title)})`);
    }
  }
  const notes = report.outcomes.filter((o) => o.classMismatch !== null || o.deviation !== null || o.rejectedOk);
  if (notes.length > 0) {
    lines.push('', c.bold('Notes:'));
    for (const o of notes) {
      if (o.deviation !== null) lines.push(`  ${o.name}: deviation (--deviations): ${safe(o.deviation)}; ${o.ok ? 'rejected' : 'verdict'} ${o.outcome}`);
      if (o.rejectedOk) lines.push(`  ${o.name}: rejected with ${o.outcome}, allowed by reject_ok: ${safe(o.message ?? '')}`);
      if (o.classMismatch !== null) lines.push(`  ${o.name}: ${o.classMismatch}`);
    }
  }
  lines.push('', (report.failed === 0 ? c.green : c.red)(`${report.passed} passed, ${report.failed} failed`));
  return `${lines.join('\n')}\n`;
}

// XML 1.0 Char: a control other than tab, LF and CR cannot appear even as a reference; lone surrogates neither.
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlEscape(text: string): string {
  return text
    .replace(NOT_XML_CHAR, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** JUnit XML: a testsuite per category, a testcase per vector, a failure element where the verdict differs. */
function junitXml(report: Report): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="saml-core conformance" tests="${report.outcomes.length}" failures="${report.failed}" errors="0">`];
  for (const k of report.categories) {
    out.push(`  <testsuite name="${xmlEscape(k.category)}" tests="${k.total}" failures="${k.failed}" errors="0" skipped="0">`);
    for (const o of report.outcomes.filter((x) => x.category === k.category)) {
      const open = `    <testcase classname="${xmlEscape(`conformance.${k.category}`)}" name="${xmlEscape(o.name)}" file="${xmlEscape(o.file)}"`;
      if (o.ok) {
        out.push(`${open}/>`);
        continue;
      }
      const detail = [`expected ${expectText(o.expect)}`, `got ${o.outcome}`, o.failingCheck === null ? null : `first failing check: ${o.failingCheck.id} (${o.failingCheck.title})`].filter((x) => x !== null).join('\n');
      out.push(`${open}>`);
      out.push(`      <failure message="${xmlEscape(o.problem ?? '')}" type="${xmlEscape(o.outcome)}">${xmlEscape(detail)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function conformanceJson(dirs: string[], report: Report) {
  return {
    command: 'conformance',
    directories: dirs,
    passed: report.passed,
    failed: report.failed,
    categories: report.categories,
    vectors: report.outcomes.map((o) => ({
      name: o.name,
      file: o.file,
      category: o.category,
      expect: o.expect,
      outcome: o.outcome,
      ok: o.ok,
      problem: o.problem,
      rejectedOk: o.rejectedOk,
      classMismatch: o.classMismatch,
      deviation: o.deviation,
      message: o.message,
      failingCheck: o.failingCheck,
    })),
  };
}
