// Each security check of the built library (dist/), and the mutant that removes it. Kept next to
// run.js; when a check's code changes, its `from` must be updated (run.js reports BROKEN).
import { C14N_MUTATIONS } from './c14n.js';
import { LIMIT_MUTATIONS } from './limits.js';
import { METADATA_MUTATIONS } from './metadata.js';
import { SP_METADATA_MUTATIONS } from './sp-metadata.js';
import { XMLENC_MUTATIONS } from './xmlenc.js';
import { REDIS_MUTATIONS } from './redis.js';

export const MUTATIONS = [
  ...C14N_MUTATIONS,
  ...LIMIT_MUTATIONS,
  ...METADATA_MUTATIONS,
  ...SP_METADATA_MUTATIONS,
  ...XMLENC_MUTATIONS,
  ...REDIS_MUTATIONS,
  // Input
  { name: 'size limit before decoding', file: 'saml/decode.js', from: 'if (bytes > maxBytes)', to: 'if (false)' },
  { name: 'size limit counts UTF-8 bytes', file: 'saml/decode.js', from: 'if (text.length > stopAbove || ASCII.test(text))', to: 'if (true)' },
  { name: 'strict base64 (canonical padding bits)', file: 'base64.js', from: 'if (last && ((pad === 2 && (b & 0x0f) !== 0) || (pad === 1 && (c & 0x03) !== 0)))', to: 'if (false)' },
  { name: 'strict base64 (only white space between groups)', file: 'base64.js', from: 'let clean = text;', to: "let clean = text.replace(/[^A-Za-z0-9+/=]+/g, '');" },
  { name: 'UTF-16 refused', file: 'saml/decode.js', from: "if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe) || b0 === 0 || b1 === 0)", to: 'if (false)' },
  { name: 'deflated payload refused', file: 'saml/decode.js', from: 'if (bytes[first] !== 0x3c)', to: 'if (false)' },
  { name: 'non-UTF-8 encoding declaration refused', file: 'saml/decode.js', from: "if (declaration && declaration[2].toLowerCase() !== 'utf-8')", to: 'if (false)' },
  { name: 'DTD / entity declarations refused (XXE)', file: 'saml/decode.js', from: "if (xml.includes('<!DOCTYPE') || xml.includes('<!ENTITY'))", to: 'if (false)' },
  { name: 'root must be a SAML 2.0 Response', file: 'xml/parse.js', from: "if (response.localName !== 'Response' || response.namespaceURI !== NS.protocol)", to: 'if (false)' },
  { name: 'processing instructions refused', file: 'xml/parse.js', from: "if (target !== 'xml')", to: 'if (false)' },
  { name: 'XML 1.0 line ends (U+0085, U+2028, U+2029 kept)', file: 'xml/parse.js', from: 'normalizeLineEndings: xml10LineEnds,', to: '' },
  { name: 'duplicate IDs refused', file: 'xml/parse.js', from: 'if (ids.has(id.value) || signatureIds.has(id.value))', to: 'if (false)' },
  // Structure
  { name: 'exactly one Assertion in the document', file: 'saml/validate.js', from: 'if (assertions.length !== 1)', to: 'if (assertions.length === 0)' },
  { name: 'Assertion is a direct child of the Response', file: 'saml/validate.js', from: 'if (assertion.parentNode !== response)', to: 'if (false)' },
  { name: 'Signatures only on Response and Assertion, one each', file: 'saml/validate.js', from: 'if (placed.misplaced !== null)', to: 'if (false)' },
  // Signatures
  { name: 'Response signature required', file: 'saml/validate.js', from: 'if (placed.response === null && (cfg.requireSignedResponse || (!encrypted && placed.assertion === null)))', to: 'if (placed.response === null && !cfg.requireSignedResponse && !encrypted && placed.assertion === null)' },
  { name: 'Assertion signature required', file: 'saml/validate.js', from: 'else if (cfg.requireSignedAssertion || responseSignature === null) {', to: 'else if (responseSignature === null) {' },
  // inspectResponse (recording): what it must never do after a failure
  { name: 'inspect: never decrypts under a failed Response signature (padding oracle)', file: 'saml/validate.js', from: 'else if (placement === SKIP || (responseSignature !== null && responseVerified === SKIP)) {', to: 'else if (false) {' },
  { name: 'inspect: a rejected response is never recorded as used, nor its assertion returned', file: 'saml/validate.js', from: 'if (t.failed || issuer === SKIP', to: 'if (issuer === SKIP' },
  { name: 'inspect: values of a failed signature\'s element are marked unverified', file: 'saml/validate.js', from: 't.responseVerified = responseVerified !== SKIP;', to: 't.responseVerified = true;' },
  { name: 'Signature shape (SignedInfo, SignatureValue, KeyInfo only)', file: 'xml/dsig.js', from: "|| rest.length > 1 || (rest[0] && !isDs(rest[0], 'KeyInfo'))", to: '' },
  { name: 'exactly one Reference', file: 'xml/dsig.js', from: 'if (extra.length > 0)', to: 'if (false)' },
  { name: 'Reference URI is # + the parent ID', file: 'xml/dsig.js', from: 'if (!wholeDocument && (!id || uri !== `#${id}`))', to: 'if (false)' },
  { name: 'signature algorithm allow-list (SHA-1 downgrade)', file: 'xml/dsig.js', from: "(signatureHash === 'SHA-1' && !allowSha1)", to: 'false' },
  { name: 'digest algorithm allow-list (SHA-1 downgrade)', file: 'xml/dsig.js', from: "(digestHash === 'SHA-1' && !allowSha1)", to: 'false' },
  { name: 'transform list is enveloped-signature + one C14N', file: 'xml/dsig.js', from: "uris[0] !== ALG.enveloped || more.length > 0 ||", to: '' },
  { name: 'transform allow-list (XSLT, XPath, WithComments)', file: 'xml/dsig.js', from: "if (uri !== ALG.exc && uri !== ALG.inclusive) {\n        throw notAllowed(what, 'transform'", to: "if (false) {\n        throw notAllowed(what, 'transform'" },
  { name: 'SignedInfo canonicalization allow-list', file: 'xml/dsig.js', from: "if (uri !== ALG.exc && uri !== ALG.inclusive) {\n        // SignedInfo", to: "if (false) {\n        // SignedInfo" },
  { name: 'digest compared', file: 'xml/dsig.js', from: 'if (!equalBytes(digest, expectedDigest))', to: 'if (false)' },
  { name: 'signature verified with the configured keys', file: 'xml/dsig.js', from: 'if (ok)', to: 'if (true)' },
  { name: 'RSA key size minimum', file: 'certificates.js', from: 'if (key.modulusBits < minRsaKeyBits)', to: 'if (false)' },
  // Whole text (comment injection)
  { name: 'text read whole across comments', file: 'xml/dom.js', from: 'else\n                (joined ??= [first]).push(data);', to: '' },
  // Protocol checks
  { name: 'Status Success', file: 'saml/response-checks.js', from: 'if (value === SUCCESS)\n        return;', to: 'return;' },
  { name: 'Version 2.0', file: 'saml/response-checks.js', from: "if (version !== '2.0')", to: 'if (false)' },
  { name: 'Destination = acsUrl', file: 'saml/response-checks.js', from: 'if (destination !== config.acsUrl)', to: 'if (false)' },
  { name: 'Assertion Issuer = idp.entityId', file: 'saml/response-checks.js', from: 'if (issuer !== config.idpEntityId)', to: 'if (false)' },
  { name: 'Response InResponseTo = pending request', file: 'saml/response-checks.js', from: "if (inResponseTo === null || !requestIds.includes(inResponseTo))\n        throw inResponseToMismatch(responseSigned", to: "if (false)\n        throw inResponseToMismatch(responseSigned" },
  { name: 'unsolicited InResponseTo refused', file: 'saml/response-checks.js', from: "if (inResponseTo !== null)\n            throw unexpectedInResponseTo(responseSigned ? 'Response' : 'unsigned Response', inResponseTo);", to: '' },
  { name: 'IdP-initiated disabled by policy', file: 'saml/response-checks.js', from: 'if (!config.allowIdpInitiated)', to: 'if (false)' },
  { name: 'bearer confirmation required (holder-of-key refused)', file: 'saml/response-checks.js', from: '.filter((c) => attr(c, \'Method\') === BEARER)', to: '' },
  { name: 'Recipient = acsUrl', file: 'saml/response-checks.js', from: 'if (recipient !== config.acsUrl)', to: 'if (false)' },
  { name: 'SubjectConfirmationData NotOnOrAfter', file: 'saml/response-checks.js', from: 'if (now - config.clockSkewMs >= notOnOrAfter.getTime())', to: 'if (false)' },
  { name: 'Conditions NotBefore', file: 'saml/response-checks.js', from: 'if (notBefore !== null && now + skew < notBefore.getTime())', to: 'if (false)' },
  { name: 'Conditions NotOnOrAfter', file: 'saml/response-checks.js', from: 'if (notOnOrAfter !== null && now - skew >= notOnOrAfter.getTime())', to: 'if (false)' },
  { name: 'IssueInstant not in the future', file: 'saml/response-checks.js', from: 'if (issued.getTime() > now + skew)', to: 'if (false)' },
  { name: 'AudienceRestriction required', file: 'saml/response-checks.js', from: 'if (restrictions.length === 0)', to: 'if (false)' },
  { name: 'Audience = sp.entityId exactly', file: 'saml/response-checks.js', from: 'if (!audiences.includes(spEntityId))', to: 'if (false)' },
  { name: 'NameID format per policy', file: 'saml/response-checks.js', from: 'if (config.nameIdFormat !== null && nameIdFormat !== config.nameIdFormat)', to: 'if (false)' },
  { name: 'emailAddress NameID is an email', file: 'saml/response-checks.js', from: 'if (EMAIL_FORMATS.has(nameIdFormat) && !isEmail(nameId))', to: 'if (false)' },
  { name: 'SessionNotOnOrAfter', file: 'saml/response-checks.js', from: 'if (ends !== null && now - config.clockSkewMs >= ends.getTime())', to: 'if (false)' },
  { name: 'replay refused', file: 'saml/validate.js', from: 'if (answer === false)', to: 'if (false)' },
  // Issue 10: identities exactly as signed
  { name: 'NameID returned exactly as signed (no trim)', file: 'saml/response-checks.js', from: 'const nameId = textOf(element);', to: 'const nameId = textOf(element).trim();' },
  { name: 'Unicode space, control and format characters refused in identities', file: 'saml/response-checks.js', from: 'if (found === null)\n        return;', to: 'return;' },
  { name: 'Issuer compared exactly (no trim)', file: 'saml/response-checks.js', from: 'const issuer = textOf(issuerElement);', to: 'const issuer = textOf(issuerElement).trim();' },
  { name: 'Audience collapses XML white space only', file: 'saml/response-checks.js', from: '.map((a) => collapseXmlWhiteSpace(textOf(a)))', to: '.map((a) => textOf(a).trim())' },
  // Issue 10: every bearer confirmation and AuthnStatement; strict dates
  { name: 'replay key kept until the latest bearer confirmation', file: 'saml/response-checks.js', from: 'if (instant !== null && instant > latest)', to: 'if (instant !== null && latest === -Infinity)' },
  { name: 'replay key bounded by Conditions NotOnOrAfter', file: 'saml/response-checks.js', from: 'Math.min(latest, conditionsNotOnOrAfter.getTime())', to: 'latest' },
  { name: 'AuthnStatement required', file: 'saml/response-checks.js', from: 'if (statements.length === 0)', to: 'if (false)' },
  { name: 'every AuthnStatement SessionNotOnOrAfter checked', file: 'saml/response-checks.js', from: 'for (const statement of statements)', to: 'for (const statement of statements.slice(0, 1))' },
  { name: 'xs:dateTime days per month and leap years', file: 'saml/datetime.js', from: 'day > daysInMonth(year, month)', to: 'day > 31' },
  { name: 'xs:dateTime hour 24 only as 24:00:00', file: 'saml/datetime.js', from: '(hour === 24 && (minute !== 0 || second !== 0 ||', to: '(false && (minute !== 0 || second !== 0 ||' },
  { name: 'xs:dateTime offsets within +-14:00', file: 'saml/datetime.js', from: 'if (zm > 59 || zh > 14 || (zh === 14 && zm !== 0))', to: 'if (zm > 59)' },
  // Issue 10: messages carry no raw attacker text
  { name: 'quoted values cut', file: 'errors.js', from: 'if (value.length > SHOW_MAX)', to: 'if (false)' },
  { name: 'quoted values escaped', file: 'errors.js', from: '.replace(UNSAFE, escapeCodePoint)', to: '' },
  // Issue 10: smaller defects
  { name: 'config change on the same object takes effect', file: 'config.js', from: 'if (cached !== undefined && sameValues(cached.snapshot, snapshot))', to: 'if (cached !== undefined)' },
  { name: 'attributes are a null-prototype record', file: 'saml/response-checks.js', from: 'const attributes = Object.create(null);', to: 'const attributes = {};' },
  { name: 'replay store: only true is a first use', file: 'saml/validate.js', from: 'if (answer !== true)', to: 'if (!answer)' },
  { name: 'replay store: an unanswered call times out', file: 'saml/validate.js', from: 'return await Promise.race([answer, timeout]);', to: 'return await answer;' },
  { name: 'RelayState size limit', file: 'saml/decode.js', from: 'if (size > maxBytes)', to: 'if (false)' },
  { name: 'RelayState control characters refused', file: 'saml/decode.js', from: 'const control = CONTROL.exec(relayState);', to: 'const control = null;' },
  { name: 'enveloped-signature Transform takes only an ignorable InclusiveNamespaces', file: 'xml/dsig.js', from: "return params.length === 1 && only.localName === 'InclusiveNamespaces'", to: "return params.length >= 1 && only.localName === 'InclusiveNamespaces'" },
  { name: 'enveloped-signature Transform parameters refused', file: 'xml/dsig.js', from: 'if (!parameterless(enveloped))', to: 'if (false)' },
  { name: 'policy.rejectExpiredCertificates uses only valid certificates', file: 'saml/validate.js', from: 'const valid = keys.filter((k) => k.notBefore <= now && now < k.notAfter);', to: 'const valid = keys;' },
  { name: 'key caches: a hit keeps its entry (least recently used out first)', file: 'cache.js', from: 'this.entries.delete(key);\n            this.entries.set(key, hit);', to: '' },
  { name: 'key caches: a failed import is not kept', file: 'cache.js', from: 'if (this.entries.get(key) === entry)\n                this.entries.delete(key);', to: '' },
  { name: 'policy.replayStoreTimeoutMs bounded (a longer timer fires at once)', file: 'config.js', from: 'if (ms > MAX_TIMER_MS)', to: 'if (false)' },
];
