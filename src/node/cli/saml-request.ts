/**
 * A SAMLRequest (or a redirect-binding SAMLResponse) parameter value → its XML text. The
 * HTTP-Redirect binding (saml-bindings 3.4.4.1) DEFLATEs (raw, RFC 1951) the message before base64;
 * the HTTP-POST binding only base64-encodes it. The inflated size is capped: a few hundred bytes of
 * DEFLATE can expand to gigabytes, so output beyond MAX_INFLATED_BYTES is refused, never produced.
 */
import { inflateSync } from 'fflate';
import { decodeBase64 } from '../../base64.js';
import { UsageError } from './usage.js';

/** An AuthnRequest is a few kilobytes; 1 MiB is the core's default limit for a whole POST body. */
export const MAX_INFLATED_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface DecodedRequest {
  xml: string;
  /** Whether the value was DEFLATEd (the redirect binding) or base64 of the XML itself (the POST binding). */
  deflated: boolean;
}

/** Decodes a parameter value (already URL-decoded once, as URLSearchParams gives it). */
export function decodeSamlRequest(value: string, what = 'SAMLRequest'): DecodedRequest {
  const bytes = decodeBase64(value.replace(/[\t\n\f\r ]+/g, ''));
  if (bytes === null) throw new UsageError(`${what} is not valid base64 (expected the standard alphabet with exact padding)`);
  if (looksLikeXml(bytes)) return { xml: text(bytes, what), deflated: false };
  const inflated = inflate(bytes, what);
  if (inflated === null) throw new UsageError(`${what} is base64 but neither XML (the POST binding) nor raw DEFLATE (the redirect binding)`);
  return { xml: text(inflated, what), deflated: true };
}

/**
 * Raw DEFLATE → bytes; null when the bytes are not raw DEFLATE. More than MAX_INFLATED_BYTES of
 * output is a UsageError.
 */
export function inflate(bytes: Uint8Array, what = 'SAMLRequest'): Uint8Array | null {
  // fflate writes into the buffer it is given and stops at its end: one byte more than the cap
  // tells a message over the cap from one that fills it exactly.
  let out: Uint8Array;
  try {
    out = inflateSync(bytes, { out: new Uint8Array(MAX_INFLATED_BYTES + 1) });
  } catch {
    return null;
  }
  if (out.length > MAX_INFLATED_BYTES) throw new UsageError(`${what} inflates to more than ${MAX_INFLATED_BYTES} bytes; refused (a DEFLATE bomb, or not a SAML message)`);
  return out;
}

function looksLikeXml(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x3c;
}

function text(bytes: Uint8Array, what: string): string {
  let xml: string;
  try {
    xml = utf8.decode(bytes);
  } catch {
    throw new UsageError(`${what} does not decode to UTF-8 text`);
  }
  if (!looksLikeXml(new TextEncoder().encode(xml.slice(0, 64)))) throw new UsageError(`${what} decodes to text that is not XML: it starts with ${JSON.stringify(xml.slice(0, 40))}`);
  return xml;
}
