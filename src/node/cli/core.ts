/**
 * What the command line takes from the core: the public API, and the unverified summary of a
 * Response's XML that decode prints (internal to the package, not exported from its index).
 */
export { inspectResponse, type CheckResult, type DocumentSummary, type InspectOptions, type InspectResult } from '../../index.js';
export { summarizeResponseXml } from '../../saml/summary.js';
