// The one assertion the end-to-end suites share: `promise` rejects with a SamlError of `code`
// whose message matches `pattern` (when given); resolves to the error for further checks.
import * as assert from 'uvu/assert';
import { SamlError } from '../dist/index.js';

export async function rejects(promise, code, pattern) {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, SamlError, String(error));
    assert.is(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return error;
  }
  assert.unreachable(`expected ${code}`);
}
