// Writes dist/*.d.cts beside the dist/*.d.ts that dist/index.d.ts reaches: the same declarations,
// read by TypeScript as CommonJS, for the `require` branch of package.json's "types" condition.
//
// Why: the package is ESM, and Node >= 20.19 / 22.12 load it with require() (require(esm)). But
// TypeScript under `module: node16` (and node18; any TypeScript before 5.8) refuses to let a
// CommonJS file import an ECMAScript module's declarations (TS1479), although the program would run.
// Declarations typed as CommonJS describe the same named exports that require() returns. Runs after
// `tsc` (npm run build).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const RELATIVE = /(from\s+|import\()(['"])(\.\.?\/[\w./-]+)\.js\2/g;

const done = new Set();
const pending = ['index'];
while (pending.length > 0) {
  const name = pending.pop();
  if (done.has(name)) continue;
  done.add(name);
  const text = readFileSync(join(dist, `${name}.d.ts`), 'utf8');
  const cjs = text.replace(RELATIVE, (_, head, quote, path) => {
    pending.push(posix.join(posix.dirname(name), path));
    return `${head}${quote}${path}.cjs${quote}`;
  });
  writeFileSync(join(dist, `${name}.d.cts`), cjs);
}
