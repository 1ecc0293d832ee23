/** Moved to src/util/pair-hash.ts (the decoder uses it too); re-exported so src/lm's imports keep working. */
export { PairHash, type PairHashArrays } from '../util/pair-hash.js';
