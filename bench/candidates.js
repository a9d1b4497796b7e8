/**
 * The libraries the benchmark compares, each set up from a vector (VECTORS.md) as strictly as its
 * options allow. A candidate's `setup(vector, options)` returns:
 *   validate(fields)   fields = { SAMLResponse, RelayState? } as posted; resolves to { nameId } or throws
 *   authnRequest()     builds one HTTP-Redirect AuthnRequest URL (absent where the library has none)
 *   settings           what it was configured to check, one line each
 *   unmapped           what of the vector's config it has no option for, one line each
 * Every candidate starts from the same base64 SAMLResponse; decoding it is part of the timed work.
 *
 * options.emulateNow: judge times at vector.now rather than the real clock (--vector). The fixtures
 * are valid at the real clock for decades, so they are run without it.
 */
import { createPublicKey } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { SAML } from '@node-saml/node-saml';
import samlify from 'samlify';
import boxyhqModule from '@boxyhq/saml20';
import { createAuthnRequest, validateResponse } from '../dist/index.js';
import { configOf } from '../test/vector-runner.js';

const NS = {
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
};
const DEFAULT_SKEW_MS = 60_000; // saml-core's default clockSkewSeconds
const boxyhq = boxyhqModule.default ?? boxyhqModule; // a CommonJS module with an ES default export
const NAMEID_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier';

const decode = (base64) => Buffer.from(base64, 'base64').toString('utf8');
const policyOf = (vector) => ({
  requireSignedResponse: vector.policy?.require_signed_response ?? true,
  requireSignedAssertion: vector.policy?.require_signed_assertion ?? true,
  nameIdFormat: vector.policy?.name_id_format ?? 'emailAddress',
  allowSha1: vector.policy?.allow_sha1 ?? false,
  minRsaKeyBits: vector.policy?.min_rsa_key_bits ?? 2048,
});
/** Real time minus the vector's `now`, in ms. */
const clockOffset = (vector) => Date.now() - Date.parse(vector.now);

function childElement(parent, namespace, localName) {
  for (let n = parent.firstChild; n !== null; n = n.nextSibling) {
    if (n.nodeType === 1 && n.namespaceURI === namespace && n.localName === localName) return n;
  }
  return null;
}

/** The Response's Issuer, for a library that must be told an IdP entity ID when the vector pins none. */
function responseIssuer(vector) {
  const fields = new URLSearchParams(vector.body ?? `SAMLResponse=${encodeURIComponent(vector.saml_response)}`);
  const doc = new DOMParser().parseFromString(decode(fields.get('SAMLResponse')), 'text/xml');
  return childElement(doc.documentElement, NS.assertion, 'Issuer')?.textContent?.trim() ?? '';
}

/** What no peer here has an option for; listed for each peer whose vector asks for it. */
function unmappedPolicy(vector, { signatures = true } = {}) {
  const p = policyOf(vector);
  const out = [];
  if (signatures && (!p.requireSignedResponse || !p.requireSignedAssertion)) out.push('which signatures are required (policy require_signed_*)');
  if (p.nameIdFormat !== 'any') out.push(`NameID format ${p.nameIdFormat}`);
  if (p.allowSha1) out.push('allow_sha1 (no option either way)');
  if (vector.policy?.min_rsa_key_bits !== undefined) out.push(`min_rsa_key_bits ${p.minRsaKeyBits}`);
  return out;
}

// ---------------------------------------------------------------------------------------------

const samlCore = {
  name: 'saml-core',
  async setup(vector, { replayStore } = {}) {
    // A store that never refuses, so the same response can be validated repeatedly (bench/replay-store.js
    // passes real stores, each call with a fresh key).
    const config = configOf(vector, replayStore ?? { remember: async () => true });
    const options = { now: new Date(vector.now), requestId: vector.request_id ?? null };
    const p = policyOf(vector);
    return {
      async validate(fields) {
        return { nameId: (await validateResponse(config, fields, options)).nameId };
      },
      async authnRequest() {
        return (await createAuthnRequest(config, { binding: 'redirect' })).redirectUrl;
      },
      settings: [
        `validateResponse with every check on; signatures required: Response ${p.requireSignedResponse}, Assertion ${p.requireSignedAssertion}; NameID format ${p.nameIdFormat}`,
        `requestId ${vector.request_id ?? 'null (IdP-initiated)'}; fixed now ${vector.now}; a replay store that accepts repeats`,
      ],
      unmapped: [],
    };
  },
};

const nodeSaml = {
  name: 'node-saml',
  async setup(vector, { emulateNow = false } = {}) {
    const p = policyOf(vector);
    const requestIds = new Set([vector.request_id].flat().filter(Boolean));
    // InResponseTo is checked against this cache; like saml-core's store it never forgets an ID,
    // so the same response can be validated repeatedly.
    const cacheProvider = {
      saveAsync: async (key, value) => ({ value, createdAt: Date.now() }),
      getAsync: async (key) => (requestIds.has(key) ? new Date().toISOString() : null),
      removeAsync: async (key) => key,
    };
    const skew = emulateNow ? Math.abs(clockOffset(vector)) + DEFAULT_SKEW_MS : 0;
    const options = {
      callbackUrl: vector.sp.acsUrl,
      entryPoint: vector.idp_config.ssoUrl ?? undefined,
      issuer: vector.sp.entityId,
      audience: vector.sp.entityId,
      idpCert: vector.idp_config.certificates,
      idpIssuer: vector.idp_config.entityId ?? undefined,
      wantAuthnResponseSigned: p.requireSignedResponse,
      wantAssertionsSigned: p.requireSignedAssertion,
      validateInResponseTo: requestIds.size > 0 || vector.allow_idp_initiated === false ? 'always' : 'ifPresent',
      cacheProvider,
      acceptedClockSkewMs: skew,
      signatureAlgorithm: 'sha256',
      ...(vector.sp?.decryptionPrivateKey ? { decryptionPvk: vector.sp.decryptionPrivateKey } : {}),
    };
    const saml = new SAML(options);
    return {
      async validate(fields) {
        const { profile } = await saml.validatePostResponseAsync(fields);
        return { nameId: profile?.nameID };
      },
      authnRequest: () => saml.getAuthorizeUrlAsync('', undefined, {}),
      settings: [
        `wantAuthnResponseSigned ${p.requireSignedResponse}, wantAssertionsSigned ${p.requireSignedAssertion}, audience, idpIssuer ${options.idpIssuer ? 'pinned' : 'not pinned'}`,
        `validateInResponseTo '${options.validateInResponseTo}' with a cache that keeps the request ID; acceptedClockSkewMs ${skew}${emulateNow ? ` (real clock; widened by the distance to vector.now)` : ' (real clock; the fixtures are valid for decades)'}`,
      ],
      unmapped: [
        'Destination and SubjectConfirmationData Recipient (no option: not checked)',
        ...(emulateNow ? [`now: no clock option; acceptedClockSkewMs widened to the distance to vector.now (${Math.round(skew / 1000)} s${skew > 3_600_000 ? ': time checks effectively off' : ''})`] : []),
        ...unmappedPolicy(vector, { signatures: false }),
      ],
    };
  },
};

/** Runs `make` with console.warn silenced (samlify warns that the IdP has no logout endpoint). */
function quietly(make) {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return make();
  } finally {
    console.warn = warn;
  }
}

let samlifyValidatorSet = false;
const samlifyCandidate = {
  name: 'samlify',
  async setup(vector, { emulateNow = false } = {}) {
    if (!samlifyValidatorSet) {
      // samlify refuses to run without an XSD validator; the benchmark installs one that accepts all.
      samlify.setSchemaValidator({ validate: async () => 'skipped: no-op schema validator (benchmark)' });
      samlifyValidatorSet = true;
    }
    const { binding } = samlify.Constants.namespace;
    const offset = emulateNow ? clockOffset(vector) : 0;
    const entityID = vector.idp_config.entityId ?? responseIssuer(vector);
    const sp = samlify.ServiceProvider({
      entityID: vector.sp.entityId,
      assertionConsumerService: [{ Binding: binding.post, Location: vector.sp.acsUrl }],
      wantAssertionsSigned: true,
      wantMessageSigned: true,
      ...(vector.sp?.decryptionPrivateKey ? { encPrivateKey: [vector.sp.decryptionPrivateKey].flat()[0] } : {}),
      // [notBefore, notOnOrAfter] drifts: emulates judging at vector.now with saml-core's skew.
      ...(emulateNow ? { clockDrifts: [offset - DEFAULT_SKEW_MS, offset + DEFAULT_SKEW_MS] } : {}),
    });
    const idp = quietly(() =>
      samlify.IdentityProvider({
        entityID,
        signingCert: vector.idp_config.certificates,
        singleSignOnService: [{ Binding: binding.redirect, Location: vector.idp_config.ssoUrl ?? 'https://idp.invalid/sso' }],
        wantAuthnRequestsSigned: false,
        ...(vector.sp?.decryptionPrivateKey ? { isAssertionEncrypted: true } : {}),
      }),
    );
    return {
      async validate(fields) {
        const { extract } = await sp.parseLoginResponse(idp, 'post', { body: fields });
        return { nameId: extract?.nameID };
      },
      authnRequest: () => sp.createLoginRequest(idp, 'redirect').context,
      settings: [
        'NO-OP SCHEMA VALIDATOR (samlify.setSchemaValidator accepting everything): XSD validation is not measured',
        `wantMessageSigned + wantAssertionsSigned true; IdP entityID ${vector.idp_config.entityId ? 'pinned' : 'taken from the response (the vector pins none)'}; signingCert; clockDrifts ${emulateNow ? `[${offset - DEFAULT_SKEW_MS}, ${offset + DEFAULT_SKEW_MS}] ms (emulates vector.now)` : 'default [0, 0] (real clock)'}`,
      ],
      unmapped: [
        'both signatures required: no option (it accepts the response when either signature verifies; its want* flags do not change how a response is verified)',
        'audience, InResponseTo, Destination and Recipient (no option: not checked)',
        ...unmappedPolicy(vector, { signatures: false }),
      ],
    };
  },
};

const boxyhqCandidate = {
  name: '@boxyhq/saml20',
  async setup(vector, { emulateNow = false } = {}) {
    // Its time check uses the real clock with a fixed 10-minute skew and no clock option.
    const bypassExpiration = emulateNow && Math.abs(clockOffset(vector)) > 10 * 60_000;
    const options = {
      publicKey: vector.idp_config.certificates.join(','),
      audience: vector.sp.entityId,
      strictAudienceValidation: true,
      ...(vector.request_id ? { inResponseTo: vector.request_id } : {}),
      ...(bypassExpiration ? { bypassExpiration } : {}),
      ...(vector.sp?.decryptionPrivateKey ? { privateKey: vector.sp.decryptionPrivateKey } : {}),
    };
    return {
      async validate(fields) {
        const profile = await boxyhq.validate(decode(fields.SAMLResponse), options);
        return { nameId: profile?.claims?.[NAMEID_CLAIM] };
      },
      authnRequest() {
        // It builds the XML only; the redirect binding (deflate, base64, URL) is the caller's.
        const { request } = boxyhq.request({ ssoUrl: vector.idp_config.ssoUrl, entityID: vector.sp.entityId, callbackUrl: vector.sp.acsUrl });
        const url = new URL(vector.idp_config.ssoUrl);
        url.searchParams.set('SAMLRequest', deflateRawSync(request).toString('base64'));
        return url.toString();
      },
      settings: [
        `validate() with publicKey (the certificates), audience + strictAudienceValidation${vector.request_id ? ', inResponseTo' : ''}; Conditions times on the real clock (fixed 10-minute skew)${bypassExpiration ? '; bypassExpiration (vector.now is far from the real clock)' : ''}`,
      ],
      unmapped: [
        'both signatures required: no option (it verifies one Signature, the Assertion\'s when there is one)',
        'IdP issuer, Destination, Recipient and SubjectConfirmationData times (no option: not checked)',
        ...(bypassExpiration ? ['now: no clock option; time checks bypassed'] : []),
        ...unmappedPolicy(vector, { signatures: false }),
      ],
    };
  },
};

/**
 * The baseline: the least a validator must do. One @xmldom/xmldom parse, then xml-crypto checks the
 * Response's own and the Assertion's own Signature with keys parsed once. No protocol checks at all.
 */
const rawXmlCrypto = {
  name: 'raw xml-crypto',
  async setup(vector) {
    const p = policyOf(vector);
    const keys = vector.idp_config.certificates.map((pem) => createPublicKey(pem));
    const verifyOwnSignature = (element, xml) => {
      const signature = childElement(element, NS.dsig, 'Signature');
      if (signature === null) throw new Error(`${element.localName} is not signed`);
      const verified = keys.some((publicCert) => {
        const sig = new SignedXml({ publicCert });
        sig.loadSignature(signature);
        try {
          return sig.checkSignature(xml);
        } catch {
          return false;
        }
      });
      if (!verified) throw new Error(`${element.localName} signature is invalid`);
    };
    return {
      validate(fields) {
        const xml = decode(fields.SAMLResponse);
        const doc = new DOMParser().parseFromString(xml, 'text/xml');
        const response = doc.documentElement;
        const assertion = childElement(response, NS.assertion, 'Assertion');
        if (assertion === null) throw new Error('no Assertion');
        if (p.requireSignedResponse) verifyOwnSignature(response, xml);
        if (p.requireSignedAssertion) verifyOwnSignature(assertion, xml);
        const nameId = childElement(childElement(assertion, NS.assertion, 'Subject') ?? assertion, NS.assertion, 'NameID');
        return { nameId: nameId?.textContent ?? null };
      },
      settings: [
        `one @xmldom/xmldom parse; new SignedXml({ publicCert: KeyObject parsed once }), loadSignature, checkSignature for the ${[p.requireSignedResponse && "Response's", p.requireSignedAssertion && "Assertion's"].filter(Boolean).join(' and ')} own Signature`,
      ],
      unmapped: ['every protocol check (issuer, audience, times, InResponseTo, NameID format...): signatures only, by design'],
    };
  },
};

/** In table order; the baseline is what ratios are taken against. */
export const CANDIDATES = [samlCore, nodeSaml, samlifyCandidate, boxyhqCandidate, rawXmlCrypto];
export const BASELINE = rawXmlCrypto.name;
export const REQUIRED_TO_PASS = [samlCore.name, rawXmlCrypto.name];
export const candidateNamed = (name) => {
  const found = CANDIDATES.find((c) => c.name === name);
  if (!found) throw new Error(`unknown candidate ${name}`);
  return found;
};
