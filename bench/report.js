/** Markdown for the benchmark's results. */

export function table(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

const grouped = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const micros = (us) => (us === null || us === undefined ? '—' : grouped(us, us < 100 ? 1 : 0));
export const perSecond = (n) => (n === null || n === undefined ? '—' : grouped(n));
export const ratio = (r) => (r === null || r === undefined ? '—' : `${r.toFixed(2)}×`);
export const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const escapeCell = (text) => String(text).replace(/\|/g, '\\|').replace(/\s+/g, ' ');

/**
 * One verdict as the tables show it: `valid ✓`, `tampered-assertion ✗ rejected`, and a `!` after
 * every verdict a strict validator would not give.
 */
export function verdictText(label, verdict) {
  if (verdict.accepted) {
    if (verdict.expected.valid && verdict.nameIdOk) return `${label} ✓`;
    if (verdict.expected.valid) return `${label} ✓ accepted, wrong NameID ${JSON.stringify(verdict.nameId)}!`;
    return `${label} ✓ accepted!`;
  }
  return verdict.expected.valid ? `${label} ✗ rejected! (${escapeCell(verdict.error).slice(0, 160)})` : `${label} ✗ rejected`;
}

/** The per-case table: candidate, µs/op, ops/s, ratio to the baseline, verdicts. */
export function caseTable(caseResult, baseline) {
  const rows = caseResult.candidates.map((c) => {
    const verdicts = Object.entries(c.verdicts).map(([label, v]) => verdictText(label, v));
    // The reason is shown once: in the verdict it explains, or here when no verdict holds it.
    const explained = Object.values(c.verdicts).some((v) => v.error === c.error);
    if (c.error) verdicts.push(explained ? 'not timed' : `not timed: ${escapeCell(c.error).slice(0, 200)}`);
    const t = c.timing;
    return [c.name === baseline ? `${c.name} (baseline)` : c.name, micros(t?.usPerOp), perSecond(t?.opsPerSec), ratio(t?.ratio), verdicts.join(' / ')];
  });
  return table(['candidate', 'µs/op', 'ops/s', `× ${baseline}`, 'verdicts'], rows);
}

/** The settings and unmapped options of each candidate, as a list. */
export function configurationList(candidates) {
  return candidates
    .map((c) => {
      const lines = [`- **${c.name}**: ${c.settings.join('; ')}`];
      if (c.unmapped.length) lines.push(`  - cannot be configured to check: ${c.unmapped.join('; ')}`);
      return lines.join('\n');
    })
    .join('\n');
}
