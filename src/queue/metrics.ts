import client from 'prom-client';

/** A queue worker's Prometheus metrics, in a registry of its own (a process may run several workers). */
export class QueueWorkerMetrics {
  readonly registry = new client.Registry();
  readonly completed: client.Counter;
  readonly failed: client.Counter<'reason'>;
  readonly active: client.Gauge;
  readonly audioSeconds: client.Counter;
  readonly computeSeconds: client.Counter;
  readonly rtf: client.Gauge;

  constructor(defaultMetrics = true) {
    const registers = [this.registry];
    if (defaultMetrics) client.collectDefaultMetrics({ register: this.registry, prefix: 'hearken_' });
    this.completed = new client.Counter({ name: 'hearken_queue_jobs_completed_total', help: 'Transcription jobs this worker completed', registers });
    this.failed = new client.Counter({
      name: 'hearken_queue_jobs_failed_total',
      help: 'Job attempts that failed, by reason: input (bad audio or options; not retried) or error (retried while attempts last)',
      labelNames: ['reason'],
      registers,
    });
    this.active = new client.Gauge({ name: 'hearken_queue_active_jobs', help: 'Jobs being transcribed now', registers });
    this.audioSeconds = new client.Counter({ name: 'hearken_queue_audio_seconds_total', help: 'Seconds of audio in completed jobs', registers });
    this.computeSeconds = new client.Counter({ name: 'hearken_queue_compute_seconds_total', help: 'Recognizer time spent on completed jobs, summed over jobs', registers });
    const self = this;
    this.rtf = new client.Gauge({
      name: 'hearken_queue_rtf',
      help: 'Real-time factor since start: recognizer time / audio time over completed jobs (per job, not per machine)',
      registers,
      async collect() {
        const audio = (await self.audioSeconds.get()).values[0]?.value ?? 0;
        const compute = (await self.computeSeconds.get()).values[0]?.value ?? 0;
        this.set(audio > 0 ? compute / audio : 0);
      },
    });
  }
}
