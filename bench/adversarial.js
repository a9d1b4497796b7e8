/**
 * The adversarial table (issue 10, section 1): the costliest bodies we can build just under the
 * 1 MiB body limit, each validated by saml-core beside a normal signed response of the same size.
 * Target: no hostile body costs more than 3× the normal one. A hostile body that is ACCEPTED fails
 * the run; a time over the target is printed as OVER TARGET and never fails it (timing on a shared
 * machine is not a test).
 *
 * Every hostile body starts from the signed `okta-5` fixture, so it gets as far as the limits allow:
 * the payload goes inside the signed content (the first AttributeValue, or the Assertion itself), the
 * Response's Signature keeps its shape (only its C14N transform is rewritten for the C14N rows), and
 * the digest is compared only after the whole Response is canonicalized.
 *
 *   parse rows   one shape each, under the default policy.xmlLimits: refused while parsing, or
 *                parsed, canonicalized and refused at the digest.
 *   C14N rows    three shapes built to stay inside the default limits, for each C14N method the
 *                Response signature can name (exclusive; exclusive with an InclusiveNamespaces
 *                PrefixList; inclusive 1.0), then the same shapes grown to the body limit with every
 *                limit raised (policy.xmlLimits at 10,000,000): the canonicalizer's own cost.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { validateResponse } from '../dist/index.js';
import { configOf } from '../test/vector-runner.js';
import { buildFixture } from './fixtures.js';
import { compare, median } from './measure.js';

/** saml-core's default policy.maxBodyBytes; the base64 of this many XML bytes is exactly 1 MiB. */
const MAX_BODY = 1024 * 1024;
const XML_BUDGET = (MAX_BODY / 4) * 3 - 64;
/** The normal response: an okta-shaped fixture with as many attributes as fit under 1 MiB. */
export const NORMAL_FIXTURE = 'okta-2490';
const HOSTILE_BASE = 'okta-5';
/** Depth of the first AttributeValue's content in the okta shape (Response 1 > Assertion 2 > AttributeStatement 3 > Attribute 4 > AttributeValue 5). */
const VALUE_DEPTH = 6;
const DEFAULTS = { maxDepth: 64, maxElements: 50_000, maxAttributesPerElement: 64, maxNamespaceDeclarationsPerElement: 32, maxNamespaceDeclarations: 20_000, maxComments: 10_000 };
const RAISED = Object.fromEntries(Object.keys(DEFAULTS).map((key) => [key, 10_000_000]));
/** What the okta-5 fixture has outside the payload (57 elements, 30 namespace declarations), rounded up. */
const FIXTURE_ELEMENTS = 64;
const FIXTURE_DECLARATIONS = 32;
const HERE = fileURLToPath(import.meta.url);
/** The heap of the child that runs the rows: a body that needs more is reported as OUT OF MEMORY. */
const CHILD_HEAP_MB = 1536;
/** Rows slower than this are timed in fewer rounds (every one is still timed beside the baseline). */
const SLOW_MS = 1000;

export const TARGET = 3;

const METHODS = {
  exc: { label: 'exclusive C14N', transform: '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>' },
  'exc-prefixlist': { label: 'exclusive C14N + PrefixList', transform: null }, // PrefixList built per shape
  inclusive: { label: 'inclusive C14N 1.0', transform: '<ds:Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>' },
};

// ---------------------------------------------------------------------------------------------
// Building blocks: each returns text no longer than `room` characters (all ASCII).

const repeatTo = (room, unit, max = Infinity) => unit.repeat(Math.max(0, Math.min(max, Math.floor(room / unit.length))));

/** `levels` nested elements, open(i) / close(i) at level i, and `inner` at the bottom. */
function nest(levels, open, close, inner = '') {
  let head = '';
  let tail = '';
  for (let i = 0; i < levels; i++) {
    head += open(i);
    tail = close(i) + tail;
  }
  return head + inner + tail;
}

/** As many levels of open/close as fit in `room` (up to `max`). */
function nestTo(room, open, close, max = Infinity) {
  let used = 0;
  let levels = 0;
  while (levels < max) {
    const cost = open(levels).length + close(levels).length;
    if (used + cost > room) break;
    used += cost;
    levels++;
  }
  return nest(levels, open, close);
}

const declarationsText = (count, name = (i) => `n${i}`) => Array.from({ length: count }, (_, i) => ` xmlns:${name(i)}="urn:${name(i)}"`).join('');

/** unit(0) unit(1) ... for as long as they fit in `room` (at most `max` of them). */
function fillWith(room, unit, max = Infinity) {
  const parts = [];
  let used = 0;
  for (let i = 0; i < max; i++) {
    const text = unit(i);
    if (used + text.length > room) break;
    parts.push(text);
    used += text.length;
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// The parse rows: payload inside the first AttributeValue.

const PARSE_SHAPES = [
  {
    name: 'deep nesting, a fresh namespace prefix per level',
    payload: (room) => nestTo(room, (i) => `<p${i}:a xmlns:p${i}="u">`, (i) => `</p${i}:a>`),
  },
  {
    name: 'deep nesting, a fresh prefix per level, the outermost prefix used at every level',
    payload: (room) => nestTo(room, (i) => `<saml2:a xmlns:q${i}="u">`, () => '</saml2:a>'),
  },
  { name: 'one element, namespace declarations filling the body', payload: (room) => `<a${fillWith(room - 4, (i) => ` xmlns:n${i}="u"`)}/>` },
  { name: 'one element, attributes filling the body', payload: (room) => `<a${fillWith(room - 4, (i) => ` a${i}="v"`)}/>` },
  { name: 'tiny elements filling the body', payload: (room) => repeatTo(room, '<a/>') },
  { name: 'tiny elements with text between', payload: (room) => repeatTo(room, '<a/>x') },
  {
    name: 'elements at the attribute limit (64 each), up to the body limit',
    payload: (room) => repeatTo(room, `<a${Array.from({ length: DEFAULTS.maxAttributesPerElement }, (_, i) => ` a${i}=""`).join('')}/>`),
  },
  {
    name: 'one namespace declaration per element, up to the document limit, then text',
    payload: (room) => {
      const out = fillWith(room, (i) => `<p${i}:a xmlns:p${i}="u"/>`, DEFAULTS.maxNamespaceDeclarations - FIXTURE_DECLARATIONS);
      return out + 'x'.repeat(room - out.length);
    },
  },
  { name: 'empty comments filling the body', payload: (room) => repeatTo(room, '<!---->') },
  { name: 'comments up to the comment limit, text between', payload: (room) => repeatTo(room, `x<!---->${'x'.repeat(Math.floor(room / DEFAULTS.maxComments) - 8)}`, DEFAULTS.maxComments) },
  { name: 'character references filling the body', payload: (room) => repeatTo(room, '&#65;') },
  { name: 'entity references in one attribute value', payload: (room) => `<a v="${repeatTo(room - 9, '&amp;')}"/>` },
  { name: 'CDATA sections filling the body', payload: (room) => repeatTo(room, '<![CDATA[x]]>') },
  { name: 'one text node filling the body', payload: (room) => 'x'.repeat(room) },
  { name: 'long element names', payload: (room) => repeatTo(room, `<${'n'.repeat(200)}></${'n'.repeat(200)}>`) },
  { name: 'processing instructions filling the body', payload: (room) => repeatTo(room, '<?a?>') },
];

// ---------------------------------------------------------------------------------------------
// The C14N rows. Each shape gives { assertionAttributes, payload (inside the first AttributeValue),
// assertionContent (children appended to the Assertion), prefixes (for a PrefixList) } for `room`
// and a set of limits.

const C14N_SHAPES = [
  {
    name: 'bindings on the Assertion over many Assertion children',
    build(room, limits) {
      // The Assertion already declares saml2 and xs.
      const count = Math.min(limits.maxNamespaceDeclarationsPerElement - 2, 12_000);
      const name = (i) => `b${i}`;
      const assertionAttributes = declarationsText(count, name);
      const children = repeatTo(room - assertionAttributes.length, '<c/>', limits.maxElements - FIXTURE_ELEMENTS);
      // What the element limit leaves of the body: text in the first AttributeValue.
      const payload = 'x'.repeat(Math.max(0, room - assertionAttributes.length - children.length));
      return { assertionAttributes, assertionContent: children, payload, prefixes: Array.from({ length: count }, (_, i) => name(i)) };
    },
  },
  {
    name: 'a fresh namespace declaration on every element',
    build(room, limits) {
      const count = Math.min(limits.maxNamespaceDeclarations - FIXTURE_DECLARATIONS, limits.maxElements - FIXTURE_ELEMENTS);
      const payload = fillWith(room, (i) => `<c xmlns:p${i}="u"/>`, count);
      return { payload: payload + 'x'.repeat(room - payload.length), prefixes: ['p0', 'p1', 'p2'] };
    },
  },
  {
    name: 'a deep chain of bindings, many elements at the bottom',
    build(room, limits) {
      const perLevel = Math.min(limits.maxNamespaceDeclarationsPerElement, 32);
      const levels = Math.min(limits.maxDepth - VALUE_DEPTH, 2000);
      // Each level binds its own prefix and perLevel - 1 more.
      const open = (level) => `<d${level}:a xmlns:d${level}="urn:d${level}"${declarationsText(perLevel - 1, (i) => `d${level}_${i}`)}>`;
      const close = (level) => `</d${level}:a>`;
      let chain = nest(levels, open, close);
      let used = levels;
      while (chain.length > room / 2 || limits.maxNamespaceDeclarations - FIXTURE_DECLARATIONS < used * perLevel) {
        used = Math.floor(used / 2);
        chain = nest(used, open, close);
      }
      // The bottom: elements using the outermost prefix (a lookup through every binding in scope).
      const bottom = repeatTo(room - chain.length, '<d0:b/>', limits.maxElements - used - FIXTURE_ELEMENTS);
      const filler = 'x'.repeat(Math.max(0, room - chain.length - bottom.length));
      const at = chain.lastIndexOf('>', chain.indexOf('</')) + 1;
      const prefixes = Array.from({ length: used }, (_, level) => `d${level}`);
      return { payload: chain.slice(0, at) + bottom + filler + chain.slice(at), prefixes };
    },
  },
];

// ---------------------------------------------------------------------------------------------

function insertAfter(xml, marker, text) {
  const at = xml.indexOf('>', xml.indexOf(marker)) + 1;
  if (at === 0) throw new Error(`no ${marker} in the base fixture`);
  return xml.slice(0, at) + text + xml.slice(at);
}

/** The Response's own C14N transform (the first one after enveloped-signature) replaced by `transform`. */
function withResponseTransform(xml, transform) {
  const from = xml.indexOf('<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"');
  const to = xml.indexOf('</ds:Transform>', from) + '</ds:Transform>'.length;
  return xml.slice(0, from) + transform + xml.slice(to);
}

const prefixListTransform = (prefixes) =>
  `<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"><ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="${prefixes.join(' ')}"/></ds:Transform>`;

function hostileXml(base, { transform = null, assertionAttributes = '', assertionContent = '', payload = '' }) {
  let xml = transform ? withResponseTransform(base, transform) : base;
  if (assertionAttributes) xml = xml.replace('<saml2:Assertion ', `<saml2:Assertion${assertionAttributes} `);
  if (assertionContent) xml = xml.replace('</saml2:Assertion>', `${assertionContent}</saml2:Assertion>`);
  if (payload) xml = insertAfter(xml, '<saml2:AttributeValue', payload);
  return xml;
}

/** Builds with `build(room)` and shrinks the room until the body fits under the limit. */
function fitted(base, build) {
  let room = XML_BUDGET - base.length - 256;
  for (;;) {
    const xml = hostileXml(base, build(room));
    if (xml.length <= XML_BUDGET) return xml;
    room -= xml.length - XML_BUDGET + 16;
  }
}

/**
 * The table's rows: { group, name, limits ('default' | 'raised'), fields } and the baseline
 * { name, fields, bytes }, with the config and options to validate them with.
 */
export async function buildAdversarialCases() {
  const normal = await buildFixture(NORMAL_FIXTURE, { verify: false }); // runAdversarial checks that saml-core accepts it
  const base = await buildFixture(HOSTILE_BASE);
  const baseXml = Buffer.from(base.inputs.valid.SAMLResponse, 'base64').toString('utf8');
  const fields = (xml) => ({ SAMLResponse: Buffer.from(xml, 'utf8').toString('base64') });
  const rows = [];
  for (const shape of PARSE_SHAPES) {
    rows.push({ group: 'parse', name: shape.name, limits: 'default', fields: fields(fitted(baseXml, (room) => ({ payload: shape.payload(room) }))) });
  }
  for (const [limitsName, limits] of [['default', DEFAULTS], ['raised', RAISED]]) {
    for (const [method, { label, transform }] of Object.entries(METHODS)) {
      for (const shape of C14N_SHAPES) {
        const xml = fitted(baseXml, (room) => {
          const built = shape.build(room, limits);
          return { ...built, transform: transform ?? prefixListTransform(built.prefixes) };
        });
        rows.push({ group: label, name: shape.name, limits: limitsName, fields: fields(xml) });
      }
    }
  }
  for (const row of rows) {
    if (row.fields.SAMLResponse.length > MAX_BODY) throw new Error(`${row.group}: ${row.name}: body of ${row.fields.SAMLResponse.length} bytes is over the limit`);
  }
  const config = (xmlLimits) => {
    const c = configOf(normal.vector, { remember: async () => true });
    return xmlLimits ? { ...c, policy: { ...c.policy, xmlLimits } } : c;
  };
  return {
    normal: { name: `${NORMAL_FIXTURE} (valid, signed)`, fields: normal.inputs.valid, bytes: normal.inputs.valid.SAMLResponse.length },
    rows,
    configs: { default: config(null), raised: config(RAISED) },
    options: { now: new Date(normal.vector.now), requestId: normal.vector.request_id },
  };
}

async function verdictOf(config, fields, options) {
  try {
    await validateResponse(config, fields, options);
    return { accepted: true, code: 'ACCEPTED' };
  } catch (error) {
    return { accepted: false, code: error.code ?? 'ERROR', message: String(error.message).slice(0, 300) };
  }
}

/**
 * Times every row beside the normal response (interleaved rounds of the two, median per-round
 * ratio), in a child process with a capped heap: a hostile body that exhausts the heap or runs past
 * the per-row time limit kills only its child, is reported as such, and the next child goes on with
 * the following rows. Resolves to { normal, rows: [{ group, name, limits, bytes, verdict, usPerOp,
 * ratio, rounds }] }; a row that did not finish has verdict { code: 'OUT OF MEMORY' | 'STOPPED' }.
 */
export async function runAdversarial(settings, log = () => {}) {
  let normal = null;
  let rows = null;
  const results = [];
  let next = 0;
  while (rows === null || next < rows.length) {
    const from = next;
    const outcome = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [`--max-old-space-size=${CHILD_HEAP_MB}`, HERE, '--child', JSON.stringify({ settings, from })], { stdio: ['ignore', 'pipe', 'pipe'] });
      let current = null;
      let timer = null;
      let stderr = '';
      let buffered = '';
      child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
      child.stdout.on('data', (data) => {
        buffered += data;
        let nl;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const message = JSON.parse(buffered.slice(0, nl));
          buffered = buffered.slice(nl + 1);
          if (message.type === 'cases') ({ normal, rows } = message);
          else if (message.type === 'start') {
            current = message.index;
            log(`  adversarial: ${rows[current].group}: ${rows[current].name} (limits ${rows[current].limits})`);
            clearTimeout(timer);
            timer = setTimeout(() => {
              results[current] = { verdict: { accepted: false, code: 'STOPPED', message: `still running after ${settings.rowTimeoutMs / 1000} s` }, usPerOp: null, ratio: null, rounds: 0, unfinished: true };
              child.kill('SIGKILL');
            }, settings.rowTimeoutMs);
          } else if (message.type === 'row') {
            clearTimeout(timer);
            results[message.index] = message.result;
            current = null;
            next = message.index + 1;
          }
        }
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (rows === null) return reject(new Error(`the adversarial child exited (${code}) before building the cases: ${stderr.trim().split('\n').pop()}`));
        if (current !== null) {
          results[current] ??= { verdict: { accepted: false, code: 'OUT OF MEMORY', message: stderr.includes('heap out of memory') ? `heap over ${CHILD_HEAP_MB} MiB` : `child exited ${code}: ${stderr.trim().split('\n').pop()}` }, usPerOp: null, ratio: null, rounds: 0, unfinished: true };
          next = current + 1;
        }
        resolve(code);
      });
    });
    if (next === from && outcome !== 0) throw new Error('the adversarial child made no progress');
  }
  return { normal: { ...normal, usPerOp: median(results.map((r) => r.normalUs).filter((t) => t !== undefined)) }, rows: rows.map((row, i) => ({ ...row, ...results[i] })) };
}

/** The child: builds the cases, then runs rows `from`... in order, one JSON line per event. */
async function child({ settings, from }) {
  const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
  const built = await buildAdversarialCases();
  const { normal, configs, options } = built;
  send({ type: 'cases', normal: { name: normal.name, bytes: normal.bytes }, rows: built.rows.map(({ group, name, limits, fields }) => ({ group, name, limits, bytes: fields.SAMLResponse.length })) });
  const normalVerdict = await verdictOf(configs.default, normal.fields, options);
  if (!normalVerdict.accepted) throw new Error(`the normal response was rejected: ${normalVerdict.message}`);
  const baseline = { name: 'normal', fn: () => validateResponse(configs.default, normal.fields, options) };
  for (let index = from; index < built.rows.length; index++) {
    const row = built.rows[index];
    send({ type: 'start', index });
    const config = configs[row.limits];
    const started = performance.now();
    const verdict = await verdictOf(config, row.fields, options);
    const firstMs = performance.now() - started;
    const fn = () => validateResponse(config, row.fields, options).catch(() => null);
    const timing = firstMs > SLOW_MS ? await slowRounds(baseline.fn, fn, settings.slowRounds) : await interleaved(baseline, fn, settings);
    send({ type: 'row', index, result: { verdict, normalUs: timing.normalUs, ...timing.row } });
  }
}

/** The benchmark's method (measure.js): warm-up, then interleaved rounds of both, median per-round ratio. */
async function interleaved(baseline, fn, settings) {
  const timings = await compare([baseline, { name: 'row', fn }], settings, 'normal');
  const row = timings.get('row');
  return { normalUs: timings.get('normal').usPerOp, row: { usPerOp: row.usPerOp, ratio: row.ratio, rounds: settings.rounds } };
}

/** A row slower than SLOW_MS: its first call was the warm-up; `rounds` rounds of one call each, beside one of the baseline. */
async function slowRounds(baselineFn, fn, rounds) {
  const time = async (f) => {
    const start = performance.now();
    await f();
    return (performance.now() - start) * 1000;
  };
  const normal = [];
  const row = [];
  for (let i = 0; i < rounds; i++) {
    normal.push(await time(baselineFn));
    row.push(await time(fn));
  }
  return { normalUs: median(normal), row: { usPerOp: median(row), ratio: median(row.map((t, i) => t / normal[i])), rounds } };
}

/** Over the target: slower than TARGET× the normal response, or never finished. */
export const overTarget = (row) => row.unfinished === true || row.ratio > TARGET;

/**
 * What fails the run: a hostile body accepted, or one that exhausted the heap or the time limit under
 * the default limits. Being slower than the target never fails it (timing on a shared machine).
 */
export function adversarialFailures(result) {
  return result.rows
    .filter((r) => r.verdict.accepted || (r.unfinished && r.limits === 'default'))
    .map((r) => `adversarial: saml-core ${r.verdict.accepted ? 'ACCEPTED' : r.verdict.code} the hostile body "${r.group}: ${r.name}" (limits ${r.limits})`);
}

if (process.argv[2] === '--child') await child(JSON.parse(process.argv[3]));
