/**
 * Canonicalization of a signed element, on the one DOM: exclusive C14N 1.0 (the method every SAML
 * IdP signs with) and inclusive C14N 1.0, both without comments, rendered here by one iterative
 * renderer that differs between the two only in which namespace declarations and attributes an
 * element gets.
 *
 * Cost is linear in the subtree (a Response is canonicalized before its signature is checked):
 * the namespace each prefix is rendered with is one Map entry, changed with an undo log per
 * depth, so a lookup never walks the enclosing declarations; the walk is a loop, so deep nesting
 * cannot overflow the stack.
 *
 * The canonical form is returned in parts (`CanonicalText`): the digest reads them in order, so a
 * large Response never becomes one large string. (A string over 128 KiB is a V8 large object, and
 * allocating one costs far more than rendering it: see bench/README.md.)
 *
 * A signed Response contains its signed Assertion, so one validation canonicalizes the Assertion's
 * content twice: once inside the Response and once on its own. `SubtreeReuse` keeps the first
 * rendering of each child of the Assertion and returns it the second time, when (and only when) the
 * namespace context makes the rendering provably the same.
 */
import type { Attr, Element, Node } from '@xmldom/xmldom';
import { isElement } from './dom.js';
import { SamlError } from '../errors.js';

export const C14N = {
  exc: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  inclusive: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
} as const;

export interface C14nMethod {
  algorithm: (typeof C14N)[keyof typeof C14N];
  /** Exclusive C14N's InclusiveNamespaces PrefixList (`#default` names the default namespace). */
  prefixes: string[];
}

/** A canonical form: the concatenation of these parts, in order. */
export type CanonicalText = readonly string[];

/** A prefix binding ('' for the default namespace). */
interface Binding {
  prefix: string;
  namespaceURI: string;
}

/** A rendering of a child of the reused parent, and what it depends on besides the child. */
interface Rendering {
  /** The method and PrefixList it was rendered with. */
  method: string;
  /**
   * Each prefix ('' the default namespace) the rendering looked up, with the namespace it was
   * rendered with around the child ('' for none): alternating prefix, namespace. Only these
   * lookups can make it differ, so it is never longer than the child's own names and declarations.
   */
  outer: string[];
  parts: string[];
}

/** Renderings of the element children of `parent`, kept for one validation. */
export interface SubtreeReuse {
  parent: Element;
  renderings: Map<Node, Rendering[]>;
  /** How many renderings were reused (for tests and profiling). */
  reused: number;
}

export function createSubtreeReuse(parent: Element): SubtreeReuse {
  return { parent, renderings: new Map(), reused: 0 };
}

/** Canonicalize `node` with `method`; `reuse` shares renderings between the canonicalizations of one validation. */
export function canonicalize(node: Element, method: C14nMethod, what: string, reuse: SubtreeReuse | null = null): CanonicalText {
  try {
    return new Renderer(method, reuse).render(node);
  } catch (error) {
    if (error instanceof SamlError) throw error;
    throw new SamlError('SIGNATURE_INVALID', `The ${what} signature is invalid: canonicalization failed (${error instanceof Error ? error.message : String(error)}).`);
  }
}

/** Parts are cut at about this many UTF-16 units: small enough to stay out of V8's large-object space. */
const PART_LENGTH = 16_384;
const XMLNS = 'http://www.w3.org/2000/xmlns/';
const XML = 'http://www.w3.org/XML/1998/namespace';

/**
 * The canonical form of the subtree at an apex: the document subset an enveloped signature's
 * same-document Reference selects. Both methods (W3C Recommendations: Canonical XML 1.0, 15 March
 * 2001; Exclusive XML Canonicalization 1.0, 18 July 2002), without comments:
 * - namespace declarations first, sorted by prefix, the default namespace first; each rendered
 *   unless the nearest output ancestor rendered the same binding (`xmlns=""` only under a rendered
 *   default namespace). Which are candidates:
 *   - exclusive: each prefix the element or one of its attributes visibly utilizes (for an
 *     unprefixed element, the default namespace), and each PrefixList prefix in scope (declared on
 *     it, or on the apex inherited from outside the subset);
 *   - inclusive: every namespace in scope (on the apex, those declared on its ancestors too);
 * - then the other attributes, sorted by namespace URI (none first), then local name, in code
 *   point order; on an inclusive apex, with the xml:* attributes of its ancestors (the nearest
 *   of each name, unless the apex has its own), which exclusive C14N does not inherit;
 * - text escaped as &amp; &lt; &gt; &#xD;, attribute values as &amp; &lt; &quot; &#x9; &#xA; &#xD;;
 *   CDATA as text; comments dropped.
 * An attribute is a namespace declaration by its namespace (`xmlns`, `xmlns:*`), never by its
 * name: `xmlnsFoo="x"` is an ordinary attribute and is rendered.
 */
class Renderer {
  private readonly parts: string[] = [];
  /** The part being written, in pieces: joined once, it is one flat string (a long `+=` chain is a rope of small strings the collector must trace). */
  private readonly pending: string[] = [];
  private pendingLength = 0;
  private readonly exclusive: boolean;
  private readonly prefixList: ReadonlySet<string>;
  /** What a rendering depends on besides the namespaces it looks up (`Rendering.method`). */
  private readonly methodKey: string;
  /** The open elements' tag names, one per depth. */
  private readonly tags: string[] = [];
  /** The namespace each prefix ('' the default) is rendered with on the output ancestors; absent: none. */
  private readonly rendered = new Map<string, string>();
  /** Undo log of `rendered`: prefix, previous namespace, ...; `marks` holds its length at each open element. */
  private readonly undo: string[] = [];
  private readonly marks: number[] = [];
  /** The open element's namespace declarations to render (prefixes) and its other attributes. */
  private readonly declared: string[] = [];
  private readonly plain: Attr[] = [];
  // The child of reuse.parent being recorded (children are siblings: one at a time), and the
  // prefixes its rendering looked up.
  private recording: { element: Element; lookedUp: Set<string>; start: number } | null = null;

  private readonly reuse: SubtreeReuse | null;

  constructor(method: C14nMethod, reuse: SubtreeReuse | null) {
    this.reuse = reuse !== null && worthReusing(reuse.parent) ? reuse : null;
    this.exclusive = method.algorithm === C14N.exc;
    this.prefixList = new Set(this.exclusive ? method.prefixes : []);
    this.methodKey = this.exclusive ? `exc ${method.prefixes.join(' ')}` : 'inclusive';
  }

  render(apex: Element): CanonicalText {
    let node: Node = apex;
    for (;;) {
      const reusable = isElement(node) && node !== apex && this.reuse !== null && node.parentNode === this.reuse.parent;
      if (!isElement(node)) this.leaf(node);
      else if (!reusable || !this.reused(node)) {
        if (reusable) this.startRecording(node);
        this.open(node, node === apex);
        const first = node.firstChild;
        if (first !== null) {
          node = first;
          continue;
        }
        this.close(node);
      }
      // Next in document order: the next sibling, else the end of each parent that ends here.
      for (;;) {
        if (node === apex) {
          this.flush();
          return this.parts;
        }
        const next: Node | null = node.nextSibling;
        if (next !== null) {
          node = next;
          break;
        }
        node = node.parentNode as Node;
        this.close(node as Element);
      }
    }
  }

  private write(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= PART_LENGTH) this.flush();
  }

  private flush(): void {
    if (this.pendingLength === 0) return;
    this.parts.push(this.pending.join(''));
    this.pending.length = 0;
    this.pendingLength = 0;
  }

  private open(element: Element, isApex: boolean): void {
    this.marks.push(this.undo.length);
    // Scratch arrays, one element at a time (emptied only when used: setting a length is not free).
    const declared = this.declared;
    const plain = this.plain;
    if (declared.length > 0) declared.length = 0;
    if (plain.length > 0) plain.length = 0;
    if (this.exclusive) {
      this.bind(element.prefix ?? '', element.namespaceURI ?? '');
    } else if (isApex) {
      // Every namespace in scope: those of the ancestors not redeclared here (the element's own follow).
      for (const ns of ancestorNamespaces(element, null)) this.bind(ns.prefix, ns.namespaceURI);
    }
    const attributes = element.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes.item(i) as Attr;
      const prefix = declaredPrefix(a);
      if (prefix === null) {
        plain.push(a);
        if (this.exclusive && a.prefix) this.bind(a.prefix, a.namespaceURI ?? '');
      } else if (!this.exclusive || this.prefixList.has(prefix === '' ? '#default' : prefix)) {
        // Inclusive: every declaration; exclusive: a PrefixList one (its inclusive part).
        this.bind(prefix, a.value);
      }
    }
    if (isApex) {
      if (!this.exclusive) plain.push(...inheritedXmlAttributes(element));
      else if (this.prefixList.size > 0) {
        // PrefixList namespaces in scope from outside the subset are rendered on the apex.
        for (const ns of ancestorNamespaces(element, this.prefixList)) this.bind(ns.prefix, ns.namespaceURI);
      }
    }

    let text = '<' + element.tagName;
    if (declared.length > 1) declared.sort(compareCodePoints);
    for (const prefix of declared) text += (prefix === '' ? ' xmlns="' : ' xmlns:' + prefix + '="') + escapeAttribute(this.rendered.get(prefix) as string) + '"';
    if (plain.length > 1) plain.sort(byNamespaceThenName);
    for (const a of plain) text += ' ' + a.name + '="' + escapeAttribute(a.value) + '"';
    this.write(text + '>');
    this.tags.push(element.tagName);
  }

  /**
   * Render `prefix` as bound to `namespaceURI` ('' for none) on the element being opened (added
   * to `declared`), unless the nearest output ancestor rendered that binding already.
   */
  private bind(prefix: string, namespaceURI: string): void {
    if (prefix === 'xml') return; // the xml namespace is bound everywhere and never declared
    this.recording?.lookedUp.add(prefix);
    const current = this.rendered.get(prefix) ?? '';
    if (current === namespaceURI || (prefix !== '' && namespaceURI === '')) return;
    this.undo.push(prefix, current);
    this.rendered.set(prefix, namespaceURI);
    this.declared.push(prefix);
  }

  private close(element: Element): void {
    this.write('</' + (this.tags.pop() as string) + '>');
    const mark = this.marks.pop() as number;
    for (let i = this.undo.length - 2; i >= mark; i -= 2) this.rendered.set(this.undo[i] as string, this.undo[i + 1] as string);
    this.undo.length = mark;
    if (this.recording?.element === element) this.stopRecording();
  }

  private leaf(node: Node): void {
    switch (node.nodeType) {
      case 3: // text
      case 4: // CDATA section: its content, as text
        this.write(escapeText((node as unknown as { data: string }).data));
        return;
      case 8: // comment: dropped (canonicalization without comments)
        return;
      case 7: {
        // processing instruction (the parser refuses them in a Response; rendered as C14N says)
        const { target, data } = node as unknown as { target: string; data: string };
        this.write('<?' + target + (data ? ' ' + data : '') + '?>');
        return;
      }
      default:
        throw new Error(`unexpected ${node.nodeName} node`);
    }
  }

  /** Writes the recorded rendering of `element`, if one renders the same here. */
  private reused(element: Element): boolean {
    const reuse = this.reuse as SubtreeReuse;
    for (const rendering of reuse.renderings.get(element) ?? []) {
      if (rendering.method === this.methodKey && this.rendersTheSame(rendering.outer)) {
        reuse.reused++;
        this.flush();
        this.parts.push(...rendering.parts);
        return true;
      }
    }
    return false;
  }

  /**
   * Whether each prefix a rendering looked up is rendered here with the namespace it had around
   * that rendering. A rendering reads the context only through these lookups (the rest is the
   * subtree and the method), so it is then the same here.
   */
  private rendersTheSame(outer: readonly string[]): boolean {
    for (let i = 0; i < outer.length; i += 2) {
      if ((this.rendered.get(outer[i] as string) ?? '') !== outer[i + 1]) return false;
    }
    return true;
  }

  private startRecording(element: Element): void {
    this.flush();
    this.recording = { element, lookedUp: new Set(), start: this.parts.length };
  }

  /** After the recorded child's end tag: `rendered` is back to the child's context. */
  private stopRecording(): void {
    const { element, lookedUp, start } = this.recording as NonNullable<typeof this.recording>;
    this.recording = null;
    this.flush();
    const outer: string[] = [];
    for (const prefix of lookedUp) outer.push(prefix, this.rendered.get(prefix) ?? '');
    const rendering: Rendering = { method: this.methodKey, outer, parts: this.parts.slice(start) };
    const renderings = (this.reuse as SubtreeReuse).renderings;
    const earlier = renderings.get(element);
    if (earlier) earlier.push(rendering);
    else renderings.set(element, [rendering]);
  }
}

/**
 * Renderings are kept for a parent of at most this many element children. An Assertion has a
 * handful (Issuer, Signature, Subject, Conditions, statements), some large; recording each of
 * thousands of tiny children costs more than rendering them again.
 */
const MAX_REUSED_CHILDREN = 64;

function worthReusing(parent: Element): boolean {
  let count = 0;
  for (let n = parent.firstChild; n !== null; n = n.nextSibling) if (isElement(n) && ++count > MAX_REUSED_CHILDREN) return false;
  return true;
}

/** The prefix an attribute declares ('' for the default namespace), or null for an ordinary attribute. */
function declaredPrefix(a: Attr): string | null {
  if (a.namespaceURI !== XMLNS) return null;
  return a.prefix === 'xmlns' ? (a.localName as string) : '';
}

/** Attributes in canonical order: by namespace URI (no namespace first), then by local name. */
function byNamespaceThenName(a: Attr, b: Attr): number {
  return compareCodePoints(a.namespaceURI ?? '', b.namespaceURI ?? '') || compareCodePoints(a.localName ?? a.name, b.localName ?? b.name);
}

/**
 * Strings in code point order (C14N's lexicographic order, the order of their UTF-8 bytes). UTF-16
 * unit order differs where a surrogate (U+10000 and up) meets a unit from U+E000 to U+FFFF.
 */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  return codePointRank(a.charCodeAt(i)) - codePointRank(b.charCodeAt(i));
}

/** A UTF-16 unit's rank in code point order: surrogates after U+E000-U+FFFF. */
function codePointRank(unit: number): number {
  return unit < 0xd800 ? unit : unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

const TEXT_SPECIAL = /[&<>\r]/;
const TEXT_SPECIALS = /[&<>\r]/g;
const ATTRIBUTE_SPECIAL = /[&<"\t\n\r]/;
const ATTRIBUTE_SPECIALS = /[&<"\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };
const escape = (c: string): string => ESCAPES[c] as string;

function escapeText(text: string): string {
  return TEXT_SPECIAL.test(text) ? text.replace(TEXT_SPECIALS, escape) : text;
}

function escapeAttribute(value: string): string {
  return ATTRIBUTE_SPECIAL.test(value) ? value.replace(ATTRIBUTE_SPECIALS, escape) : value;
}

/**
 * Namespace declarations in scope from the ancestors of `node` and not redeclared on it (prefix ''
 * for the default namespace; none for an `xmlns=""` nearer than any default); with `only`, just
 * those it names (`#default` for the default).
 */
function ancestorNamespaces(node: Element, only: ReadonlySet<string> | null): Binding[] {
  const seen = new Set<string>();
  for (let i = 0; i < node.attributes.length; i++) {
    const prefix = declaredPrefix(node.attributes.item(i) as Attr);
    if (prefix !== null) seen.add(prefix);
  }
  const out: Binding[] = [];
  for (let p = node.parentNode; p !== null && isElement(p); p = p.parentNode) {
    for (let i = 0; i < p.attributes.length; i++) {
      const a = p.attributes.item(i) as Attr;
      const prefix = declaredPrefix(a);
      if (prefix === null || seen.has(prefix)) continue;
      seen.add(prefix);
      if (a.value !== '' && (only === null || only.has(prefix === '' ? '#default' : prefix))) out.push({ prefix, namespaceURI: a.value });
    }
  }
  return out;
}

/** The xml:* attributes of the ancestors of `node`, the nearest of each name, but for those `node` has. */
function inheritedXmlAttributes(node: Element): Attr[] {
  const seen = new Set<string>();
  for (let i = 0; i < node.attributes.length; i++) {
    const a = node.attributes.item(i) as Attr;
    if (a.namespaceURI === XML) seen.add(a.localName as string);
  }
  const out: Attr[] = [];
  for (let p = node.parentNode; p !== null && isElement(p); p = p.parentNode) {
    for (let i = 0; i < p.attributes.length; i++) {
      const a = p.attributes.item(i) as Attr;
      if (a.namespaceURI !== XML || seen.has(a.localName as string)) continue;
      seen.add(a.localName as string);
      out.push(a);
    }
  }
  return out;
}
