// Reading a vector's Response XML, for the canonicalization tests and the recorder beside this file.
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';

export const samlResponseOf = (vector) => (typeof vector.body === 'string' ? new URLSearchParams(vector.body).get('SAMLResponse') : vector.saml_response);

/** The vector's Response as text: base64 of UTF-8; null when it is not (an input vector, rejected before any canonicalization). */
export function vectorXml(vector) {
  const encoded = samlResponseOf(vector);
  if (typeof encoded !== 'string') return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** The saml:Assertion that is a direct child of `response`, if any. */
export const childAssertion = (response) => Array.from(response.childNodes).find((n) => n.localName === 'Assertion' && n.namespaceURI === SAML);
