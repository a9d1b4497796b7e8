/**
 * Text output: colours, tables, the check trace and the document summary. Colours only when the
 * stream is a terminal and NO_COLOR is not set (https://no-color.org: any non-empty value).
 * Every value that comes from a document is made terminal-safe first (see safe()).
 */
import pc from 'picocolors';
import type { CheckResult, DocumentSummary } from '../../index.js';

export type Colors = ReturnType<typeof pc.createColors>;

/** Whether output written to `stream` is coloured: a TTY, and NO_COLOR unset or empty. */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colors {
  return pc.createColors(colorEnabled(stream, env));
}

// C0/C1 controls (an ESC starts a terminal escape sequence), bidirectional overrides and
// isolates, zero-width and line/paragraph separators: shown as \u escapes, never written raw.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** A document's text made safe to print on a terminal. */
export function safe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

const ANSI = /\u001b\[[0-9;]*m/g;

function width(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

/**
 * Rows aligned in columns, two spaces apart; the last column is not padded. A row whose first cell
 * is null is a continuation line: its last cell starts under the last column.
 */
export function table(rows: (string | null)[][], indent = '  '): string[] {
  const columns = Math.max(...rows.map((r) => r.length));
  const widths: number[] = [];
  for (const row of rows) {
    if (row[0] === null) continue;
    row.forEach((cell, i) => {
      if (i < columns - 1) widths[i] = Math.max(widths[i] ?? 0, width(cell ?? ''));
    });
  }
  return rows.map((row) => {
    const cells = row.map((cell, i) => (i < row.length - 1 ? pad(cell ?? '', widths[i] ?? 0) : (cell ?? '')));
    return (indent + cells.join('  ')).trimEnd();
  });
}

export const SYMBOL = { pass: '✓', fail: '✗', 'not-run': '–' } as const;

function symbol(status: CheckResult['status'], c: Colors): string {
  if (status === 'pass') return c.green(SYMBOL.pass);
  if (status === 'fail') return c.red(SYMBOL.fail);
  return c.dim(SYMBOL['not-run']);
}

/**
 * The trace: one row per check (status, id, title), and under it, indented to the title, what it
 * expected and what it found (for a pass, what it found), then the message and hint of a failure or
 * why a check did not run. "(unverified)": the values it read came from an element no verified
 * signature covers.
 */
export function renderChecks(checks: readonly CheckResult[], c: Colors): string[] {
  const idWidth = Math.max(5, ...checks.map((check) => width(check.id)));
  const under = ' '.repeat(2 + 1 + 2 + idWidth + 2);
  const lines = [`  ${c.bold(' ')}  ${pad(c.bold('check'), idWidth)}  ${c.bold('title / expected, actual')}`];
  for (const check of checks) {
    const unverified = check.status !== 'not-run' && !check.verified ? ` ${c.yellow('(unverified)')}` : '';
    const title = check.status === 'fail' ? c.red(safe(check.title)) : check.status === 'not-run' ? c.dim(safe(check.title)) : safe(check.title);
    lines.push(`  ${symbol(check.status, c)}  ${pad(check.id, idWidth)}  ${title}${unverified}`);
    const details: string[] = [];
    if (check.status === 'fail') {
      if (check.expected !== undefined) details.push(`${c.dim('expected')} ${safe(check.expected)}`);
      if (check.actual !== undefined) details.push(`${c.dim('actual  ')} ${safe(check.actual)}`);
      if (check.message) details.push(`${c.red(check.code ?? 'error')}: ${safe(check.message)}`);
      if (check.hint) details.push(`${c.cyan('hint')}: ${safe(check.hint)}`);
    } else if (check.status === 'pass') {
      const found = check.actual ?? check.expected;
      if (found !== undefined) details.push(c.dim(safe(found)));
    } else if (check.message) {
      details.push(c.dim(safe(check.message)));
    }
    for (const line of details) lines.push(under + line);
  }
  return lines;
}

/**
 * What the document claims, each value marked where it was not read from a verified element
 * (`markUnverified` false: decode, whose whole output is headed NOT VERIFIED).
 */
export function renderSummary(doc: DocumentSummary, c: Colors, markUnverified = true): string[] {
  const flag = (verified: boolean) => (verified ? c.green('verified') : c.yellow('NOT VERIFIED'));
  const lines: string[] = [];
  const encrypted = doc.encrypted ? '; the Assertion was encrypted' : '';
  lines.push(
    markUnverified
      ? `${c.bold('Document')} (what it claims; Response signature ${flag(doc.verified.response)}, Assertion signature ${flag(doc.verified.assertion)}${encrypted})`
      : `${c.bold('Document')} (what it claims, ${c.yellow('NOT VERIFIED')}${encrypted})`,
  );
  const value = (v: string | null | undefined) => (v === null || v === undefined ? c.dim('(none)') : safe(v));
  const mark = (verified: boolean) => (verified || !markUnverified ? '' : ` ${c.yellow('(unverified)')}`);
  const rows: (string | null)[][] = [];
  const add = (label: string, v: string | null, verified: boolean) => rows.push([label, value(v) + (v === null ? '' : mark(verified))]);
  const r = doc.verified.response;
  const a = doc.verified.assertion;
  add('Response ID', doc.responseId, r);
  add('Issuer', doc.issuer, r);
  add('Destination', doc.destination, r);
  add('InResponseTo', doc.inResponseTo, r);
  add('IssueInstant', doc.issueInstant, r);
  add('Status', doc.status === null ? null : doc.statusMessage ? `${doc.status} (${doc.statusMessage})` : doc.status, r);
  add('Assertion ID', doc.assertionId, a);
  add('Assertion Issuer', doc.assertionIssuer, a);
  add('NameID', doc.nameId === null ? null : doc.nameIdFormat ? `${doc.nameId} (${doc.nameIdFormat})` : doc.nameId, a);
  add('Audience', doc.audiences.length === 0 ? null : doc.audiences.join(', '), a);
  add('Recipient', doc.recipient, a);
  add('NotBefore', doc.notBefore, a);
  add('NotOnOrAfter', doc.notOnOrAfter, a);
  const attributes = Object.entries(doc.attributes);
  rows.push(['Attributes', attributes.length === 0 ? c.dim('(none)') : `${attributes.length}${mark(a)}`]);
  lines.push(...table(rows));
  if (attributes.length > 0) lines.push(...table(attributes.map(([name, values]) => [safe(name), values.map(safe).join(', ')]), '    '));
  if (doc.signatures.length === 0) lines.push(`  Signatures  ${c.dim('(none)')}`);
  for (const s of doc.signatures) {
    lines.push(`  ${c.bold(`Signature on ${safe(s.on)}`)}`);
    lines.push(
      ...table(
        [
          ['algorithm', value(s.signatureAlgorithm)],
          ['digest', value(s.digestAlgorithm)],
          ['canonicalization', value(s.canonicalization)],
          ['reference', value(s.referenceUri)],
          ['KeyInfo cert SHA-256', value(s.keyInfoCertificateSha256)],
        ],
        '    ',
      ),
    );
  }
  return lines;
}
