/**
 * saml-core check INPUT: validates every captured Response in INPUT with inspectResponse and prints
 * the trace (one row per check), the verdict and what the document claims. Exit 0 when every
 * Response is accepted, 1 when any is rejected, 2 on bad usage or unreadable input.
 */
import { createMemoryReplayStore, idpConfigFromMetadata, inspectResponse, parseIdpMetadata, SamlError, type InspectResult, type ResponseBody, type SamlConfig } from '../../index.js';
import { resolveConfig } from '../../config.js';
import { decodeBody } from '../../saml/decode.js';
import { readConfigFile } from './config-file.js';
import { summarizeResponseXml } from '../../saml/summary.js';
import { detectInput, readFileOrThrow, readSource, type CapturedResponse, type Input } from './input.js';
import { parseInstant } from './instant.js';
import { jsonText, type Io } from './io.js';
import { colorsFor, renderChecks, renderSummary, safe, type Colors } from './render.js';
import { EXIT_OK, EXIT_REJECTED, UsageError, quote } from './usage.js';
import { configOfVector } from './vector-file.js';

export interface CheckFlags {
  config?: string;
  metadata?: string;
  spEntityId?: string;
  acsUrl?: string;
  requestId?: string[];
  now?: string;
  atIssueTime?: boolean;
  json?: boolean;
}

/** Where the instant a Response is judged at came from. */
export type NowSource = '--now' | '--at-issue-time' | 'vector' | 'clock';

export interface CheckedResponse {
  label: string;
  note: string | null;
  config: string;
  now: Date;
  nowSource: NowSource;
  /** What the instant is, in words (the IssueInstant it was derived from, or why it could not be). */
  nowReason: string;
  requestId: string | string[] | null;
  result: InspectResult;
}

export async function runCheck(inputArg: string, flags: CheckFlags, io: Io): Promise<number> {
  const flagNow = flags.now === undefined ? null : parseInstant(flags.now);
  if (flags.metadata === undefined && (flags.spEntityId !== undefined || flags.acsUrl !== undefined)) {
    throw new UsageError(`${flags.spEntityId !== undefined ? '--sp-entity-id' : '--acs-url'} goes with --metadata IDP.xml (with --config, the SP is in the config file)`);
  }
  const input = detectInput(readSource(inputArg).bytes, inputArg === '-' ? 'standard input' : inputArg);
  const responses = input.messages.filter((m): m is CapturedResponse => m.kind === 'response');
  if (responses.length === 0) {
    throw new UsageError(`${input.name} holds ${input.messages.length === 1 ? 'a SAMLRequest' : `${input.messages.length} SAMLRequests`} and no SAMLResponse: check validates Responses (saml-core decode shows a request)`);
  }

  const base = await baseConfig(flags, flagNow);
  if (base === null && responses.some((r) => r.vector === undefined)) {
    throw new UsageError(`check needs the SP and IdP settings: --config FILE.json, or --metadata IDP.xml --sp-entity-id ID --acs-url URL (a vector file brings its own); ${input.name} is ${describeFormat(input)}`);
  }

  // One fresh in-memory store for the run: the same capture checked again later is not a replay,
  // while a Response that repeats within one file is (as it would be at the ACS).
  const replayStore = createMemoryReplayStore();
  const requestIdFlag = flags.requestId === undefined || flags.requestId.length === 0 ? undefined : flags.requestId.length === 1 ? (flags.requestId[0] as string) : flags.requestId;
  const checked: CheckedResponse[] = [];
  for (const response of responses) {
    const config: SamlConfig = base !== null ? { ...base.config, replayStore } : configOfVector(response.vector!, replayStore);
    const { now, nowSource, nowReason } = await judgingInstant(response, config, flagNow, flags.atIssueTime === true, io);
    const requestId = requestIdFlag !== undefined ? requestIdFlag : response.vector !== undefined ? (response.vector.request_id ?? null) : null;
    const result = await inspectResponse(config, response.body, { now, requestId, replayStore });
    checked.push({ label: response.label, note: response.note ?? null, config: base?.name ?? "the vector's own", now, nowSource, nowReason, requestId, result });
  }

  const ok = checked.every((c) => c.result.ok);
  if (flags.json) io.stdout.write(jsonText(checkJson(input, checked, ok)));
  else io.stdout.write(renderCheck(input, checked, colorsFor(io.stdout, io.env)));
  return ok ? EXIT_OK : EXIT_REJECTED;
}

function describeFormat(input: Input): string {
  return { form: 'a POST body', base64: 'a base64 SAMLResponse', xml: 'XML', har: 'a HAR file', 'saml-tracer': 'a SAML-tracer export', vector: 'a vector file', url: 'a URL' }[input.format];
}

async function baseConfig(flags: CheckFlags, now: Date | null): Promise<{ config: SamlConfig; name: string } | null> {
  if (flags.config !== undefined) return { config: readConfigFile(flags.config), name: `--config ${flags.config}` };
  if (flags.metadata === undefined) return null;
  if (flags.spEntityId === undefined || flags.acsUrl === undefined) {
    throw new UsageError(`--metadata needs ${flags.spEntityId === undefined ? '--sp-entity-id ID' : '--acs-url URL'} too (the IdP metadata has the IdP's settings, not the SP's)`);
  }
  const xml = readFileOrThrow(flags.metadata, '--metadata file').toString('utf8');
  let idp: SamlConfig['idp'];
  try {
    // validUntil is judged at --now when given, else at the current time.
    idp = idpConfigFromMetadata(await parseIdpMetadata(xml, now === null ? {} : { now }));
  } catch (error) {
    if (error instanceof SamlError) throw new UsageError(`--metadata ${quote(flags.metadata)}: ${error.code}: ${error.message}`);
    throw error;
  }
  return { config: { sp: { entityId: flags.spEntityId, acsUrl: flags.acsUrl }, idp }, name: `--metadata ${flags.metadata}` };
}

/** The instant a Response is judged at: --now, else its IssueInstant + 1 s (--at-issue-time), else the vector's now, else the clock. */
async function judgingInstant(response: CapturedResponse, config: SamlConfig, flagNow: Date | null, atIssueTime: boolean, io: Io): Promise<{ now: Date; nowSource: NowSource; nowReason: string }> {
  if (flagNow !== null) return { now: flagNow, nowSource: '--now', nowReason: '--now' };
  if (atIssueTime) {
    const issued = await issueInstantOf(response.body, config);
    if (typeof issued === 'number') return { now: new Date(issued + 1000), nowSource: '--at-issue-time', nowReason: `the Response's IssueInstant ${new Date(issued).toISOString()} + 1 s (--at-issue-time)` };
    return { now: io.clock(), nowSource: 'clock', nowReason: `the current time: --at-issue-time found no IssueInstant (${issued})` };
  }
  if (response.vector !== undefined) return { now: new Date(response.vector.now), nowSource: 'vector', nowReason: "the vector's now" };
  return { now: io.clock(), nowSource: 'clock', nowReason: 'the current time (give --now ISO or --at-issue-time to judge a capture at another instant)' };
}

/** The Response's IssueInstant in ms, or why it could not be read (read before any check: not verified). */
async function issueInstantOf(body: ResponseBody, config: SamlConfig): Promise<number | string> {
  try {
    const { xml } = decodeBody(body, resolveConfig(config).maxBodyBytes);
    const text = (await summarizeResponseXml(xml)).issueInstant;
    if (text === null) return 'the Response has none';
    const time = Date.parse(text);
    return Number.isNaN(time) ? `it is ${quote(text)}, not a date` : time;
  } catch (error) {
    return error instanceof SamlError ? `${error.code}: ${error.message}` : String(error);
  }
}

function errorJson(error: SamlError | null) {
  return error === null ? null : { code: error.code, message: error.message, hint: error.hint ?? null };
}

export function checkJson(input: Input, checked: CheckedResponse[], ok: boolean) {
  return {
    command: 'check',
    input: { name: input.name, format: input.format },
    ok,
    responses: checked.map((c) => ({
      label: c.label,
      note: c.note,
      config: c.config,
      now: c.now.toISOString(),
      nowSource: c.nowSource,
      requestId: c.requestId,
      ok: c.result.ok,
      error: errorJson(c.result.error),
      assertion: c.result.assertion,
      checks: c.result.checks,
      document: c.result.document,
    })),
  };
}

function renderCheck(input: Input, checked: CheckedResponse[], c: Colors): string {
  const lines: string[] = [];
  const several = checked.length > 1;
  lines.push(`${c.bold('saml-core check')} ${safe(input.name)} (${describeFormat(input)}${several ? `, ${checked.length} SAML responses` : ''})`);
  checked.forEach((item, i) => {
    lines.push('');
    if (several) lines.push(c.bold(`Response ${i + 1} of ${checked.length}: ${safe(item.label)}`));
    if (item.note) lines.push(`${c.yellow('note')}: ${item.note}`);
    lines.push(`judged at ${item.now.toISOString()}: ${item.nowReason}`);
    const requestId = item.requestId === null ? 'none (IdP-initiated rules; give --request-id ID for an SP-initiated login)' : Array.isArray(item.requestId) ? item.requestId.map(safe).join(', ') : safe(item.requestId);
    lines.push(`pending request ID: ${requestId}`);
    lines.push(`config: ${safe(item.config)}`);
    lines.push('');
    lines.push(...renderChecks(item.result.checks, c));
    lines.push('');
    lines.push(...verdictLines(item.result, c));
    if (item.result.document !== null) {
      lines.push('');
      lines.push(...renderSummary(item.result.document, c));
    }
  });
  if (several) {
    const accepted = checked.filter((x) => x.result.ok).length;
    lines.push('');
    lines.push(c.bold(`${checked.length} responses: ${accepted} accepted, ${checked.length - accepted} rejected`));
    for (const item of checked) {
      lines.push(`  ${item.result.ok ? c.green('✓ accepted') : c.red('✗ rejected')}  ${safe(item.label)}  ${item.result.ok ? safe(item.result.assertion?.nameId ?? '') : (item.result.error?.code ?? '')}`.trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
}

/** ACCEPTED with who logged in; or REJECTED with the first failing check (whose message and hint the trace shows). */
function verdictLines(result: InspectResult, c: Colors): string[] {
  if (result.ok && result.assertion !== null) {
    const a = result.assertion;
    return [`${c.green(c.bold('ACCEPTED'))}: NameID ${safe(a.nameId)} (${safe(a.nameIdFormat)}), ${Object.keys(a.attributes).length} attributes, session index ${a.sessionIndex === null ? '(none)' : safe(a.sessionIndex)}`];
  }
  const error = result.error;
  const fail = result.checks.find((check) => check.status === 'fail');
  if (error === null) return [`${c.red(c.bold('REJECTED'))}`];
  if (fail !== undefined && fail.message === error.message) return [`${c.red(c.bold('REJECTED'))}: ${error.code} at ${fail.id} (${safe(fail.title)}): the first failing check above`];
  const lines = [`${c.red(c.bold('REJECTED'))}: ${error.code}: ${safe(error.message)}`];
  if (error.hint) lines.push(`  ${c.cyan('hint')}: ${safe(error.hint)}`);
  return lines;
}
