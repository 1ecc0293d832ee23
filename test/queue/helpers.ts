import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

/** `node --import tsx src/cli.ts ARGS`: the CLI from source, as the other CLI tests run it. */
const CLI = ['--import', 'tsx', join(ROOT, 'src', 'cli.ts')];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a hearken command to its end. */
export function runHearken(args: string[], timeoutMs = 1_200_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...CLI, ...args], { cwd: ROOT, timeout: timeoutMs, maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Every HearkenProcess still running, so a test file's afterAll can stop them all (stopAll). */
const running = new Set<HearkenProcess>();

/** Stops every hearken process the tests started that is still running. */
export async function stopAll(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  await Promise.all([...running].map((p) => p.kill(signal)));
}

/** A long-running hearken command whose stdout is JSON log lines (pino), watched line by line. */
export class HearkenProcess {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[] = [];
  private stderrText = '';
  private readonly watchers = new Set<() => void>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      partial += chunk.toString();
      const parts = partial.split('\n');
      partial = parts.pop()!;
      for (const line of parts) if (line.startsWith('{')) this.lines.push(JSON.parse(line) as Record<string, unknown>);
      for (const watcher of this.watchers) watcher();
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrText += chunk.toString();
    });
    running.add(this);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => {
      running.delete(this);
      resolve({ code, signal });
      for (const watcher of this.watchers) watcher();
    }));
  }

  get pid(): number {
    return this.child.pid!;
  }

  stderr(): string {
    return this.stderrText;
  }

  /** The first log line (from the start) that matches; rejects if the process exits without one. */
  waitForLine(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const line = this.lines.find(match);
        if (line) {
          this.watchers.delete(check);
          resolve(line);
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          this.watchers.delete(check);
          reject(new Error(`process ${this.pid} exited without the awaited line:\n${this.stderrText}`));
        }
      };
      this.watchers.add(check);
      check();
    });
  }

  /** Kills it (if still running) and waits for it to go. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) process.kill(this.pid, signal);
    await this.exited;
  }
}

/** `hearken worker` on this Redis and queue, once it says it is ready. */
export async function startWorker(redis: string, queue: string, extra: string[] = []): Promise<HearkenProcess> {
  const worker = new HearkenProcess(['worker', '--redis', redis, '--queue', queue, ...extra]);
  await worker.waitForLine((l) => l.msg === 'worker ready');
  return worker;
}
