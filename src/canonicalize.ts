/**
 * Canonicalization of a signed element, on the one DOM. Exclusive C14N 1.0, the method every SAML
 * IdP signs with, is rendered here in one iterative pass; inclusive C14N 1.0 (rare) is
 * xml-crypto's. Both are without comments.
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
import { C14nCanonicalization } from 'xml-crypto/lib/c14n-canonicalization.js';
import { isElement } from './dom.js';
import { SamlError } from './errors.js';

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

/** A prefix binding rendered on an output ancestor. */
interface Binding {
  prefix: string;
  namespaceURI: string;
}

/** The bindings rendered on the output ancestors: a persistent list, innermost first. */
interface Scope extends Binding {
  outer: Scope | null;
}

/** The context a child of the reused parent was rendered in, and what it rendered. */
interface Rendering {
  /** Prefix bindings rendered around it, outermost first. */
  bindings: Binding[];
  /** The default namespace rendered around it ('' for none). */
  defaultNs: string;
  prefixList: string;
  /** Every prefix its elements and attributes are named with. */
  prefixesUsed: Set<string>;
  parts: string[];
}

/** What a rendering depends on besides the subtree: the namespace context and the PrefixList. */
type Context = Omit<Rendering, 'parts' | 'prefixesUsed'>;

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
    if (method.algorithm === C14N.exc) return new ExclusiveRenderer(method.prefixes, reuse).render(node);
    // An unprefixed apex renders its own default namespace; an ancestor's default is added only
    // for a prefixed apex (else xml-crypto's canonicalizer would write xmlns twice).
    const inherited = ancestorNamespaces(node, null).filter((ns) => ns.prefix !== '' || node.prefix);
    return [inclusive.process(node as unknown as globalThis.Node, { ancestorNamespaces: inherited })];
  } catch (error) {
    if (error instanceof SamlError) throw error;
    throw new SamlError('SIGNATURE_INVALID', `The ${what} signature is invalid: canonicalization failed (${error instanceof Error ? error.message : String(error)}).`);
  }
}

const inclusive = new C14nCanonicalization();

/** Parts are cut at about this many UTF-16 units: small enough to stay out of V8's large-object space. */
const PART_LENGTH = 16_384;
const XMLNS = 'http://www.w3.org/2000/xmlns/';

/**
 * Exclusive XML Canonicalization 1.0 without comments (W3C Recommendation 18 July 2002) of the
 * subtree at an apex: the document subset an enveloped signature's same-document Reference selects.
 * For each element:
 * - namespace declarations: each prefix the element or one of its attributes visibly utilizes
 *   (for an unprefixed element, the default namespace), and each PrefixList prefix in scope
 *   (declared on it, or on the apex inherited from outside the subset), unless the nearest output
 *   ancestor rendered the same binding; sorted by prefix, the default namespace first;
 * - then the other attributes, sorted by namespace URI (none first), then local name;
 * - text escaped as &amp; &lt; &gt; &#xD;, attribute values as &amp; &lt; &quot; &#x9; &#xA; &#xD;.
 * Comments are dropped; xml:* attributes are not inherited from outside the subset (that is
 * inclusive C14N's rule). Iterative, so deep nesting cannot overflow the stack.
 */
class ExclusiveRenderer {
  private readonly parts: string[] = [];
  private pending = '';
  private readonly prefixList: ReadonlySet<string>;
  // The open elements, one entry per depth: tag name, rendered scope, rendered default namespace.
  private readonly tags: string[] = [];
  private readonly scopes: (Scope | null)[] = [];
  private readonly defaults: string[] = [];
  // The child of reuse.parent being recorded (children are siblings: one at a time).
  private recording: { element: Element; context: Context; prefixesUsed: Set<string>; start: number } | null = null;
  private readonly prefixListText: string;

  constructor(
    private readonly prefixes: readonly string[],
    private readonly reuse: SubtreeReuse | null,
  ) {
    this.prefixList = new Set(prefixes);
    this.prefixListText = prefixes.join(' ');
  }

  render(apex: Element): CanonicalText {
    let node: Node = apex;
    for (;;) {
      const context = isElement(node) ? this.reuseContext(node) : null;
      if (!isElement(node)) this.leaf(node);
      else if (context === null || !this.reused(node, context)) {
        this.open(node, node === apex, context);
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
    this.pending += text;
    if (this.pending.length >= PART_LENGTH) this.flush();
  }

  private flush(): void {
    if (this.pending === '') return;
    this.parts.push(this.pending);
    this.pending = '';
  }

  private open(element: Element, isApex: boolean, context: Context | null): void {
    if (context !== null) this.startRecording(element, context);
    const depth = this.tags.length;
    const outerScope = depth === 0 ? null : (this.scopes[depth - 1] as Scope | null);
    let scope = outerScope;
    let defaultNs = depth === 0 ? '' : (this.defaults[depth - 1] as string);
    let renderDefault = false;
    const used = this.recording?.prefixesUsed;

    const prefix = element.prefix;
    if (prefix) {
      scope = utilize(scope, prefix, element.namespaceURI ?? '');
      used?.add(prefix);
    } else if ((element.namespaceURI ?? '') !== defaultNs) {
      defaultNs = element.namespaceURI ?? '';
      renderDefault = true;
    }

    const attributes = element.attributes;
    let plain: Attr[] | null = null;
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes.item(i) as Attr;
      if (a.namespaceURI === XMLNS) {
        // A declaration is rendered for a PrefixList prefix only (exclusive C14N's inclusive part).
        if (a.prefix === 'xmlns') {
          if (a.value !== '' && this.prefixList.has(a.localName as string)) scope = utilize(scope, a.localName as string, a.value);
        } else if (!renderDefault && a.value !== defaultNs && this.prefixList.has('#default')) {
          defaultNs = a.value;
          renderDefault = true;
        }
        continue;
      }
      (plain ??= []).push(a);
      if (a.prefix) {
        used?.add(a.prefix);
        if (a.prefix !== 'xml') scope = utilize(scope, a.prefix, a.namespaceURI ?? '');
      }
    }
    if (isApex && this.prefixList.size > 0) {
      // PrefixList namespaces in scope from outside the subset are rendered on the apex.
      for (const ns of ancestorNamespaces(element, this.prefixList)) {
        if (ns.prefix !== '') scope = utilize(scope, ns.prefix, ns.namespaceURI);
        else if (!renderDefault && ns.namespaceURI !== defaultNs) {
          defaultNs = ns.namespaceURI;
          renderDefault = true;
        }
      }
    }

    let text = '<' + element.tagName;
    if (renderDefault) text += ' xmlns="' + escapeAttribute(defaultNs) + '"';
    if (scope !== outerScope) text += declarations(scope, outerScope);
    if (plain !== null) {
      if (plain.length > 1) plain.sort(byNamespaceThenName);
      for (const a of plain) text += ' ' + a.name + '="' + escapeAttribute(a.value) + '"';
    }
    this.write(text + '>');
    this.tags.push(element.tagName);
    this.scopes.push(scope);
    this.defaults.push(defaultNs);
  }

  private close(element: Element): void {
    this.write('</' + (this.tags.pop() as string) + '>');
    this.scopes.pop();
    this.defaults.pop();
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

  /** The context `element` renders in when it is a child of the reused parent, else null. */
  private reuseContext(element: Element): Context | null {
    if (this.reuse === null || element.parentNode !== this.reuse.parent) return null;
    const depth = this.tags.length;
    return {
      bindings: bindingsOf(depth === 0 ? null : (this.scopes[depth - 1] as Scope | null)),
      defaultNs: depth === 0 ? '' : (this.defaults[depth - 1] as string),
      prefixList: this.prefixListText,
    };
  }

  /** Writes the recorded rendering of `element`, if one renders the same in `context`. */
  private reused(element: Element, context: Context): boolean {
    const reuse = this.reuse as SubtreeReuse;
    for (const rendering of reuse.renderings.get(element) ?? []) {
      if (rendersTheSame(rendering, context, this.prefixes)) {
        reuse.reused++;
        this.flush();
        this.parts.push(...rendering.parts);
        return true;
      }
    }
    return false;
  }

  private startRecording(element: Element, context: Context): void {
    this.flush();
    this.recording = { element, context, prefixesUsed: new Set(), start: this.parts.length };
  }

  private stopRecording(): void {
    const { element, context, prefixesUsed, start } = this.recording as NonNullable<typeof this.recording>;
    this.recording = null;
    this.flush();
    const rendering: Rendering = { ...context, prefixesUsed, parts: this.parts.slice(start) };
    const renderings = (this.reuse as SubtreeReuse).renderings;
    const earlier = renderings.get(element);
    if (earlier) earlier.push(rendering);
    else renderings.set(element, [rendering]);
  }
}

/** `scope` with `prefix` bound to `namespaceURI`, unless the nearest output ancestor rendered that already. */
function utilize(scope: Scope | null, prefix: string, namespaceURI: string): Scope | null {
  for (let s = scope; s !== null; s = s.outer) {
    if (s.prefix === prefix) return s.namespaceURI === namespaceURI ? scope : { prefix, namespaceURI, outer: scope };
  }
  return { prefix, namespaceURI, outer: scope };
}

/** The declarations of the bindings from `scope` out to (not including) `outer`, sorted by prefix. */
function declarations(scope: Scope | null, outer: Scope | null): string {
  const added: Scope[] = [];
  for (let s = scope; s !== outer && s !== null; s = s.outer) added.push(s);
  if (added.length > 1) added.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
  let text = '';
  for (const s of added) text += ' xmlns:' + s.prefix + '="' + escapeAttribute(s.namespaceURI) + '"';
  return text;
}

function bindingsOf(scope: Scope | null): Binding[] {
  const bindings: Binding[] = [];
  for (let s = scope; s !== null; s = s.outer) bindings.push({ prefix: s.prefix, namespaceURI: s.namespaceURI });
  return bindings.reverse();
}

/** Attributes in canonical order: by namespace URI (no namespace first), then by local name. */
function byNamespaceThenName(a: Attr, b: Attr): number {
  const an = a.namespaceURI ?? '';
  const bn = b.namespaceURI ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  const al = a.localName ?? a.name;
  const bl = b.localName ?? b.name;
  return al < bl ? -1 : al > bl ? 1 : 0;
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
 * Whether a subtree rendered in the context of `earlier` renders the same in `context`. Its
 * rendering reads the bindings only for the prefixes it names elements and attributes with, and
 * for the PrefixList's. So it is the same when the default namespace and the PrefixList are, and
 * every prefix bound differently in the two contexts is neither used in it nor in the PrefixList.
 * (A PrefixList prefix in scope is rendered on the apex, so it is always bound alike in both
 * contexts; the check keeps this function sound on its own.)
 */
function rendersTheSame(earlier: Rendering, context: Context, prefixList: readonly string[]): boolean {
  if (earlier.defaultNs !== context.defaultNs || earlier.prefixList !== context.prefixList) return false;
  for (const prefix of new Set([...earlier.bindings, ...context.bindings].map((b) => b.prefix))) {
    if (boundTo(earlier.bindings, prefix) === boundTo(context.bindings, prefix)) continue;
    if (prefixList.includes(prefix) || earlier.prefixesUsed.has(prefix)) return false;
  }
  return true;
}

/** The namespace `prefix` is bound to: the innermost (last) binding. */
function boundTo(bindings: Binding[], prefix: string): string | undefined {
  for (let i = bindings.length - 1; i >= 0; i--) if ((bindings[i] as Binding).prefix === prefix) return (bindings[i] as Binding).namespaceURI;
  return undefined;
}

/**
 * Namespace declarations in scope from the ancestors of `node` and not redeclared on it (prefix ''
 * for the default namespace); with `only`, just those it names (`#default` for the default).
 */
function ancestorNamespaces(node: Element, only: ReadonlySet<string> | null): Binding[] {
  const seen = new Set<string>();
  for (let i = 0; i < node.attributes.length; i++) {
    const a = node.attributes.item(i);
    if (a === null) continue;
    if (a.name === 'xmlns') seen.add('');
    else if (a.prefix === 'xmlns') seen.add(a.localName as string);
  }
  const out: Binding[] = [];
  for (let p = node.parentNode; p !== null && isElement(p); p = p.parentNode) {
    for (let i = 0; i < p.attributes.length; i++) {
      const a = p.attributes.item(i);
      if (a === null) continue;
      const prefix = a.name === 'xmlns' ? '' : a.prefix === 'xmlns' ? (a.localName as string) : null;
      if (prefix === null || seen.has(prefix)) continue;
      seen.add(prefix);
      if (a.value !== '' && (only === null || only.has(prefix === '' ? '#default' : prefix))) out.push({ prefix, namespaceURI: a.value });
    }
  }
  return out;
}
