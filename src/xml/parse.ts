/**
 * XML text → the one DOM, parsed once. Any parser warning or error is fatal; the structural limits
 * (policy.xmlLimits) and the ban on processing instructions stop the parser as it reads. One walk
 * over the tree then records what the signature and structure rules need: every ID (must be unique,
 * so a Reference can name only one element), every Assertion and Signature wherever it hides (XML
 * signature wrapping puts them in Extensions, Advice, ds:Object...).
 */
import { DOMParser, ParseError, type Document, type Element } from '@xmldom/xmldom';
import { NS, isElement } from './dom.js';
import { SamlError, show } from '../errors.js';
import type { XmlLimits } from '../types.js';

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
 * (../shared/vectors-real) and the 1000-attribute benchmark fixtures, with a wide margin (the table
 * of measured maxima is in README, under the API's SamlConfig).
 */
export const DEFAULT_XML_LIMITS: Readonly<XmlLimits> = Object.freeze({
  maxDepth: 64,
  maxElements: 50_000,
  maxAttributesPerElement: 64,
  maxNamespaceDeclarationsPerElement: 32,
  maxNamespaceDeclarations: 20_000,
  maxComments: 10_000,
});

const ID_ATTRIBUTES = ['ID', 'Id', 'id', 'AssertionID', 'ResponseID'];

/** What a document is, for its errors: the name messages use, their code, and where its limits are set. */
export interface XmlSource {
  name: string;
  code: 'INVALID_XML' | 'METADATA_INVALID';
  /** The setting that holds the limits, named in a limit's message, or null when it is fixed. */
  limitsSetting: string | null;
}

/** A Response, and the plaintext of an EncryptedAssertion (parsed under the Response's limits). */
export const RESPONSE: XmlSource = { name: 'SAMLResponse', code: 'INVALID_XML', limitsSetting: 'policy.xmlLimits' };

/** What xmldom's SAX reader hands its DOM builder (lib/sax.js, lib/dom-parser.js of 0.9.x). */
interface SaxAttributes {
  length: number;
}
interface DomHandler {
  startElement(namespaceURI: string | null, localName: string, qName: string, attributes: SaxAttributes): void;
  endElement(namespaceURI: string | null, localName: string, qName: string): void;
  startPrefixMapping(prefix: string, uri: string): void;
  comment(chars: string, start: number, length: number): void;
  processingInstruction(target: string, data: string): void;
}
type DomHandlerClass = new (options: unknown) => DomHandler;

/**
 * xmldom's own DOM builder, which the parser exposes as its `domHandler` option (the class a
 * DOMParser uses to build the tree from SAX events). A subclass sees every element as the reader
 * reaches it, so the limits stop a hostile document at the first element past one, before xmldom
 * builds the rest: xmldom's cost per element grows with the depth (each element's namespace scope is
 * a prototype chain of its ancestors' scopes), so deep nesting is quadratic without a depth limit.
 */
const XmldomHandler = (new DOMParser() as unknown as { domHandler: DomHandlerClass }).domHandler;

/** The limits of the parse under way (parsing is synchronous, so there is one at a time). */
let activeLimits: XmlLimits = DEFAULT_XML_LIMITS;
let activeSource: XmlSource = RESPONSE;

class LimitedHandler extends XmldomHandler {
  readonly limits = activeLimits;
  readonly source = activeSource;
  depth = 0;
  elements = 0;
  namespaceDeclarations = 0;
  comments = 0;
  /** Declarations the reader reported for the element it is about to start. */
  pendingDeclarations = 0;

  override startPrefixMapping(prefix: string, uri: string): void {
    this.pendingDeclarations++;
    super.startPrefixMapping(prefix, uri);
  }

  override startElement(namespaceURI: string | null, localName: string, qName: string, attributes: SaxAttributes): void {
    const { limits } = this;
    const declarations = this.pendingDeclarations;
    this.pendingDeclarations = 0;
    this.namespaceDeclarations += declarations;
    if (++this.depth > limits.maxDepth) throw limitError(`nests elements ${this.depth} deep`, 'maxDepth', limits, this.source);
    if (++this.elements > limits.maxElements) throw limitError(`has at least ${this.elements} elements`, 'maxElements', limits, this.source);
    if (attributes.length - declarations > limits.maxAttributesPerElement) {
      throw limitError(`has an element ${show(qName)} with ${attributes.length - declarations} attributes`, 'maxAttributesPerElement', limits, this.source);
    }
    if (declarations > limits.maxNamespaceDeclarationsPerElement) {
      throw limitError(`has an element ${show(qName)} with ${declarations} namespace declarations`, 'maxNamespaceDeclarationsPerElement', limits, this.source);
    }
    if (this.namespaceDeclarations > limits.maxNamespaceDeclarations) {
      throw limitError(`has at least ${this.namespaceDeclarations} namespace declarations`, 'maxNamespaceDeclarations', limits, this.source);
    }
    super.startElement(namespaceURI, localName, qName, attributes);
  }

  override comment(chars: string, start: number, length: number): void {
    if (++this.comments > this.limits.maxComments) throw limitError(`has at least ${this.comments} comments`, 'maxComments', this.limits, this.source);
    super.comment(chars, start, length);
  }

  /** The XML declaration is the one processing instruction allowed (xmldom refuses it anywhere but first). */
  override processingInstruction(target: string, data: string): void {
    if (target !== 'xml') throw new ParseError('', undefined, processingInstruction(target, this.source));
    super.processingInstruction(target, data);
  }

  override endElement(namespaceURI: string | null, localName: string, qName: string): void {
    this.depth--;
    super.endElement(namespaceURI, localName, qName);
  }
}

/**
 * Thrown as xmldom's own ParseError, which its reader passes through unchanged (any other error
 * thrown by the DOM builder is reported as a recoverable one); parseResponse unwraps the SamlError.
 */
function limitError(what: string, key: keyof XmlLimits, limits: XmlLimits, source: XmlSource): ParseError {
  const setting = source.limitsSetting;
  const error = new SamlError(
    source.code,
    `The ${setting === null ? source.name : 'XML'} ${what}; the limit is ${limits[key]} (${setting === null ? `${key}, fixed` : `${setting}.${key}`}).`,
    setting === null ? undefined : `Raise ${setting}.${key} only if a real IdP sends such documents.`,
  );
  return new ParseError(error.message, undefined, error);
}

/** Parse `xml` as one document of `source`'s kind: its root element, and nothing but comments around it. */
export function parseXml(xml: string, limits: XmlLimits, source: XmlSource): { document: Document; root: Element } {
  let document: Document;
  activeSource = source;
  activeLimits = limits;
  try {
    document = new DOMParser({
      // No line/column on every node: the messages never carried them, and it is 10% of the parse.
      locator: false,
      // XML 1.0 line ends (2.11): CRLF and CR become LF, nothing else. xmldom's default also turns
      // U+0085, U+2028 and U+2029 into LF (XML 1.1's rule), so a signed value holding one would
      // read and canonicalize differently from what libxml2-based signers (xmlsec1) signed.
      normalizeLineEndings: xml10LineEnds,
      domHandler: LimitedHandler,
      onError(level, message) {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    if (error instanceof ParseError && error.cause instanceof SamlError) throw error.cause;
    throw new SamlError(source.code, `The ${source.name} is not well-formed XML: ${reason(error)}.`);
  } finally {
    activeLimits = DEFAULT_XML_LIMITS;
    activeSource = RESPONSE;
  }
  return { document, root: rootElement(document, source) };
}

export function parseResponse(xml: string, limits: XmlLimits = DEFAULT_XML_LIMITS): ParsedResponse {
  const { document, root: response } = parseXml(xml, limits, RESPONSE);
  if (response.localName !== 'Response' || response.namespaceURI !== NS.protocol) {
    throw new SamlError(
      'INVALID_XML',
      `Expected a SAML 2.0 Response (samlp:Response in ${NS.protocol}); got ${show(response.localName)} in ${response.namespaceURI === null ? 'no namespace' : show(response.namespaceURI)}.`,
    );
  }

  return indexResponse(document, response);
}

/**
 * One walk over the Response: every Signature, Assertion and EncryptedAssertion, and every ID
 * unique. Run again on the document once a decrypted Assertion has replaced its EncryptedAssertion.
 */
export function indexResponse(document: Document, response: Element): ParsedResponse {
  const parsed: ParsedResponse = { document, response, signatures: [], assertions: [], encryptedAssertions: [] };
  walkWithUniqueIds(response, 'SIGNATURE_INVALID', (element) => recordElement(element, parsed));
  return parsed;
}

/**
 * Visits every element under `root` (itself included) in document order, and refuses an ID that
 * appears twice, so that a signature reference can name only one element.
 */
export function walkWithUniqueIds(root: Element, code: 'SIGNATURE_INVALID' | 'METADATA_INVALID', visit: (element: Element) => void): void {
  const ids = new Set<string>();
  // A ds:Signature's Id is never a reference target here (a Reference names `#` + the signed
  // element's ID), and pysaml2 gives both Signatures the same Id once the assertion is decrypted:
  // Signature Ids may repeat among themselves, never collide with any other element's ID.
  const signatureIds = new Set<string>();
  const duplicate = (id: string) => new SamlError(code, `The ID ${JSON.stringify(id)} appears on more than one element; a signature reference must name exactly one (signature wrapping).`);
  // Iterative pre-order walk: deep nesting cannot overflow the stack.
  const stack: Element[] = [root];
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    visit(element);
    const isSignature = element.localName === 'Signature' && element.namespaceURI === NS.dsig;
    for (const name of ID_ATTRIBUTES) {
      const id = element.getAttributeNode(name);
      if (id === null) continue;
      if (isSignature && name === 'Id') {
        if (ids.has(id.value)) throw duplicate(id.value);
        signatureIds.add(id.value);
        continue;
      }
      if (ids.has(id.value) || signatureIds.has(id.value)) throw duplicate(id.value);
      ids.add(id.value);
    }
    for (let n = element.lastChild; n !== null; n = n.previousSibling) {
      if (isElement(n)) stack.push(n);
    }
  }
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
function rootElement(document: Document, source: XmlSource): Element {
  let root: Element | null = null;
  for (let n = document.firstChild; n !== null; n = n.nextSibling) {
    if (isElement(n)) {
      if (root !== null) throw new SamlError(source.code, `The ${source.name} has more than one root element.`);
      root = n;
    } else if (n.nodeType === 7) {
      if (n.nodeName !== 'xml' || n !== document.firstChild) throw processingInstruction(n.nodeName, source);
    } else if (n.nodeType === 3) {
      if (/\S/.test((n as unknown as { data: string }).data)) throw new SamlError(source.code, `The ${source.name} has text outside its root element.`);
    } else if (n.nodeType !== 8) {
      throw new SamlError(source.code, `The ${source.name} has an unexpected ${show(n.nodeName)} node outside its root element.`);
    }
  }
  if (root === null) throw new SamlError(source.code, `The ${source.name} has no root element.`);
  return root;
}

function xml10LineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function processingInstruction(target: string, source: XmlSource): SamlError {
  return new SamlError(source.code, `The ${source.name} contains a processing instruction (target ${show(target)}); SAML documents carry none.`);
}

/** The parser's own words, which may quote the document: cut and escaped like any document text. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return show(message.replace(/\s+/g, ' '));
}
