// Mutants of the canonicalizer's security-relevant rules (src/canonicalize.ts); same format as mutations.js.
export const C14N_MUTATIONS = [];
