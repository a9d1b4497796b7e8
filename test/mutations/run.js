// Mutation check: removes each security check from the built library, one at a time, and runs the
// suite; every mutant must make at least one test fail. This is how we know that each attack
// test really depends on its check.
// Usage: npm run build && node test/mutations/run.js [filter] [--jobs N]
//
// Speed (the suite takes ~20 s and there are over 200 mutants):
// - each run stops at its first failure (uvu --bail);
// - the test file that killed a mutant last time (killers.json, updated by every run) runs first,
//   alone; a mutant that survives it is run against the whole suite before it is called a survivor,
//   so the hint saves time but never decides a verdict;
// - --jobs N (default: the cores, at most 4) mutants at once, each in its own copy of the tree
//   (a temporary directory beside node_modules, which is linked), so one mutant never sees another.
// The Redis and tenants suites (real servers, tens of seconds) run only for the mutants that name
// them in `tests` (redis.js): they check no other code, and a smaller suite can only miss a kill.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MUTATIONS } from './mutations.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const killersPath = fileURLToPath(new URL('killers.json', import.meta.url));
const SLOW_SUITES = '^(redis|tenants)';
const { values, positionals } = parseArgs({ allowPositionals: true, options: { jobs: { type: 'string' } } });
const only = positionals[0];
const jobs = Math.max(1, Number(values.jobs ?? Math.min(4, availableParallelism())));
const killers = existsSync(killersPath) ? JSON.parse(readFileSync(killersPath, 'utf8')) : {};
const testFiles = new Set(readdirSync(join(root, 'test')).filter((name) => name.endsWith('.test.js')));
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The copies read the shared real vectors and metadata where the tree does (test/vector-files.js).
const env = { ...process.env, SAML_MUTATION_RUN: '1' };
for (const [name, dir] of [['SAML_REAL_VECTORS', 'vectors-real'], ['SAML_REAL_METADATA', 'metadata-real']]) {
  const path = join(root, '..', 'shared', dir);
  if (!env[name] && existsSync(path)) env[name] = path;
}

/** A tree to mutate: the root itself, or a copy of it with node_modules linked. */
function workTree(index) {
  if (index === 0) return root;
  const dir = mkdtempSync(join(tmpdir(), 'saml-core-mutant-'));
  // Installed packages (linked instead), git, coverage and the runtime matrix's work are not copied.
  const skipped = /(^|\/)(node_modules|\.git|coverage|\.work)(\/|$)/;
  for (const entry of readdirSync(root)) {
    if (!skipped.test(entry)) cpSync(join(root, entry), join(dir, entry), { recursive: true, filter: (src) => !skipped.test(src.slice(root.length)) });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** Runs the test files matching `patterns` in `tree`, stopping at the first failure: the failure, or null. */
function runSuite(tree, patterns) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['node_modules/uvu/bin.js', 'test', ...patterns, '--bail'], { cwd: tree, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (status, signal) => {
      // Whatever the suite started (servers, helper processes) goes with it, even after --bail's exit.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
      if (status === 0) return resolve(null);
      const text = output.replace(/\x1b\[[0-9;]*m/g, '');
      const files = [...text.matchAll(/^(\S+\.test\.js)$/gm)].map((m) => m[1]);
      resolve({ file: files.at(-1) ?? null, test: /FAIL .*?"(.*?)"/.exec(text)?.[1] ?? `exit ${status ?? signal}` });
    });
  });
}

async function judge(tree, m) {
  const path = join(tree, 'dist', m.file);
  const original = readFileSync(path, 'utf8');
  const count = original.split(m.from).length - 1;
  if (count !== 1) return { line: `BROKEN   ${m.name}: the code to mutate appears ${count} times in dist/${m.file}`, killed: false };
  writeFileSync(path, original.replace(m.from, m.to));
  try {
    const hint = killers[m.name];
    let failure = hint && testFiles.has(hint) ? await runSuite(tree, [`^${escape(hint)}$`]) : null;
    failure ??= await runSuite(tree, m.tests === undefined ? ['\\.test\\.js$', '-i', SLOW_SUITES] : [m.tests]);
    if (failure === null) return { line: `SURVIVED ${m.name}: no test failed without this check`, killed: false };
    if (failure.file) killers[m.name] = failure.file;
    return { line: `killed   ${m.name}: ${failure.file ?? '?'}: ${failure.test}`, killed: true };
  } finally {
    writeFileSync(path, original);
  }
}

const queue = MUTATIONS.filter((x) => !only || x.name.includes(only));
const trees = Array.from({ length: Math.min(jobs, queue.length) }, (_, i) => workTree(i));
let killed = 0;
let survived = 0;
const saveKillers = () => writeFileSync(killersPath, `${JSON.stringify(Object.fromEntries(Object.entries(killers).sort()), null, 2)}\n`);
try {
  await Promise.all(trees.map(async (tree) => {
    for (let m = queue.shift(); m !== undefined; m = queue.shift()) {
      const result = await judge(tree, m);
      console.log(result.line);
      if (result.killed) killed++;
      else survived++;
      saveKillers();
    }
  }));
} finally {
  for (const tree of trees) if (tree !== root) rmSync(tree, { recursive: true, force: true });
}
console.log(`mutants: ${killed} killed, ${survived} survived`);
process.exitCode = survived === 0 ? 0 : 1;
