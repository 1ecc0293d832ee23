import { readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { featuresCommand } from '../../src/cli/features.js';
import { readAudioFile } from '../../src/audio/index.js';
import { computeMfcc } from '../../src/features/index.js';
import { dumpFeatures, type DumpIndex } from '../../src/features/dump.js';
import { SAMPLES, tempDir } from '../helpers.js';

describe('feature dump', () => {
  it('hearken features refuses a --workers that is not a positive integer, naming the flag', async () => {
    for (const workers of ['0', '-2', '1.5']) {
      // commander would exit the process; thrown errors and no stderr let the refusal be checked here
      const command = featuresCommand().exitOverride().configureOutput({ writeErr: () => undefined });
      await expect(command.parseAsync(['--manifest', 'missing.tsv', '--out', 'unused', '--workers', workers], { from: 'user' })).rejects.toThrow(
        new RegExp(`--workers <n>' argument '${workers}' is invalid\\. must be a positive integer`),
      );
    }
  });

  it('round-trips: shards hold exactly the frames of computeMfcc, and a bad file is skipped, not fatal', async () => {
    const dir = tempDir();
    copyFileSync(join(SAMPLES, 'librilight-831-130739-0011.wav'), join(dir, 'a.wav'));
    copyFileSync(join(SAMPLES, 'digit-8k-fsdd-7.wav'), join(dir, 'b.wav'));
    writeFileSync(join(dir, 'broken.wav'), 'RIFF....WAVEjunk');
    writeFileSync(join(dir, 'manifest.tsv'), 'file\ttranscript\na.wav\tmade you out\nbroken.wav\tnothing\nb.wav\tseven\n');
    const out = join(dir, 'feats');
    const summary = await dumpFeatures({ manifest: join(dir, 'manifest.tsv'), out, workers: 2 });
    expect(summary.utterances).toBe(2);
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]!.file).toBe('broken.wav');
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as DumpIndex;
    expect(index.dim).toBe(30);
    expect(index.utterances.map((u) => u.transcript)).toEqual(['made you out', 'seven']);
    const shard = readFileSync(join(out, index.shards[0]!.file));
    for (const [i, name] of ['a.wav', 'b.wav'].entries()) {
      const u = index.utterances[i]!;
      const expected = computeMfcc((await readAudioFile(join(dir, name))).samples);
      expect(u.frames).toBe(expected.frames);
      const stored = new Float32Array(shard.buffer.slice(shard.byteOffset + u.offset * 30 * 4, shard.byteOffset + (u.offset + u.frames) * 30 * 4));
      expect(Buffer.from(stored.buffer).equals(Buffer.from(expected.data.buffer))).toBe(true);
    }
    expect(summary.hours).toBeCloseTo(index.utterances.reduce((s, u) => s + u.seconds, 0) / 3600, 6);
  });
});
