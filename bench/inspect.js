/**
 * validateResponse and inspectResponse run one pipeline (src/saml/validate.ts): validateResponse
 * fails fast, inspectResponse records every check. This table times both on the same fixtures in
 * the same interleaved rounds, so the cost of recording is seen, and validateResponse is seen not
 * to pay for it. With --baseline-dist DIR, an earlier build's validateResponse (DIR/index.js, e.g.
 * the last commit before the pipeline was shared) is timed in the same rounds too: ratio > 1 is
 * slower than that build.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspectResponse, validateResponse } from '../dist/index.js';
import { configOf } from '../test/vector-runner.js';
import { loadCase } from './cases.js';
import { compare } from './measure.js';
import { micros, ratio, table } from './report.js';

const FIXTURES = { quick: ['okta-5'], full: ['okta-5', 'azure-100'] };

export async function inspectTable(mode, settings, baselineDist) {
  const baseline = baselineDist ? await import(pathToFileURL(resolve(baselineDist, 'index.js')).href) : null;
  const failures = [];
  const rows = [];
  for (const fixture of FIXTURES[mode]) {
    const benchCase = await loadCase({ fixture });
    // A store that never refuses, so one body can be validated again and again (as in the peer table).
    const config = configOf(benchCase.vector, { remember: async () => true });
    const options = { now: new Date(benchCase.vector.now), requestId: benchCase.vector.request_id ?? null };
    const input = benchCase.inputs[benchCase.timed];
    const inspected = await inspectResponse(config, input, options);
    const validated = await validateResponse(config, input, options);
    if (!inspected.ok || inspected.assertion.nameId !== validated.nameId) {
      failures.push(`inspect table: ${fixture}: inspectResponse ${inspected.ok ? `returned ${inspected.assertion.nameId}` : `rejected it (${inspected.error.code})`}, validateResponse ${validated.nameId}`);
      continue;
    }
    const entries = [
      { name: 'validateResponse', fn: () => validateResponse(config, input, options) },
      { name: 'inspectResponse', fn: () => inspectResponse(config, input, options) },
    ];
    if (baseline) entries.push({ name: 'validateResponse (baseline build)', fn: () => baseline.validateResponse(config, input, options) });
    const timings = await compare(entries, settings, 'validateResponse');
    for (const { name } of entries) {
      const t = timings.get(name);
      rows.push({ fixture, call: name, usPerOp: t.usPerOp, ratio: t.ratio });
    }
  }
  const text = [
    '## validateResponse and inspectResponse',
    '',
    `One pipeline, two modes: validateResponse fails fast, inspectResponse records every check (its trace, the document summary). Timed on the valid copy in the same interleaved rounds; ratio = the median per-round time over validateResponse's.${baseline ? ` The baseline build is ${baselineDist}.` : ''}`,
    '',
    table(['fixture', 'call', 'µs/op', 'ratio to validateResponse'], rows.map((r) => [r.fixture, r.call, micros(r.usPerOp), ratio(r.ratio)])),
  ].join('\n');
  return { rows, text, failures };
}
