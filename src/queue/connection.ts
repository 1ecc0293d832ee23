import { Redis } from 'ioredis';
import { HearkenError } from '../util/errors.js';

export type QueueConnectionErrorCode = 'BAD_REDIS_URL' | 'REDIS_UNREACHABLE';

/**
 * A queue or worker could not start on Redis: `BAD_REDIS_URL` (not a redis:// or rediss:// URL) or
 * `REDIS_UNREACHABLE` (Redis down, a wrong host or port, a firewall, refused credentials).
 */
export class QueueConnectionError extends HearkenError<QueueConnectionErrorCode> {
  constructor(code: QueueConnectionErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'QueueConnectionError';
  }
}

/**
 * A connected Redis client for BullMQ from a URL (`redis://[user:password@]host:port[/db]`, `rediss://` for
 * TLS). It must connect now: a wrong URL or a Redis that is down is an error at once, not retries forever.
 * After that it reconnects on its own (BullMQ retries its commands: `maxRetriesPerRequest: null`), and
 * `onError` hears about each failure meanwhile. Each Queue, Worker and QueueEvents gets a client of its own.
 */
export async function connectRedis(url: string, onError: (err: Error) => void = () => {}): Promise<Redis> {
  if (!/^rediss?:\/\//.test(url)) throw new QueueConnectionError('BAD_REDIS_URL', `Redis URL must start with redis:// or rediss://, got "${url}"`);
  const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  let last: (Error & { code?: string }) | null = null;
  const remember = (err: Error): void => {
    last = err;
  };
  client.on('error', remember);
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    const why = last ?? (err as Error & { code?: string });
    throw new QueueConnectionError('REDIS_UNREACHABLE', `cannot reach Redis at ${url}: ${why.code ?? why.message}`, { cause: why });
  }
  client.off('error', remember);
  client.on('error', onError);
  return client;
}
