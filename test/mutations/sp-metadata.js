// Mutants of the SP metadata builder (src/saml/sp-metadata.ts) and of the rules for values written
// into built XML (src/xml/write.ts, src/saml/options.ts); same format as mutations.js.
const F = 'saml/sp-metadata.js';
export const SP_METADATA_MUTATIONS = [
  // Flags the IdP acts on
  { name: 'sp metadata: WantAssertionsSigned is true', file: F, from: "sp.setAttribute('WantAssertionsSigned', 'true');", to: "sp.setAttribute('WantAssertionsSigned', 'false');" },
  { name: 'sp metadata: AuthnRequestsSigned is false (requests are unsigned)', file: F, from: "sp.setAttribute('AuthnRequestsSigned', 'false');", to: "sp.setAttribute('AuthnRequestsSigned', 'true');" },
  { name: 'sp metadata: the ACS binding is HTTP-POST', file: F, from: "acs.setAttribute('Binding', HTTP_POST);", to: "acs.setAttribute('Binding', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect');" },
  { name: 'sp metadata: the ACS is the default, index 0', file: F, from: "acs.setAttribute('isDefault', 'true');", to: "acs.setAttribute('isDefault', 'false');" },
  { name: 'sp metadata: no NameIDFormat for policy "any"', file: F, from: 'if (nameIdFormat !== null)\n        w.add(', to: 'w.add(' },
  // Escaping: the serializer's, once
  { name: 'sp metadata: attribute values escaped once, by the serializer (no hand escaping)', file: F, from: "root.setAttribute('entityID', spEntityId);", to: "root.setAttribute('entityID', spEntityId.replace(/&/g, '&amp;').replace(/</g, '&lt;'));" },
  { name: 'sp metadata: text escaped once, by the serializer (no hand escaping)', file: F, from: 'element.appendChild(this.doc.createTextNode(text));', to: "element.appendChild(this.doc.createTextNode(text.replace(/&/g, '&amp;').replace(/</g, '&lt;')));" },
  // What the schema (and the readers) accept
  { name: 'sp metadata: entity ID at most 1024 characters', file: F, from: 'if (spEntityId.length > MAX_ENTITY_ID_LENGTH)', to: 'if (false)' },
  { name: 'sp metadata: contact type from the schema list', file: F, from: "if (typeof c.type !== 'string' || !CONTACT_TYPES.includes(c.type))", to: "if (typeof c.type !== 'string')" },
  { name: 'sp metadata: contact email addresses checked', file: F, from: 'if (!EMAIL.test(address))', to: 'if (false)' },
  { name: 'sp metadata: contact email addresses as mailto: URIs', file: F, from: 'return `mailto:${address}`;', to: 'return email;' },
  { name: 'sp metadata: organization url is http(s)', file: F, from: 'if (!isHttpUrl(url))', to: 'if (false)' },
  { name: 'sp metadata: xml:lang is a language tag', file: F, from: 'if (!LANGUAGE.test(lang))', to: 'if (false)' },
  { name: 'unknown keys refused (config, createSpMetadata and parseIdpMetadata options: onlyKnownKeys)', file: 'config.js', from: 'if (known.includes(key))\n            continue;', to: 'continue;' },
  { name: 'sp metadata: option text without control characters', file: F, from: '    xmlSafe(value, name);\n    return value;', to: '    return value;' },
  // src/xml/write.ts, shared with the AuthnRequest
  { name: 'built XML: xs:anyURI values are URI references', file: 'xml/write.js', from: 'if (!URI_REFERENCE.test(value))', to: 'if (false)' },
  { name: 'built XML: URI references have no "//" path after the scheme', file: 'xml/write.js', from: '|(?!//)${PCHAR}*${PATH})', to: '|${PCHAR}*${PATH})' },
  { name: 'built XML: an xs:dateTime has no year 0000 (validUntil, IssueInstant)', file: 'saml/options.js', from: '/^(?!0000)\\d{4}-/', to: '/^\\d{4}-/' },
  { name: 'built XML: no control characters or lone surrogates', file: 'xml/write.js', from: 'if (/[\\u0000-\\u001f\\ufffe\\uffff]|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]/.test(value))', to: 'if (false)' },
  { name: 'SP metadata: the encryption certificate is published for encryption', file: 'saml/sp-metadata.js', from: "key.setAttribute('use', 'encryption');", to: '' },
  { name: 'sp.encryptionCertificate must be one certificate', file: 'config.js', from: "if (read === null || 'problem' in read)", to: 'if (read === null)' },
];
