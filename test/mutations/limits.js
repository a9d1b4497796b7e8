// Mutants of the structural XML limits enforced while parsing (src/parse.ts); same format as mutations.js.
export const LIMIT_MUTATIONS = [];
