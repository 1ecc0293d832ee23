/** @deprecated Renamed src/decoder/word-confidence.ts; re-exported here only until training/ imports it from there. */
export * from './word-confidence.js';
