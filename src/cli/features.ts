import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { dumpFeatures } from '../features/dump.js';
import { positiveInt } from './options.js';

export function featuresCommand(): Command {
  return new Command('features')
    .description('compute MFCC features for every utterance of a manifest (file<TAB>transcript) for training')
    .requiredOption('--manifest <file>', 'manifest.tsv; paths are relative to it (WAV, FLAC, Ogg Opus or Vorbis, MP3)')
    .requiredOption('--out <dir>', 'output folder: index.json + float32 shards')
    .option('--workers <n>', 'worker threads (default: all cores)', positiveInt)
    .option('--no-progress', 'no progress bar')
    .action(async (opts: { manifest: string; out: string; workers?: number; progress: boolean }) => {
      const bar = opts.progress && process.stderr.isTTY
        ? new cliProgress.SingleBar({ stream: process.stderr, format: 'features [{bar}] {value}/{total} {eta_formatted}' }, cliProgress.Presets.shades_classic)
        : null;
      let started = false;
      const t0 = performance.now();
      const summary = await dumpFeatures({
        manifest: opts.manifest,
        out: opts.out,
        workers: opts.workers,
        onProgress: (done, total) => {
          if (!bar) return;
          if (!started) { bar.start(total, 0); started = true; }
          bar.update(done);
        },
      });
      bar?.stop();
      const seconds = (performance.now() - t0) / 1000;
      for (const f of summary.failures) process.stderr.write(`skipped ${f.file}: ${f.error}\n`);
      process.stdout.write(
        `${summary.utterances} utterances, ${summary.hours.toFixed(3)} h, ${summary.frames} frames, ` +
          `${summary.failures.length} failed; ${seconds.toFixed(1)} s wall\n`,
      );
      if (summary.utterances === 0) process.exitCode = 1;
    });
}
