// The IdP connection of the framework examples: the same SamlConfig as the runtime examples (the
// Okta-shaped test IdP of vectors/keys/); use your own (README "Use").
export { config } from './runtimes/saml-config.js';
