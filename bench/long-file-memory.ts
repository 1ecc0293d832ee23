/**
 * Peak memory of `hearken transcribe` on long files (issue 30: memory bounded independently of duration).
 *
 *   npx tsx bench/long-file-memory.ts [--checkout DIR] [--only wav|opus] [--format jsonl|json]
 *
 * Makes, once, in /tmp/hearken-long-files/ (never in the repository): a 2 h 16 kHz mono 16-bit WAV of the 70 s
 * fixture `long-librilight-248.wav` repeated, and a 1 h Ogg Opus file of silence (sox + opusenc). Then runs
 * `/usr/bin/time -v node --import tsx DIR/src/cli.ts transcribe --format jsonl FILE` and prints the peak RSS
 * ("Maximum resident set size"), the wall time and the transcript's word count. `--checkout` points at
 * another clone (a `git worktree` of an older commit) to measure before a change; its node_modules must resolve.
 * Needs sox, opusenc and GNU time (/usr/bin/time).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('..', import.meta.url));
const WORK = '/tmp/hearken-long-files';

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function makeFiles(): { wav: string; opus: string } {
  mkdirSync(WORK, { recursive: true });
  const wav = join(WORK, 'speech-2h.wav');
  const opus = join(WORK, 'silence-1h.opus');
  if (!existsSync(wav)) {
    const source = join(HERE, 'audio-samples', 'long-librilight-248.wav');
    const seconds = Number(execFileSync('soxi', ['-D', source], { encoding: 'utf8' }));
    const repeats = Math.ceil(7200 / seconds) - 1;
    execFileSync('sox', [source, wav, 'repeat', String(repeats), 'trim', '0', '7200']);
  }
  if (!existsSync(opus)) {
    const silence = join(WORK, 'silence-1h.wav');
    execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', silence, 'trim', '0', '3600']);
    execFileSync('opusenc', ['--quiet', '--bitrate', '32', silence, opus]);
  }
  return { wav, opus };
}

interface Measure {
  file: string;
  peakRssMb: number;
  wallSeconds: number;
  exitCode: number | null;
  words: number;
}

function measure(checkout: string, file: string): Measure {
  const cli = join(checkout, 'src', 'cli.ts');
  const t0 = performance.now();
  const run = spawnSync('/usr/bin/time', ['-v', process.execPath, '--import', 'tsx', cli, 'transcribe', '--format', format, '--no-progress', file], {
    cwd: checkout,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const wallSeconds = (performance.now() - t0) / 1000;
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1];
  if (!kb) throw new Error(`no peak RSS in /usr/bin/time's output:\n${run.stderr.slice(-2000)}`);
  // An older checkout without --format jsonl fails at once; say so instead of reporting its tiny RSS.
  if (run.status !== 0) process.stderr.write(`exit ${run.status}: ${run.stderr.split('\n').slice(0, 3).join(' | ')}\n`);
  const text = run.stdout.trim();
  const results = (format === 'json' ? [text] : text.split('\n')).filter((l) => l !== '').map((l) => JSON.parse(l) as { words?: unknown[] });
  const words = results.reduce((n, r) => n + (r.words?.length ?? 0), 0);
  return { file, peakRssMb: Number(kb) / 1024, wallSeconds, exitCode: run.status, words };
}

const checkout = resolve(flag('--checkout') ?? HERE);
/** jsonl, or json for a checkout older than --format jsonl. */
const format = flag('--format') ?? 'jsonl';
const only = flag('--only');
const files = makeFiles();
const chosen = only === 'wav' ? [files.wav] : only === 'opus' ? [files.opus] : [files.wav, files.opus];
for (const file of chosen) {
  const m = measure(checkout, file);
  console.log(`${m.file}: peak RSS ${m.peakRssMb.toFixed(0)} MB, ${m.wallSeconds.toFixed(0)} s wall, exit ${m.exitCode}, ${m.words} words`);
}
