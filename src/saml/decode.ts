/**
 * HTTP-POST body → XML text. Every limit is applied before the work it protects: the size before
 * any URL or base64 decoding, strict base64 before UTF-8, UTF-8 before XML, and the DTD ban before
 * the parser ever sees the text (XXE, billion laughs).
 */
import { decodeBase64 } from '../base64.js';
import { SamlError, show } from '../errors.js';
import type { ResponseBody } from '../types.js';

export interface DecodedBody {
  xml: string;
  relayState: string | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function decodeBody(body: ResponseBody, maxBytes: number): DecodedBody {
  const { samlResponse, relayState } = formFields(body, maxBytes);
  const bytes = decodeBase64(samlResponse);
  if (bytes === null) {
    throw new SamlError(
      'INVALID_INPUT',
      'SAMLResponse is not valid base64: expected the standard alphabet with exact padding and nothing after it.',
      'Post the form field exactly as the IdP sent it (URL-decoded once).',
    );
  }
  return { xml: bytesToXml(bytes), relayState };
}

function formFields(body: ResponseBody, maxBytes: number): { samlResponse: string; relayState: string | null } {
  let fields: URLSearchParams | Record<string, string | undefined>;
  if (typeof body === 'string') {
    checkSize(byteLength(body, maxBytes), maxBytes);
    fields = new URLSearchParams(body);
  } else if (body instanceof Uint8Array) {
    // The raw bytes of the urlencoded form (a raw-body middleware, a Node Buffer): measured, then read as UTF-8.
    checkSize(body.byteLength, maxBytes);
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      throw new SamlError('INVALID_INPUT', 'Expected the POST body bytes to be the urlencoded form in UTF-8; they are not valid UTF-8.');
    }
    fields = new URLSearchParams(text);
  } else if (body instanceof URLSearchParams) {
    fields = body;
  } else if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    throw new SamlError('INVALID_INPUT', 'Expected the POST body bytes as a Uint8Array (or Buffer); got an ArrayBuffer or another typed array.', 'Wrap it: new Uint8Array(buffer).');
  } else if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    if (typeof (body as { getReader?: unknown }).getReader === 'function' || typeof (body as { pipe?: unknown }).pipe === 'function') {
      throw new SamlError('INVALID_INPUT', 'Expected the POST body itself; got a stream.', 'Read the body first (await request.text(), or a body-parsing middleware) and pass the text or the form object.');
    }
    fields = body;
  } else {
    throw new SamlError(
      'INVALID_INPUT',
      `Expected the POST body as a string, a Uint8Array (the raw urlencoded bytes), URLSearchParams or { SAMLResponse, RelayState }; got ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}.`,
      'Pass the request body as received: the raw body, or the parsed form object (express.urlencoded(), c.req.parseBody()).',
    );
  }

  const samlResponse = single(fields, 'SAMLResponse');
  const relayState = single(fields, 'RelayState');
  if (samlResponse === null || samlResponse === '') {
    throw new SamlError('INVALID_INPUT', 'Expected a SAMLResponse form field; the body has none.', 'The IdP must POST to the ACS URL with the HTTP-POST binding.');
  }
  if (typeof body !== 'string') checkSize(byteLength(samlResponse, maxBytes) + (relayState === null ? 0 : byteLength(relayState, maxBytes)), maxBytes);
  return { samlResponse, relayState };
}

function single(fields: URLSearchParams | Record<string, string | undefined>, name: string): string | null {
  if (fields instanceof URLSearchParams) {
    const all = fields.getAll(name);
    if (all.length > 1) throw new SamlError('INVALID_INPUT', `Expected one ${name} field; got ${all.length}.`);
    return all[0] ?? null;
  }
  const value = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new SamlError('INVALID_INPUT', `Expected ${name} to be a string; got ${typeof value}.`);
  return value;
}

const ASCII = /^[\x00-\x7f]*$/;

function checkSize(bytes: number, maxBytes: number): void {
  if (bytes > maxBytes) {
    throw new SamlError(
      'INVALID_INPUT',
      `The POST body is larger than the ${maxBytes}-byte limit; it was refused before decoding.`,
      'Raise policy.maxBodyBytes if your IdP sends responses this large (many attributes or groups).',
    );
  }
}

/** The UTF-8 size of `text`, or some size above `stopAbove`. */
export function byteLength(text: string, stopAbove: number): number {
  // UTF-16 length is a lower bound of the UTF-8 size, and exact for ASCII (every base64 or
  // URL-encoded body); count exactly only when other characters might still fit.
  if (text.length > stopAbove || ASCII.test(text)) return text.length;
  return utf8Length(text, stopAbove);
}

function utf8Length(text: string, stopAbove: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= stopAbove; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
  }
  return bytes;
}

const INVALID_XML_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const ENCODING_DECLARATION = /^<\?xml[^>]*?\sencoding\s*=\s*(["'])([^"']*)\1/;

function bytesToXml(bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe) || b0 === 0 || b1 === 0) {
    throw new SamlError('INVALID_INPUT', 'SAMLResponse is UTF-16; only UTF-8 XML is accepted.');
  }
  // XML starts with "<" (after an optional BOM and white space); anything else, e.g. the raw
  // DEFLATE of the HTTP-Redirect binding, is not a POST-binding response.
  let first = b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (bytes[first] === 0x20 || bytes[first] === 0x09 || bytes[first] === 0x0a || bytes[first] === 0x0d) first++;
  if (bytes[first] !== 0x3c) {
    throw new SamlError(
      'INVALID_INPUT',
      'SAMLResponse does not decode to XML (expected "<" first). A DEFLATE-compressed payload belongs to the HTTP-Redirect binding; responses must use HTTP-POST.',
      'Set the IdP to send the response with the HTTP-POST binding.',
    );
  }
  let xml: string;
  try {
    xml = utf8.decode(bytes);
  } catch {
    throw new SamlError('INVALID_INPUT', 'SAMLResponse is not valid UTF-8; only UTF-8 XML is accepted.');
  }
  return checkXmlText(xml, 'INVALID_INPUT', 'INVALID_XML');
}

/**
 * The rules every XML text meets before the parser sees it, Responses and metadata alike: UTF-8
 * only, no DOCTYPE or entity declaration, no control character XML 1.0 forbids.
 */
export function checkXmlText(xml: string, inputCode: 'INVALID_INPUT' | 'METADATA_INVALID', xmlCode: 'INVALID_XML' | 'METADATA_INVALID'): string {
  const declaration = ENCODING_DECLARATION.exec(xml);
  if (declaration && (declaration[2] as string).toLowerCase() !== 'utf-8') {
    throw new SamlError(inputCode, `Expected an XML encoding declaration of UTF-8; got ${JSON.stringify(declaration[2])}.`);
  }
  if (xml.includes('<!DOCTYPE') || xml.includes('<!ENTITY')) {
    throw new SamlError(xmlCode, 'The XML contains a DOCTYPE or entity declaration; SAML messages never do (XXE and entity-expansion attacks), so it is refused before parsing.');
  }
  if (INVALID_XML_CHAR.test(xml)) {
    throw new SamlError(xmlCode, 'The XML contains a control character that XML 1.0 does not allow.');
  }
  return xml;
}

/**
 * RelayState is the SP's own opaque value coming back, but through the browser: attacker-controlled.
 * The binding limits it to 80 bytes (saml-bindings 3.5.3), and it carries no control characters
 * (a header or log line could be split with them). Never redirect to it without checking it.
 */
export function checkRelayState(relayState: string | null, maxBytes: number): void {
  if (relayState === null) return;
  const size = utf8Length(relayState, Infinity);
  if (size > maxBytes) {
    throw new SamlError(
      'INVALID_INPUT',
      `Expected a RelayState of at most ${maxBytes} bytes (policy.maxRelayStateBytes; the HTTP-POST binding allows 80); got ${size} bytes.`,
      'Keep RelayState short: store the return URL server-side and send a short key (the binding allows 80 bytes).',
    );
  }
  const control = CONTROL.exec(relayState);
  if (control !== null) {
    throw new SamlError('INVALID_INPUT', `Expected a RelayState without control characters; got ${show(relayState)} (U+${(control[0].charCodeAt(0)).toString(16).toUpperCase().padStart(4, '0')} at index ${control.index}).`);
  }
}

const CONTROL = /\p{Cc}/u;
