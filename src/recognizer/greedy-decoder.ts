/** @deprecated Moved to src/decoder/greedy.ts; re-exported here only until training/ imports it from there. */
export { GreedyDecoder } from '../decoder/greedy.js';
