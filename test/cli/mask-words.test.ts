import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES, tempDir } from '../helpers.js';
import { hearken } from './run-cli.js';

const FOX = join(SAMPLES, 'tts-espeak-fox.wav');

describe('hearken transcribe --mask-words FILE', { timeout: 300_000 }, () => {
  it('leaves text as heard without it, and masks the listed words with it', async () => {
    const plain = await hearken(['transcribe', '--greedy', FOX]);
    expect(plain.code).toBe(0);
    const heard = plain.stdout.trim().split(' ');
    expect(heard.length).toBeGreaterThan(2);
    expect(plain.stdout).not.toContain('*');
    const listed = [heard[0]!, heard[heard.length - 1]!];
    const file = join(tempDir(), 'mask.txt');
    writeFileSync(file, `# words not to show\n${listed.map((w) => w.toUpperCase()).join('\n')}\n`);
    const masked = await hearken(['transcribe', '--greedy', '--mask-words', file, FOX]);
    expect(masked.code).toBe(0);
    expect(masked.stdout.trim()).toBe(heard.map((w) => (listed.includes(w) ? '*'.repeat(w.length) : w)).join(' '));
  });

  it('a missing file or a line that is not one word is an error that names it', async () => {
    const missing = await hearken(['transcribe', '--greedy', '--mask-words', '/nonexistent/mask.txt', FOX]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/cannot read mask word file \/nonexistent\/mask\.txt: ENOENT/);
    const file = join(tempDir(), 'mask.txt');
    writeFileSync(file, 'fine\nnot fine\n');
    const bad = await hearken(['transcribe', '--greedy', '--mask-words', file, FOX]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(`${file}: line 2`);
  });
});
