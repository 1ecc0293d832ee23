import { Command, InvalidArgumentError } from 'commander';
import { createServer } from '../server/index.js';
import { stopOnSignals } from './signals.js';
import { collect, positiveInt, withDecodingFlags, withDisplayFlags, recognizerOptions, type DecodingFlags, type DisplayFlags } from './options.js';

interface ServeFlags extends DecodingFlags, DisplayFlags {
  port: number;
  host: string;
  workers?: number;
  maxConnections?: number;
  maxQueuedSeconds?: number;
  maxConnectionsPerAddress?: number;
  maxMessageSeconds?: number;
  maxServerQueuedSeconds?: number;
  maxQueuedMessages?: number;
  maxMessageRate?: number;
  idleTimeout?: number;
  token?: string;
  allowOrigin?: string[];
  requireConfig?: boolean;
  shutdownTimeout?: number;
  page: boolean;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`port must be an integer from 0 to 65535, got ${value}`);
  return n;
}

/** `hearken serve`: the live transcription server (Vosk-compatible WebSocket, /healthz, /metrics, captions page). */
export function serveCommand(): Command {
  const command = new Command('serve')
    .description('live transcription server: Vosk-compatible WebSocket, /healthz, /metrics and a captions page at /')
    .option('--port <n>', 'TCP port for WebSocket and HTTP; 0 picks a free one', port, 2700)
    .option('--host <address>', 'interface to bind (0.0.0.0 for all)', '127.0.0.1')
    .option('--workers <n>', 'decode worker threads (default: one per core)', positiveInt)
    .option('--max-connections <n>', 'most open streams (default 256)', positiveInt)
    .option('--max-connections-per-address <n>', 'most open streams from one client address; 0: no cap (default 64; behind a proxy all clients share its address)', nonNegativeInt)
    .option('--max-message-seconds <n>', 'most seconds of audio in one binary message, whatever its rate (default 32)', positiveInt)
    .option('--max-server-queued-seconds <n>', 'seconds of audio all streams together may have waiting before senders are paused (default 300)', positiveInt)
    .option('--max-queued-messages <n>', 'messages a stream may have awaiting replies before its socket is paused (default 100)', positiveInt)
    .option('--max-message-rate <n>', 'messages per second a connection may send on average before it is throttled (default 200)', positiveInt)
    .option('--max-queued-seconds <n>', 'seconds of audio a stream may have waiting for its decoder before the server stops reading its socket (default 10)', positiveInt)
    .option('--idle-timeout <seconds>', 'close a stream after this many seconds without audio (empty frames and commands do not count); 0: never (default 60)', (v) => Number(v))
    .option('--token <token>', 'require this bearer token from WebSocket clients and /metrics (Authorization header or ?token=) (default: $HEARKEN_TOKEN, else none)')
    .option('--allow-origin <origin>', 'a browser Origin allowed to open streams besides the server\'s own (repeatable; default: none)', collect)
    .option('--require-config', 'close a stream that sends audio before its config message (default: assume 16 kHz s16le, as Vosk does)')
    .option('--shutdown-timeout <seconds>', 'on SIGTERM/SIGINT, how long open streams may take to finish (default 10)', (v) => Number(v))
    .option('--no-page', 'do not serve the captions page at /');
  withDisplayFlags(command, ' in every stream whose config does not turn it off');
  return withDecodingFlags(command, 'each stream').action(async (flags: ServeFlags) => {
    const rec = recognizerOptions(flags);
    const server = createServer({
      port: flags.port,
      host: flags.host,
      recognizer: rec,
      workers: flags.workers,
      maxConnections: flags.maxConnections,
      maxQueuedSeconds: flags.maxQueuedSeconds,
      maxConnectionsPerAddress: flags.maxConnectionsPerAddress,
      maxMessageSeconds: flags.maxMessageSeconds,
      maxServerQueuedSeconds: flags.maxServerQueuedSeconds,
      maxQueuedMessages: flags.maxQueuedMessages,
      maxMessageRate: flags.maxMessageRate,
      idleTimeoutMs: flags.idleTimeout === undefined ? undefined : flags.idleTimeout * 1000,
      authToken: flags.token ?? process.env.HEARKEN_TOKEN,
      allowedOrigins: flags.allowOrigin,
      numerals: flags.numerals,
      punctuate: flags.punctuate,
      requireConfig: flags.requireConfig,
      shutdownTimeoutMs: flags.shutdownTimeout === undefined ? undefined : flags.shutdownTimeout * 1000,
      publicDir: flags.page ? undefined : false,
    });
    const address = await server.listen();
    process.stderr.write(`hearken: listening on ws://${address.address}:${address.port} (page: http://${address.address}:${address.port}/)\n`);
    // Drain (docs/protocol.md, Operations): /healthz 503, streams finalised within the grace, exit 0.
    stopOnSignals(() => server.close(), (signal) => process.stderr.write(`hearken: ${signal}: draining open streams, then exiting\n`));
  });
}
