/** The server's public surface: `createServer` (server.ts) and the protocol pieces apps and tests use. */
export { createServer, PUBLIC_DIR, type HearkenServer, type ServerOptions } from './server.js';
export { CloseCode, ProtocolError, formatResult, formatPartial, parseTextMessage, type StreamConfig } from './protocol.js';
export { ServerMetrics } from './metrics.js';
