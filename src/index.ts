/** saml-core: a strict SAML 2.0 service-provider core for every JavaScript runtime. */
export { validateResponse, inspectResponse } from './saml/validate.js';
export { createAuthnRequest } from './saml/authn-request.js';
export { createSpMetadata, type SpMetadataOptions, type SpMetadataContact, type ContactType } from './saml/sp-metadata.js';
export { createMemoryReplayStore } from './saml/replay-store.js';
export { checkConfig, type CheckConfigResult, type CertificateInfo, type ConfigWarning, type ConfigWarningCode } from './check-config.js';
export { parseIdpMetadata, idpConfigFromMetadata } from './saml/metadata.js';
export { normalizeCertificate } from './pem.js';
export { SamlError, ERROR_CODES, type SamlErrorCode } from './errors.js';
export type {
  SamlConfig,
  SamlPolicy,
  XmlLimits,
  ReplayStore,
  ResponseBody,
  ValidateOptions,
  InspectOptions,
  InspectResult,
  CheckResult,
  DocumentSummary,
  SignatureSummary,
  SamlAssertion,
  SamlProfile,
  AuthnRequestOptions,
  AuthnRequestResult,
  RedirectAuthnRequestOptions,
  RedirectAuthnRequestResult,
  PostAuthnRequestOptions,
  PostAuthnRequestResult,
  ParseIdpMetadataOptions,
  IdpMetadata,
} from './types.js';
