// Mutation check: removes each security check from the built library, one at a time, and runs the
// suite; every mutant must make at least one test fail. This is how we know that each attack
// test really depends on its check. Usage: npm run build && node test/mutations/run.js [filter]
//
// Speed (the suite takes ~20 s and there are ~200 mutants): each run stops at its first failure
// (uvu --bail), and the test file that killed a mutant last time (killers.json, written by every
// complete run) runs first, alone. A mutant that survives its killer file is run against the whole
// suite before it is called a survivor, so the hint saves time but never decides a verdict.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MUTATIONS } from './mutations.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const killersPath = fileURLToPath(new URL('killers.json', import.meta.url));
const only = process.argv[2];
const killers = existsSync(killersPath) ? JSON.parse(readFileSync(killersPath, 'utf8')) : {};
const testFiles = new Set(readdirSync(`${root}test`).filter((name) => name.endsWith('.test.js')));
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Runs the test files matching `pattern` (stopping at the first failure); the file that failed, or null. */
function runSuite(pattern) {
  // SAML_MUTATION_RUN: suites that only start outside programs (test/independent-encryptors.test.js) sit mutants out.
  const run = spawnSync(process.execPath, ['node_modules/uvu/bin.js', 'test', pattern, '--bail'], { cwd: root, encoding: 'utf8', detached: true, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, SAML_MUTATION_RUN: '1' } });
  // Whatever the suite started (servers, helper processes) goes with it, even after --bail's exit.
  try {
    process.kill(-run.pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
  if (run.status === 0) return null;
  const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  const files = [...output.matchAll(/^(\S+\.test\.js)$/gm)].map((m) => m[1]);
  const failed = /FAIL\s+"(.*?)"/.exec(output)?.[1] ?? (run.error ? String(run.error) : `exit ${run.status ?? run.signal}`);
  return { file: files.at(-1) ?? null, test: failed };
}

let survived = 0;
let killed = 0;
const newKillers = {};
const selected = MUTATIONS.filter((x) => !only || x.name.includes(only));
for (const m of selected) {
  const path = `${root}dist/${m.file}`;
  const original = readFileSync(path, 'utf8');
  const count = original.split(m.from).length - 1;
  if (count !== 1) {
    console.log(`BROKEN   ${m.name}: the code to mutate appears ${count} times in dist/${m.file}`);
    survived++;
    continue;
  }
  writeFileSync(path, original.replace(m.from, m.to));
  try {
    const hint = killers[m.name];
    let failure = hint && testFiles.has(hint) ? runSuite(`^${escape(hint)}$`) : null;
    if (failure === null) failure = runSuite('\\.test\\.js$');
    if (failure === null) {
      survived++;
      console.log(`SURVIVED ${m.name}: no test failed without this check`);
    } else {
      killed++;
      if (failure.file) newKillers[m.name] = failure.file;
      console.log(`killed   ${m.name}: ${failure.file ?? '?'}: ${failure.test}`);
    }
  } finally {
    writeFileSync(path, original);
  }
}
console.log(`mutants: ${killed} killed, ${survived} survived`);
if (!only) writeFileSync(killersPath, `${JSON.stringify(Object.fromEntries(Object.entries(newKillers).sort()), null, 2)}\n`);
process.exitCode = survived === 0 ? 0 : 1;
