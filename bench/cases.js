/**
 * What the benchmark runs on: a fixture of bench/fixtures.js, or any vector file in the shared
 * format (VECTORS.md). A case is { name, vector, inputs, expected, timed, emulateNow }:
 *   vector     the config every candidate is set up from
 *   inputs     the posted fields of each input to judge ({ SAMLResponse, RelayState? })
 *   expected   per input, { valid: true, nameId } or { valid: false }
 *   timed      the input whose validation is timed
 *   emulateNow the vector's `now` is not the real time: candidates judge at vector.now as far as they can
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bodyOf } from '../test/vector-runner.js';
import { buildFixture } from './fixtures.js';

/** `spec` is { fixture: name } or { vector: path }. A case is plain data, so it can be handed to a child process. */
export async function loadCase(spec) {
  if (spec.fixture) return { ...(await buildFixture(spec.fixture)), timed: 'valid', emulateNow: false, spec };
  const vector = JSON.parse(readFileSync(resolve(spec.vector), 'utf8'));
  const body = bodyOf(vector);
  const fields = {};
  for (const [key, value] of typeof body === 'string' ? new URLSearchParams(body) : Object.entries(body)) {
    if (value !== undefined && value !== null) fields[key] = value;
  }
  const expect = vector.expect ?? { valid: true };
  return {
    name: vector.name ?? spec.vector,
    vector,
    inputs: { vector: fields },
    expected: { vector: expect.valid ? { valid: true, nameId: expect.name_id } : { valid: false } },
    timed: 'vector',
    emulateNow: true,
    spec,
  };
}
