import { createServer, type Server } from 'node:http';
import { Command } from 'commander';
import { DEFAULT_QUEUE } from '../queue/job.js';
import type { QueueWorkerMetrics } from '../queue/metrics.js';
import { TranscriptionWorker } from '../queue/worker.js';
import { positiveInt } from './options.js';
import { stopOnSignals } from './signals.js';

interface WorkerFlags {
  redis: string;
  queue: string;
  concurrency: number;
  model?: string;
  lm: string | boolean;
  stalledAfter: number;
  metricsPort?: number;
  metricsHost: string;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`must be a positive number of seconds, got ${value}`);
  return n;
}

/** /metrics (Prometheus text) and /healthz for a worker, which has no server of its own. */
function metricsServer(metrics: QueueWorkerMetrics, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** `hearken worker`: takes transcription jobs from a Redis queue until SIGTERM. */
export function workerCommand(): Command {
  return new Command('worker')
    .description('transcribe jobs from a Redis queue (filled by `hearken enqueue`); SIGTERM finishes the current jobs, then exits')
    .option('--redis <url>', 'Redis URL', process.env.HEARKEN_REDIS ?? 'redis://127.0.0.1:6379')
    .option('--queue <name>', 'queue name', DEFAULT_QUEUE)
    .option('--concurrency <n>', 'jobs at once, one recognizer thread each', positiveInt, 1)
    .option('--model <dir>', 'acoustic model folder (default: the shipped model)')
    .option('--lm <file>', 'language model: Hearken binary (.hklm) or ARPA, gzipped or not (default: the shipped LM)')
    .option('--no-lm', 'decode without a language model')
    .option('--stalled-after <seconds>', "give a job to another worker when its worker has not renewed its lock for this long", seconds, 30)
    .option('--metrics-port <n>', 'serve Prometheus /metrics and /healthz on this port', positiveInt)
    .option('--metrics-host <address>', 'interface for --metrics-port', '127.0.0.1')
    .action(async (flags: WorkerFlags) => {
      const worker = await TranscriptionWorker.start({
        redis: flags.redis,
        queue: flags.queue,
        concurrency: flags.concurrency,
        model: flags.model,
        lm: flags.lm === false ? false : typeof flags.lm === 'string' ? flags.lm : undefined,
        stalledAfterMs: flags.stalledAfter * 1000,
      });
      const http = flags.metricsPort === undefined ? null : await metricsServer(worker.metrics, flags.metricsPort, flags.metricsHost);
      stopOnSignals(
        async () => {
          await worker.close();
          http?.close();
        },
        (signal) => process.stderr.write(`hearken: ${signal}: finishing the current jobs\n`),
      );
    });
}
