// Stands in for Node's `crypto` module in saml-core's browser/Worker bundle (dist/browser/).
//
// The only module of that bundle that asks for `crypto` is xml-crypto's lib/utils.js, which does
// `require("crypto")` at top level for its PEM helpers (`new crypto.X509Certificate(...)` in
// isX509Certificate). saml-core uses only xml-crypto's two canonicalizers, which never reach those
// helpers; every digest and signature check is WebCrypto. So nothing reads this module: any read
// throws, so that a dependency that does come to need Node's crypto fails loudly, not silently.
'use strict';

module.exports = new Proxy(
  {},
  {
    get(_target, name) {
      // Module interop may probe these; they are not uses.
      if (typeof name === 'symbol' || name === '__esModule' || name === 'then') return undefined;
      throw new Error(
        `saml-core's browser/Worker build has no Node "crypto" module (crypto.${String(name)} was used); ` +
          'please report this at the saml-core issue tracker.',
      );
    },
  },
);
