import client from 'prom-client';

/** The server's Prometheus metrics, in a registry of its own (several servers may share a process). */
export class ServerMetrics {
  readonly registry = new client.Registry();
  readonly activeStreams: client.Gauge;
  readonly connections: client.Counter;
  readonly rejected: client.Counter<'reason'>;
  readonly audioSeconds: client.Counter;
  readonly decodeSeconds: client.Counter;
  readonly busySeconds: client.Counter;
  readonly rtf: client.Gauge;
  readonly partialLatency: client.Histogram;
  readonly protocolErrors: client.Counter<'code'>;
  readonly paused: client.Counter;

  constructor(defaultMetrics = true) {
    const registers = [this.registry];
    if (defaultMetrics) client.collectDefaultMetrics({ register: this.registry, prefix: 'hearken_' });
    this.activeStreams = new client.Gauge({ name: 'hearken_active_streams', help: 'Open WebSocket streams', registers });
    this.connections = new client.Counter({ name: 'hearken_connections_total', help: 'Accepted WebSocket connections', registers });
    this.rejected = new client.Counter({
      name: 'hearken_rejected_connections_total',
      help: 'Connections refused at upgrade, by reason (capacity, address, auth, origin, shutdown)',
      labelNames: ['reason'],
      registers,
    });
    this.audioSeconds = new client.Counter({ name: 'hearken_audio_seconds_total', help: 'Seconds of audio decoded', registers });
    this.decodeSeconds = new client.Counter({
      name: 'hearken_decode_seconds_total',
      help: 'Time spent handling messages in decode workers, summed over messages (overlapping when batched)',
      registers,
    });
    this.busySeconds = new client.Counter({ name: 'hearken_worker_busy_seconds_total', help: 'Wall time decode workers had work in progress, summed over workers', registers });
    const self = this;
    this.rtf = new client.Gauge({
      name: 'hearken_decode_rtf',
      help: 'Real-time factor: worker busy time / audio time since start (below 1/workers per worker means headroom)',
      registers,
      async collect() {
        const audio = (await self.audioSeconds.get()).values[0]?.value ?? 0;
        const busy = (await self.busySeconds.get()).values[0]?.value ?? 0;
        this.set(audio > 0 ? busy / audio : 0);
      },
    });
    this.partialLatency = new client.Histogram({
      name: 'hearken_partial_latency_seconds',
      help: 'Time from an audio message arriving to its reply (partial or result) being sent',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.protocolErrors = new client.Counter({ name: 'hearken_protocol_errors_total', help: 'Streams closed for an error, by close code', labelNames: ['code'], registers });
    this.paused = new client.Counter({ name: 'hearken_backpressure_pauses_total', help: 'Times a socket was paused: queued audio or messages, the server queue, the message rate or unread replies', registers });
  }
}
