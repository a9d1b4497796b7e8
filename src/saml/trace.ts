/**
 * The checks of a Response, in their fixed order, and the two ways to run them: validateResponse
 * fails fast (a check's error propagates as it is thrown); inspectResponse records each outcome and
 * goes on where going on means something. Both run the same check functions in the same order
 * (src/saml/validate.ts), so the first recorded failure is the error validateResponse throws.
 */
import { SamlError, hintForIdp, show, type CheckDetail, type IdpKind } from '../errors.js';
import type { CheckResult } from '../types.js';

/** Every check, in the order they run; ids are stable (the CLI's --json and tests name them). */
export const CHECKS = [
  ['config', 'Configuration and options'],
  ['input.size', 'POST body: size, SAMLResponse field, base64, UTF-8 XML text without a DTD, RelayState'],
  ['xml.parse', 'XML: well-formed, no DTD, within the structure limits, unique IDs'],
  ['status', 'Status is Success'],
  ['assertion', 'One Assertion (or EncryptedAssertion), a direct child of the Response'],
  ['signatures', 'Signatures only on the Response and the Assertion; the Response signed as required'],
  ['signature.response', 'Response signature, with a configured certificate'],
  ['decrypt', 'EncryptedAssertion decrypted with the SP key'],
  ['signature.assertion', 'Assertion signature, with a configured certificate'],
  ['version', 'Version 2.0 and an ID on the Response and the Assertion'],
  ['destination', 'Response Destination is the ACS URL'],
  ['issuer', 'Issuer is the IdP'],
  ['in-response-to', 'Response InResponseTo answers the pending AuthnRequest'],
  ['recipient', 'Bearer subject confirmation: Recipient, InResponseTo, validity'],
  ['time.conditions', 'Validity window: Conditions and IssueInstant'],
  ['audience', 'Audience is the SP Entity ID'],
  ['nameid', 'NameID present, of the expected format'],
  ['authn-statement', 'AuthnStatement present, IdP session not ended'],
  ['attributes', 'Attributes readable, email attribute well-formed'],
  ['replay', 'First use of this assertion'],
] as const;

export type CheckId = (typeof CHECKS)[number][0];

/**
 * Whose values a check reads, for `verified`: none (the configuration, the bytes), the Response's
 * own elements, the Assertion's, both, or its own signature (verified when it passes).
 */
export type Reads = 'none' | 'response' | 'assertion' | 'both' | 'signature';

/** What a recorded check returns instead of a value: it failed or did not run. */
export const SKIP: unique symbol = Symbol('not run');
export type Skip = typeof SKIP;

interface Entry {
  result: CheckResult;
  reads: Reads;
  error: SamlError | null;
}

export class Trace {
  /** Recording (inspectResponse) or failing fast (validateResponse). */
  readonly recording: boolean;
  /** The IdP, once known, so hints name only its setting. */
  idp: IdpKind | null = null;
  /** Whether the Response's and the Assertion's values come from a verified signature. */
  responseVerified = false;
  assertionVerified = false;
  private readonly entries: Entry[] = [];
  private next = 0;

  constructor(recording: boolean) {
    this.recording = recording;
  }

  /** Run check `id`: fail fast throws its error; recording returns SKIP after recording it. */
  run<T>(id: CheckId, reads: Reads, check: () => T, detail?: (value: T | undefined) => CheckDetail): T | Skip {
    if (!this.recording) return check();
    let value: T;
    try {
      value = check();
    } catch (error) {
      this.fail(id, reads, error, detail);
      return SKIP;
    }
    this.pass(id, reads, value, detail);
    return value;
  }

  /** run, for a check of `ctx` and module-level functions: failing fast, it allocates nothing. */
  check<C, T>(id: CheckId, reads: Reads, check: (ctx: C) => T, ctx: C, detail: (ctx: C, value: T | undefined) => CheckDetail): T | Skip {
    if (!this.recording) return check(ctx);
    return this.run(id, reads, () => check(ctx), (value) => detail(ctx, value));
  }

  /** run, for a check that returns a promise; failing fast, that very promise (no extra await). */
  runAsync<T>(id: CheckId, reads: Reads, check: () => Promise<T>, detail?: (value: T | undefined) => CheckDetail): Promise<T | Skip> {
    return this.recording ? this.recordAsync(id, reads, check, detail) : check();
  }

  private async recordAsync<T>(id: CheckId, reads: Reads, check: () => Promise<T>, detail?: (value: T | undefined) => CheckDetail): Promise<T | Skip> {
    let value: T;
    try {
      value = await check();
    } catch (error) {
      this.fail(id, reads, error, detail);
      return SKIP;
    }
    this.pass(id, reads, value, detail);
    return value;
  }

  /** Record check `id` as not run, saying why (it does not apply, or what it needs failed). */
  skip(id: CheckId, reads: Reads, message: string): Skip {
    if (this.recording) this.record(id, reads, { status: 'not-run', message }, null);
    return SKIP;
  }

  /** Every check not yet recorded is not run, for `message`; the pipeline then has no result. */
  skipRest(message: string): null {
    while (this.recording && this.next < CHECKS.length) this.skip((CHECKS[this.next] as (typeof CHECKS)[number])[0], 'none', message);
    return null;
  }

  /** Any check failed so far. */
  get failed(): boolean {
    return this.entries.some((e) => e.error !== null);
  }

  /** The first failure, hinted for the IdP: what validateResponse throws for the same input. */
  firstError(): SamlError | null {
    const first = this.entries.find((e) => e.error !== null);
    return first ? (first.error as SamlError) : null;
  }

  /** The results, every check in order, `verified` judged now that every signature has been tried. */
  results(): CheckResult[] {
    // Every way through the pipeline records every check; a gap would be a bug in validate.ts.
    if (this.next !== CHECKS.length) throw new Error(`the pipeline ended after ${this.next} of ${CHECKS.length} checks`);
    for (const entry of this.entries) {
      const { result, error } = entry;
      if (error !== null && hintForIdp(error, this.idp).hint !== undefined) result.hint = error.hint as string;
      result.verified = this.verifiedFor(entry.reads, result.status);
    }
    return this.entries.map((e) => e.result);
  }

  private verifiedFor(reads: Reads, status: CheckResult['status']): boolean {
    switch (reads) {
      case 'none': return true;
      case 'response': return this.responseVerified;
      case 'assertion': return this.assertionVerified;
      case 'both': return this.responseVerified && this.assertionVerified;
      case 'signature': return status === 'pass';
    }
  }

  private pass<T>(id: CheckId, reads: Reads, value: T, detail: ((value: T | undefined) => CheckDetail) | undefined): void {
    this.record(id, reads, { status: 'pass', ...safely(detail, value) }, null);
  }

  private fail<T>(id: CheckId, reads: Reads, thrown: unknown, detail: ((value: T | undefined) => CheckDetail) | undefined): void {
    const error = asSamlError(thrown);
    const found = error.detail ?? safely(detail, undefined);
    const result: Partial<CheckResult> = { status: 'fail', ...found, message: error.message, code: error.code };
    this.record(id, reads, result, error);
  }

  private record(id: CheckId, reads: Reads, fields: Partial<CheckResult>, error: SamlError | null): void {
    // Each check is recorded once, in the pipeline's order: anything else is a bug in validate.ts, not in the input.
    const [expected, title] = CHECKS[this.next] ?? [];
    if (id !== expected) throw new Error(`check ${id} recorded where ${expected ?? 'no check'} was due`);
    this.next += 1;
    this.entries.push({ result: { id, title: title as string, status: 'not-run', verified: false, ...fields }, reads, error });
  }
}

/** A library or runtime failure on hostile input is still a typed rejection, never a TypeError. */
export function asSamlError(error: unknown): SamlError {
  if (error instanceof SamlError) return error;
  return new SamlError('INVALID_INPUT', `The response could not be processed: ${show(error instanceof Error ? error.message : String(error))}.`);
}

/** A detail is a reading for people: one that cannot be read is left out, never a failure of its own. */
function safely<T>(detail: ((value: T | undefined) => CheckDetail) | undefined, value: T | undefined): CheckDetail {
  if (detail === undefined) return {};
  try {
    const { expected, actual } = detail(value);
    return { ...(expected === undefined ? {} : { expected }), ...(actual === undefined ? {} : { actual }) };
  } catch {
    return {};
  }
}
