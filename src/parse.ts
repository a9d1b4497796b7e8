/**
 * XML text → the one DOM, parsed once. Any parser warning or error is fatal. One walk over the tree
 * then records what the signature and structure rules need: every ID (must be unique, so a
 * Reference can name only one element), every Assertion and Signature wherever it hides (XML
 * signature wrapping puts them in Extensions, Advice, ds:Object...), and any processing instruction.
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { NS, isElement } from './dom.js';
import { SamlError } from './errors.js';
import type { XmlLimits } from './types.js';

export interface ParsedResponse {
  document: Document;
  response: Element;
  /** Every ds:Signature element in the document. */
  signatures: Element[];
  /** Every saml:Assertion element in the document, wherever it is. */
  assertions: Element[];
  /** Every EncryptedAssertion element in the document. */
  encryptedAssertions: Element[];
}

/**
 * Structural limits of a Response, enforced while parsing. Sized from the real IdP responses
 * (../shared/vectors-real) and the 1000-attribute benchmark fixtures, with a wide margin.
 */
export const DEFAULT_XML_LIMITS: Readonly<XmlLimits> = Object.freeze({
  maxDepth: 64,
  maxElements: 50_000,
  maxAttributesPerElement: 64,
  maxNamespaceDeclarationsPerElement: 32,
  maxNamespaceDeclarations: 20_000,
});

const ID_ATTRIBUTES = ['ID', 'Id', 'id', 'AssertionID', 'ResponseID'];

// TODO(issue 10, section 1): enforce `limits` while parsing.
export function parseResponse(xml: string, limits: XmlLimits = DEFAULT_XML_LIMITS): ParsedResponse {
  void limits;
  let document: Document;
  try {
    document = new DOMParser({
      // No line/column on every node: the messages never carried them, and it is 10% of the parse.
      locator: false,
      onError(level, message) {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    throw new SamlError('INVALID_XML', `The SAMLResponse is not well-formed XML: ${reason(error)}.`);
  }

  const response = rootElement(document);
  if (response.localName !== 'Response' || response.namespaceURI !== NS.protocol) {
    throw new SamlError(
      'INVALID_XML',
      `Expected a SAML 2.0 Response (samlp:Response in ${NS.protocol}); got ${response.localName} in ${response.namespaceURI ?? 'no namespace'}.`,
    );
  }

  const parsed: ParsedResponse = { document, response, signatures: [], assertions: [], encryptedAssertions: [] };
  const ids = new Set<string>();
  // Iterative pre-order walk: deep nesting cannot overflow the stack.
  const stack: Element[] = [response];
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    recordElement(element, parsed);
    for (const name of ID_ATTRIBUTES) {
      const id = element.getAttributeNode(name);
      if (id === null) continue;
      if (ids.has(id.value)) {
        throw new SamlError('SIGNATURE_INVALID', `The ID ${JSON.stringify(id.value)} appears on more than one element; a signature reference must name exactly one (signature wrapping).`);
      }
      ids.add(id.value);
    }
    for (let n = element.lastChild; n !== null; n = n.previousSibling) {
      if (isElement(n)) stack.push(n);
      else if (n.nodeType === 7) throw processingInstruction(n.nodeName);
    }
  }
  return parsed;
}

function recordElement(element: Element, parsed: ParsedResponse): void {
  const ns = element.namespaceURI;
  if (ns === NS.dsig) {
    if (element.localName === 'Signature') parsed.signatures.push(element);
  } else if (ns === NS.assertion) {
    if (element.localName === 'Assertion') parsed.assertions.push(element);
    else if (element.localName === 'EncryptedAssertion') parsed.encryptedAssertions.push(element);
  }
}

/** The document element, with nothing around it but the XML declaration, white space and comments. */
function rootElement(document: Document): Element {
  let root: Element | null = null;
  for (let n = document.firstChild; n !== null; n = n.nextSibling) {
    if (isElement(n)) {
      if (root !== null) throw new SamlError('INVALID_XML', 'The XML has more than one root element.');
      root = n;
    } else if (n.nodeType === 7) {
      if (n.nodeName !== 'xml' || n !== document.firstChild) throw processingInstruction(n.nodeName);
    } else if (n.nodeType === 3) {
      if (/\S/.test((n as unknown as { data: string }).data)) throw new SamlError('INVALID_XML', 'The XML has text outside its root element.');
    } else if (n.nodeType !== 8) {
      throw new SamlError('INVALID_XML', `The XML has an unexpected ${n.nodeName} node outside its root element.`);
    }
  }
  if (root === null) throw new SamlError('INVALID_XML', 'The XML has no root element.');
  return root;
}

function processingInstruction(target: string): SamlError {
  return new SamlError('INVALID_XML', `The XML contains a processing instruction <?${target}?>; SAML responses carry none.`);
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').slice(0, 300);
}
