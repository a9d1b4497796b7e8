// Mutation check: removes each security check from the built library, one at a time, and runs the
// whole suite; every mutant must make at least one test fail. This is how we know that each attack
// test really depends on its check. Usage: npm run build && node test/mutations/run.js
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MUTATIONS } from './mutations.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SLOW_SUITES = '^(redis|tenants)';
const only = process.argv[2];
let survived = 0;
let killed = 0;
for (const m of MUTATIONS.filter((x) => !only || x.name.includes(only))) {
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
    // The Redis and tenants suites (real servers, tens of seconds) run only for the mutants that name
    // them in `tests` (redis.js); they check no other code.
    const files = m.tests === undefined ? ['\\.test\\.js$', '-i', SLOW_SUITES] : [m.tests];
    const run = spawnSync(process.execPath, ['node_modules/uvu/bin.js', 'test', ...files], { cwd: root, encoding: 'utf8' });
    const failing = [...run.stdout.matchAll(/FAIL .*?"(.*?)"/g)].map((x) => x[1].replace(/\x1b\[[0-9;]*m/g, ''));
    if (run.status === 0) {
      survived++;
      console.log(`SURVIVED ${m.name}: no test failed without this check`);
    } else {
      killed++;
      console.log(`killed   ${m.name}: ${failing.length} failing, e.g. ${failing.slice(0, 2).join(' | ')}`);
    }
  } finally {
    writeFileSync(path, original);
  }
}
console.log(`mutants: ${killed} killed, ${survived} survived`);
process.exitCode = survived === 0 ? 0 : 1;
