import { describe, expect, it } from 'vitest';
import { outputFileNames } from '../../src/output/names.js';

describe('outputFileNames', () => {
  it('swaps the extension when names are distinct', () => {
    expect(outputFileNames(['a/talk.wav', 'b/interview.mp3', 'song'], 'srt')).toEqual(['talk.srt', 'interview.srt', 'song.srt']);
  });

  it('keeps the input extension for inputs that would share a name', () => {
    expect(outputFileNames(['x/talk.wav', 'x/talk.mp3', 'y/other.ogg'], 'json')).toEqual(['talk.wav.json', 'talk.mp3.json', 'other.json']);
  });

  it('refuses names that still clash, naming both inputs', () => {
    expect(() => outputFileNames(['a/talk.wav', 'b/talk.wav'], 'txt')).toThrow(/a\/talk\.wav and b\/talk\.wav would both be written to talk\.wav\.txt/);
    expect(() => outputFileNames(['talk.wav', 'talk.wav'], 'txt')).toThrow(/would both be written/);
  });
});
