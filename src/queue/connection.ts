import { Redis } from 'ioredis';

/**
 * A Redis connection for BullMQ from a URL (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS).
 * BullMQ needs `maxRetriesPerRequest: null` on connections that block (workers, queue events): it retries
 * its own commands. Each Queue, Worker and QueueEvents gets a connection of its own.
 */
export function redisConnection(url: string): Redis {
  if (!/^rediss?:\/\//.test(url)) throw new Error(`Redis URL must start with redis:// or rediss://, got "${url}"`);
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}
