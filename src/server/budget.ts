/**
 * Server-wide budget of queued audio, in seconds (16 kHz samples after resampling / 16 000): what all streams
 * together may have waiting for the decode workers. Streams that find it spent stop reading their sockets and
 * wait here until the workers have caught up.
 */
export class AudioBudget {
  private queued = 0;
  private readonly waiting = new Set<() => void>();

  constructor(readonly limitSeconds: number) {}

  get queuedSeconds(): number {
    return this.queued;
  }

  /** More audio queued than the budget allows. */
  get spent(): boolean {
    return this.queued > this.limitSeconds;
  }

  add(seconds: number): void {
    this.queued += seconds;
  }

  release(seconds: number): void {
    this.queued = Math.max(0, this.queued - seconds);
    if (this.waiting.size > 0 && !this.spent) {
      const ready = [...this.waiting];
      this.waiting.clear();
      for (const resume of ready) resume();
    }
  }

  /** Calls `resume` once the budget is no longer spent. */
  wait(resume: () => void): void {
    this.waiting.add(resume);
  }

  cancel(resume: () => void): void {
    this.waiting.delete(resume);
  }
}

/** A token bucket: `rate` tokens (messages) per second on average, bursts of up to `burst` (default: `rate`). */
export class MessageRate {
  private tokens: number;
  private last = performance.now();
  private readonly burst: number;

  constructor(private readonly rate: number, burst = rate) {
    this.burst = burst;
    this.tokens = burst;
  }

  /** Takes `tokens` (one per message); returns 0 if the budget allows it, else the milliseconds until it does again. */
  take(tokens = 1): number {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    this.tokens -= tokens;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.rate) * 1000;
  }
}
