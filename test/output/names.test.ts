import { describe, expect, it } from 'vitest';
import { outputFileNames } from '../../src/output/names.js';

describe('outputFileNames', () => {
  it('replaces the last extension with the format\'s, for every format, whatever the other inputs', () => {
    for (const ext of ['txt', 'json', 'jsonl', 'srt', 'vtt']) {
      expect(outputFileNames(['a/talk.wav', 'b/interview.mp3', 'song', 'x/rec.2024.flac'], ext))
        .toEqual([`talk.${ext}`, `interview.${ext}`, `song.${ext}`, `rec.2024.${ext}`]);
      // a name depends on its input alone
      expect(outputFileNames(['b/interview.mp3'], ext)).toEqual([`interview.${ext}`]);
    }
  });

  it('refuses inputs that would share a name, naming both', () => {
    expect(() => outputFileNames(['a/talk.wav', 'b/talk.wav'], 'txt')).toThrow(/a\/talk\.wav and b\/talk\.wav would both be written to talk\.txt/);
    expect(() => outputFileNames(['x/talk.wav', 'x/talk.mp3'], 'json')).toThrow(/x\/talk\.wav and x\/talk\.mp3 would both be written to talk\.json/);
    expect(() => outputFileNames(['talk.wav', 'talk.wav'], 'srt')).toThrow(/would both be written/);
  });
});
