/**
 * Small, allocation-light helpers over the one @xmldom/xmldom DOM: direct-child lookups by
 * namespace and local name (never a document-wide XPath), and whole-text reading.
 */
import type { Element, Node } from '@xmldom/xmldom';
import { SamlError, show } from '../errors.js';

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
} as const;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const COMMENT_NODE = 8;

export function isElement(node: Node | null): node is Element {
  return node !== null && node.nodeType === ELEMENT_NODE;
}

/** Element children of `parent`, in document order. */
export function childElements(parent: Element): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n !== null; n = n.nextSibling) if (isElement(n)) out.push(n);
  return out;
}

/** Direct children with this namespace and local name. */
export function children(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n !== null; n = n.nextSibling) {
    if (isElement(n) && n.localName === localName && n.namespaceURI === ns) out.push(n);
  }
  return out;
}

/** The one direct child with this name, null when absent; more than one is a structural error. */
export function optionalChild(parent: Element, ns: string, localName: string): Element | null {
  const found = children(parent, ns, localName);
  if (found.length > 1) {
    throw new SamlError('INVALID_ASSERTION', `Expected at most one ${localName} in ${parent.localName}; found ${found.length}.`);
  }
  return found[0] ?? null;
}

export function requiredChild(parent: Element, ns: string, localName: string): Element {
  const found = optionalChild(parent, ns, localName);
  if (found === null) {
    throw new SamlError('INVALID_ASSERTION', `Expected a ${localName} element in ${parent.localName}; found none.`);
  }
  return found;
}

/**
 * The whole character content of an element: every text and CDATA child joined, comments skipped
 * (canonicalization drops them, so the signed value is the joined text). A child element is not
 * text: it is refused rather than read around, so a value is never truncated or spliced.
 */
export function textOf(element: Element): string {
  let first: string | null = null;
  let joined: string[] | null = null;
  for (let n = element.firstChild; n !== null; n = n.nextSibling) {
    const type = n.nodeType;
    if (type === TEXT_NODE || type === CDATA_SECTION_NODE) {
      const data = (n as unknown as { data: string }).data;
      if (first === null) first = data;
      else (joined ??= [first]).push(data);
    } else if (type !== COMMENT_NODE) {
      throw new SamlError('INVALID_ASSERTION', `Expected text only in ${element.localName}; found a child ${show(n.nodeName)}.`);
    }
  }
  return joined ? joined.join('') : (first ?? '');
}

/** An attribute's value, or null when the attribute is absent. */
export function attr(element: Element, name: string): string | null {
  const node = element.getAttributeNode(name);
  return node === null ? null : node.value;
}
