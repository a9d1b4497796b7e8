/**
 * inspectResponse: "why did this login fail?". The same checks as validateResponse, in the same
 * order (src/saml/validate.ts), recorded one by one instead of stopping at the first failure; the
 * first failure is the error validateResponse throws for the same input. The assertion is returned
 * only when every check passed.
 */
import { runChecks, type Observed } from './validate.js';
import { summarizeResponse } from './summary.js';
import { Trace } from './trace.js';
import type { InspectOptions, InspectResult, ResponseBody, SamlConfig } from '../types.js';

export async function inspectResponse(config: SamlConfig, body: ResponseBody, options: InspectOptions = {}): Promise<InspectResult> {
  const trace = new Trace(true);
  const seen: Observed = {};
  const store = typeof options === 'object' && options !== null ? options.replayStore : undefined;
  const assertion = await runChecks(config, body, options, store, trace, seen);
  const checks = trace.results();
  const error = trace.firstError();
  const document = seen.parsed === undefined
    ? null
    : await summarizeResponse(seen.parsed, { response: trace.responseVerified, assertion: trace.assertionVerified }, seen.encrypted === true);
  const ok = error === null && assertion !== null;
  return { ok, assertion: ok ? assertion : null, error, checks, document };
}
