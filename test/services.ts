/**
 * Real services for tests (Redis, HAProxy), started on a free loopback port and stopped by PID. CI installs
 * them from .ci/apt-packages; a test that needs one fails with the package to install when it is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { tempDir } from './helpers.js';

export interface Service {
  port: number;
  pid: number;
  process: ChildProcess;
  /** Everything the service wrote so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** A TCP port nothing listens on now (the OS picks it), on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function requireBinary(name: string, debianPackage: string): void {
  if (spawnSync('sh', ['-c', `command -v ${name}`]).status !== 0) {
    throw new Error(`${name} is not installed: apt-get install ${debianPackage} (listed in .ci/apt-packages)`);
  }
}

/** Starts a service; `printed(pattern)` resolves once its output matches, and rejects if it exits first. */
function launch(command: string, args: string[], port: number): Service & { printed(pattern: RegExp): Promise<void> } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`${command} exited (${code ?? signal}):\n${text}`)));
  });
  exited.catch(() => {});
  return {
    port,
    pid: child.pid!,
    process: child,
    output: () => text,
    printed: (pattern) => {
      const seen = new Promise<void>((resolve) => {
        const check = (): void => {
          if (pattern.test(text)) {
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        check();
      });
      return Promise.race([seen, exited]);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(child.pid!, 'SIGTERM');
      }),
  };
}

/** redis-server on a free loopback port (or this one), nothing persisted. */
export async function startRedis(port?: number): Promise<Service & { url: string }> {
  requireBinary('redis-server', 'redis-server');
  port ??= await freePort();
  const dir = tempDir('hearken-redis-');
  const redis = launch('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], port);
  await redis.printed(/Ready to accept connections/);
  return { ...redis, url: `redis://127.0.0.1:${port}` };
}

/** haproxy in the foreground with this configuration, once it accepts connections on `port`. */
export async function startHaproxy(config: string, port: number): Promise<Service> {
  requireBinary('haproxy', 'haproxy');
  const file = join(tempDir('hearken-haproxy-'), 'haproxy.cfg');
  writeFileSync(file, config);
  const check = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy refused the configuration:\n${check.stdout}${check.stderr}`);
  const haproxy = launch('haproxy', ['-db', '-f', file], port);
  // it prints nothing when ready
  await Promise.race([waitForPort(port), haproxy.printed(/(?!)/)]);
  return haproxy;
}

/** Resolves once something accepts TCP connections on the loopback port. */
export async function waitForPort(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on port ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
