/**
 * Canonicalization (exclusive and inclusive C14N 1.0 without comments) of a signed element, with
 * xml-crypto's canonicalizers on the one DOM. A signed Response contains its signed Assertion, so
 * one validation canonicalizes the Assertion's content twice: once inside the Response and once on
 * its own. `SubtreeReuse` keeps the first rendering of each child of the Assertion and returns it
 * the second time, when (and only when) the namespace context makes the rendering provably the same.
 */
import type { Element, Node } from '@xmldom/xmldom';
import { C14nCanonicalization } from 'xml-crypto/lib/c14n-canonicalization.js';
import { ExclusiveCanonicalization } from 'xml-crypto/lib/exclusive-canonicalization.js';
import { isElement } from './dom.js';
import { SamlError } from './errors.js';

export const C14N = {
  exc: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  inclusive: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
} as const;

export interface C14nMethod {
  algorithm: (typeof C14N)[keyof typeof C14N];
  /** Exclusive C14N's InclusiveNamespaces PrefixList. */
  prefixes: string[];
}

/** A prefix binding as xml-crypto's exclusive canonicalizer tracks it (outermost first). */
interface Binding {
  prefix: string;
  namespaceURI: string;
}

/** The state the exclusive canonicalizer renders a subtree in, and what it rendered. */
interface Rendering {
  bindings: Binding[];
  defaultNs: string;
  prefixList: string;
  text: string;
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

/**
 * xml-crypto's exclusive canonicalizer renders a subtree as a function of the subtree, the
 * bindings rendered above it, the default namespace in scope and the PrefixList (processInner's
 * arguments; nothing else is read). This subclass records that function's value for the children
 * of `reuse.parent` and answers a later call from the record when the arguments render the same.
 */
class ReusingExclusiveCanonicalization extends ExclusiveCanonicalization {
  reuse: SubtreeReuse | null = null;

  override processInner(node: Node, bindings: Binding[], defaultNs: string, defaultNsForPrefix: Record<string, string>, prefixList: string[]): string {
    const reuse = this.reuse;
    if (reuse === null || node.parentNode !== reuse.parent || !isElement(node)) {
      return super.processInner(node, bindings, defaultNs, defaultNsForPrefix, prefixList);
    }
    const context = { bindings: bindings.slice(), defaultNs, prefixList: prefixList.join(' ') };
    const earlier = reuse.renderings.get(node);
    for (const rendering of earlier ?? []) {
      if (rendersTheSame(rendering, context, prefixList)) {
        reuse.reused++;
        return rendering.text;
      }
    }
    const text = super.processInner(node, bindings, defaultNs, defaultNsForPrefix, prefixList);
    const rendering = { ...context, text };
    if (earlier) earlier.push(rendering);
    else reuse.renderings.set(node, [rendering]);
    return text;
  }
}

/**
 * Whether the subtree rendered as `earlier.text` renders the same in `context`. The bindings are
 * consulted only for a prefix the subtree uses on an element or attribute (then the prefix is in
 * the rendered text, whatever the context: names are rendered verbatim) or one in the PrefixList.
 * So the rendering is the same when the default namespace and the PrefixList are, and every
 * prefix bound differently in the two contexts is neither in the text nor in the PrefixList.
 * (With canonicalize()'s rendering of inherited PrefixList prefixes on the apex, a PrefixList
 * prefix is always bound alike in both contexts; the check keeps this function sound on its own.)
 */
function rendersTheSame(earlier: Rendering, context: Omit<Rendering, 'text'>, prefixList: string[]): boolean {
  if (earlier.defaultNs !== context.defaultNs || earlier.prefixList !== context.prefixList) return false;
  for (const prefix of new Set([...earlier.bindings, ...context.bindings].map((b) => b.prefix))) {
    if (boundTo(earlier.bindings, prefix) === boundTo(context.bindings, prefix)) continue;
    if (prefix === '' || prefixList.includes(prefix) || earlier.text.includes(prefix)) return false;
  }
  return true;
}

/** The namespace `prefix` is bound to: the innermost (last) binding, as xml-crypto reads it. */
function boundTo(bindings: Binding[], prefix: string): string | undefined {
  for (let i = bindings.length - 1; i >= 0; i--) if ((bindings[i] as Binding).prefix === prefix) return (bindings[i] as Binding).namespaceURI;
  return undefined;
}

const exclusive = new ReusingExclusiveCanonicalization();
const inclusive = new C14nCanonicalization();

/** Canonicalize `node` with `method`; `reuse` shares renderings between the canonicalizations of one validation. */
export function canonicalize(node: Element, method: C14nMethod, what: string, reuse: SubtreeReuse | null = null): string {
  try {
    if (method.algorithm === C14N.inclusive) {
      // An unprefixed apex renders its own default namespace; an ancestor's default is added only
      // for a prefixed apex (else the canonicalizer would write xmlns twice).
      const inherited = ancestorNamespaces(node, null).filter((ns) => ns.prefix !== '' || node.prefix);
      return inclusive.process(node as unknown as globalThis.Node, { ancestorNamespaces: inherited });
    }
    if (method.prefixes.length === 0) return exclusively(node, {}, reuse);
    // InclusiveNamespaces prefixes declared above the signed element are rendered on it; the
    // canonicalizer takes them as temporary declarations, removed again below.
    const added = ancestorNamespaces(node, new Set(method.prefixes));
    for (const ns of added) node.setAttributeNS('http://www.w3.org/2000/xmlns/', `xmlns:${ns.prefix}`, ns.namespaceURI);
    try {
      return exclusively(node, { inclusiveNamespacesPrefixList: method.prefixes }, reuse);
    } finally {
      for (const ns of added) node.removeAttributeNS('http://www.w3.org/2000/xmlns/', ns.prefix);
    }
  } catch (error) {
    if (error instanceof SamlError) throw error;
    throw new SamlError('SIGNATURE_INVALID', `The ${what} signature is invalid: canonicalization failed (${error instanceof Error ? error.message : String(error)}).`);
  }
}

function exclusively(node: Element, options: { inclusiveNamespacesPrefixList?: string[] }, reuse: SubtreeReuse | null): string {
  // Synchronous from here to the end: no other validation can see this canonicalizer's `reuse`.
  exclusive.reuse = reuse;
  try {
    return exclusive.process(node as unknown as globalThis.Element, options);
  } finally {
    exclusive.reuse = null;
  }
}

/** Namespace declarations in scope from the ancestors of `node` and not redeclared on it. */
function ancestorNamespaces(node: Element, only: Set<string> | null): Binding[] {
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
      if (a.value !== '' && (only === null || only.has(prefix))) out.push({ prefix, namespaceURI: a.value });
    }
  }
  return out;
}
