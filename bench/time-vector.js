// Times validateResponse on one vector (default: the 5-attribute Okta vector), every check on and
// both signatures verified. Usage: npm run build && node bench/time-vector.js [vector.json] [iterations]
// The peer benchmark (issue 4) builds on this; absolute times on shared machines are noise.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bodyOf, configOf } from '../test/vector-runner.js';
import { validateResponse } from '../dist/index.js';

const file = process.argv[2] ?? fileURLToPath(new URL('../vectors/okta/okta-sp-initiated-5-attributes.json', import.meta.url));
const iterations = Number(process.argv[3] ?? 2000);
const vector = JSON.parse(readFileSync(file, 'utf8'));
// A store that never refuses, so the same response can be validated repeatedly.
const config = configOf(vector, { remember: async () => true });
const options = { now: new Date(vector.now), requestId: vector.request_id ?? null };
const body = bodyOf(vector);

const first = await validateResponse(config, body, options);
for (let i = 0; i < Math.min(500, iterations); i++) await validateResponse(config, body, options);
const times = [];
for (let round = 0; round < 5; round++) {
  const start = performance.now();
  for (let i = 0; i < iterations / 5; i++) await validateResponse(config, body, options);
  times.push(((performance.now() - start) * 1000) / (iterations / 5));
}
times.sort((a, b) => a - b);
console.log(`${vector.name}: nameId ${first.nameId}, ${Object.keys(first.attributes).length} attributes`);
console.log(`validateResponse: median ${times[2].toFixed(1)} µs/op over 5 rounds of ${iterations / 5} (min ${times[0].toFixed(1)}, max ${times[4].toFixed(1)}), node ${process.version}`);
