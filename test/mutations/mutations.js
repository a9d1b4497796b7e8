// Each security check of the built library (dist/), and the mutant that removes it. Kept next to
// run.js; when a check's code changes, its `from` must be updated (run.js reports BROKEN).
import { C14N_MUTATIONS } from './c14n.js';
import { LIMIT_MUTATIONS } from './limits.js';

export const MUTATIONS = [
  ...C14N_MUTATIONS,
  ...LIMIT_MUTATIONS,
  // Input
  { name: 'size limit before decoding', file: 'decode.js', from: 'if (bytes > maxBytes)', to: 'if (false)' },
  { name: 'size limit counts UTF-8 bytes', file: 'decode.js', from: 'if (text.length > stopAbove || ASCII.test(text))', to: 'if (true)' },
  { name: 'strict base64 (canonical padding bits)', file: 'base64.js', from: 'if (last && ((pad === 2 && (b & 0x0f) !== 0) || (pad === 1 && (c & 0x03) !== 0)))', to: 'if (false)' },
  { name: 'strict base64 (only white space between groups)', file: 'base64.js', from: 'let clean = text;', to: "let clean = text.replace(/[^A-Za-z0-9+/=]+/g, '');" },
  { name: 'UTF-16 refused', file: 'decode.js', from: "if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe) || b0 === 0 || b1 === 0)", to: 'if (false)' },
  { name: 'deflated payload refused', file: 'decode.js', from: 'if (bytes[first] !== 0x3c)', to: 'if (false)' },
  { name: 'non-UTF-8 encoding declaration refused', file: 'decode.js', from: "if (declaration && declaration[2].toLowerCase() !== 'utf-8')", to: 'if (false)' },
  { name: 'DTD / entity declarations refused (XXE)', file: 'decode.js', from: "if (xml.includes('<!DOCTYPE') || xml.includes('<!ENTITY'))", to: 'if (false)' },
  { name: 'root must be a SAML 2.0 Response', file: 'parse.js', from: "if (response.localName !== 'Response' || response.namespaceURI !== NS.protocol)", to: 'if (false)' },
  { name: 'processing instructions refused', file: 'parse.js', from: "if (target !== 'xml')", to: 'if (false)' },
  { name: 'duplicate IDs refused', file: 'parse.js', from: 'if (ids.has(id.value))', to: 'if (false)' },
  // Structure
  { name: 'encrypted assertion refused', file: 'validate.js', from: 'if (encryptedAssertions.length > 0)', to: 'if (false)' },
  { name: 'exactly one Assertion in the document', file: 'validate.js', from: 'if (assertions.length !== 1)', to: 'if (assertions.length === 0)' },
  { name: 'Assertion is a direct child of the Response', file: 'validate.js', from: 'if (assertion.parentNode !== response)', to: 'if (false)' },
  { name: 'Signatures only on Response and Assertion, one each', file: 'validate.js', from: 'const where = parent', to: 'continue; const where = parent' },
  // Signatures
  { name: 'Response signature required', file: 'validate.js', from: 'if (responseSignature === null && (cfg.requireSignedResponse || assertionSignature === null))', to: 'if (false)' },
  { name: 'Assertion signature required', file: 'validate.js', from: 'if (assertionSignature === null && cfg.requireSignedAssertion)', to: 'if (false)' },
  { name: 'Signature shape (SignedInfo, SignatureValue, KeyInfo only)', file: 'signature.js', from: "|| rest.length > 1 || (rest[0] && !isDs(rest[0], 'KeyInfo'))", to: '' },
  { name: 'exactly one Reference', file: 'signature.js', from: 'if (extra.length > 0)', to: 'if (false)' },
  { name: 'Reference URI is # + the parent ID', file: 'signature.js', from: 'if (!id || uri !== `#${id}`)', to: 'if (false)' },
  { name: 'signature algorithm allow-list (SHA-1 downgrade)', file: 'signature.js', from: "(signatureHash === 'SHA-1' && !allowSha1)", to: 'false' },
  { name: 'digest algorithm allow-list (SHA-1 downgrade)', file: 'signature.js', from: "(digestHash === 'SHA-1' && !allowSha1)", to: 'false' },
  { name: 'transform list is enveloped-signature + one C14N', file: 'signature.js', from: "uris[0] !== ALG.enveloped || more.length > 0 ||", to: '' },
  { name: 'transform allow-list (XSLT, XPath, WithComments)', file: 'signature.js', from: "if (uri !== ALG.exc && uri !== ALG.inclusive) {\n        throw notAllowed(what, 'transform'", to: "if (false) {\n        throw notAllowed(what, 'transform'" },
  { name: 'SignedInfo canonicalization allow-list', file: 'signature.js', from: "if (uri !== ALG.exc && uri !== ALG.inclusive) {\n        // SignedInfo", to: "if (false) {\n        // SignedInfo" },
  { name: 'digest compared', file: 'signature.js', from: 'if (!equalBytes(digest, expectedDigest))', to: 'if (false)' },
  { name: 'signature verified with the configured keys', file: 'signature.js', from: 'if (ok)', to: 'if (true)' },
  { name: 'RSA key size minimum', file: 'certificates.js', from: 'if (key.modulusBits < minRsaKeyBits)', to: 'if (false)' },
  // Whole text (comment injection)
  { name: 'text read whole across comments', file: 'dom.js', from: 'else\n                (joined ??= [first]).push(data);', to: '' },
  // Protocol checks
  { name: 'Status Success', file: 'protocol-checks.js', from: 'if (value === SUCCESS)\n        return;', to: 'return;' },
  { name: 'Version 2.0', file: 'protocol-checks.js', from: "if (version !== '2.0')", to: 'if (false)' },
  { name: 'Destination = acsUrl', file: 'protocol-checks.js', from: 'if (destination !== config.acsUrl)', to: 'if (false)' },
  { name: 'Assertion Issuer = idp.entityId', file: 'protocol-checks.js', from: 'if (issuer !== config.idpEntityId)', to: 'if (false)' },
  { name: 'Response InResponseTo = pending request', file: 'protocol-checks.js', from: "if (inResponseTo === null || !requestIds.includes(inResponseTo))\n        throw inResponseToMismatch('Response'", to: "if (false)\n        throw inResponseToMismatch('Response'" },
  { name: 'unsolicited InResponseTo refused', file: 'protocol-checks.js', from: "if (inResponseTo !== null)\n            throw unexpectedInResponseTo('Response', inResponseTo);", to: '' },
  { name: 'IdP-initiated disabled by policy', file: 'protocol-checks.js', from: 'if (!config.allowIdpInitiated)', to: 'if (false)' },
  { name: 'bearer confirmation required (holder-of-key refused)', file: 'protocol-checks.js', from: '.filter((c) => attr(c, \'Method\') === BEARER)', to: '' },
  { name: 'Recipient = acsUrl', file: 'protocol-checks.js', from: 'if (recipient !== config.acsUrl)', to: 'if (false)' },
  { name: 'SubjectConfirmationData NotOnOrAfter', file: 'protocol-checks.js', from: 'if (now - config.clockSkewMs >= notOnOrAfter.getTime())', to: 'if (false)' },
  { name: 'Conditions NotBefore', file: 'protocol-checks.js', from: 'if (notBefore !== null && now + skew < notBefore.getTime())', to: 'if (false)' },
  { name: 'Conditions NotOnOrAfter', file: 'protocol-checks.js', from: 'if (notOnOrAfter !== null && now - skew >= notOnOrAfter.getTime())', to: 'if (false)' },
  { name: 'IssueInstant not in the future', file: 'protocol-checks.js', from: 'if (issued.getTime() > now + skew)', to: 'if (false)' },
  { name: 'AudienceRestriction required', file: 'protocol-checks.js', from: 'if (restrictions.length === 0)', to: 'if (false)' },
  { name: 'Audience = sp.entityId exactly', file: 'protocol-checks.js', from: 'if (!audiences.includes(spEntityId))', to: 'if (false)' },
  { name: 'NameID format per policy', file: 'protocol-checks.js', from: 'if (config.nameIdFormat !== null && nameIdFormat !== config.nameIdFormat)', to: 'if (false)' },
  { name: 'emailAddress NameID is an email', file: 'protocol-checks.js', from: 'if (EMAIL_FORMATS.has(nameIdFormat) && !isEmail(nameId))', to: 'if (false)' },
  { name: 'SessionNotOnOrAfter', file: 'protocol-checks.js', from: 'if (sessionNotOnOrAfter !== null && now - skew >= sessionNotOnOrAfter.getTime())', to: 'if (false)' },
  { name: 'replay refused', file: 'validate.js', from: 'if (!first)', to: 'if (false)' },
  // Canonicalization shared between the two signatures: reused only where it renders the same
  { name: 'reuse needs the same default namespace and PrefixList', file: 'canonicalize.js', from: 'if (earlier.defaultNs !== context.defaultNs || earlier.prefixList !== context.prefixList)', to: 'if (false)' },
  { name: 'reuse refused for a prefix bound differently and used', file: 'canonicalize.js', from: 'if (prefixList.includes(prefix) || earlier.prefixesUsed.has(prefix))', to: 'if (prefixList.includes(prefix))' },
];
