// An example of testing a voice app with hearken/testing (README "Testing voice apps"): an app's TTS prompts say
// their script. In your own project the import is `from 'hearken/testing'`.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toTranscribeAs, transcriptionScore, type TranscriptionMatchers } from '../../src/testing/index.js';
import { SAMPLES } from '../helpers.js';

declare module 'vitest' {
  interface Matchers<T = any> extends TranscriptionMatchers<T> {}
}

expect.extend({ toTranscribeAs });

// Audio the app produced: here two TTS outputs from audio-samples/ (Flite and eSpeak voices).
const PROMPTS = {
  callStella: join(SAMPLES, 'tts-flite-stella.wav'),
  pangram: join(SAMPLES, 'tts-espeak-fox.wav'),
};

describe('the voice app says its script', { timeout: 300_000 }, () => {
  it('the errand prompt', async () => {
    // a synthetic voice and a name the recogniser may not know: allow a few words off
    await expect(PROMPTS.callStella).toTranscribeAs('please call stella and ask her to bring these things with her from the store', { maxWer: 0.35 });
  });

  it('the prompt knows the caller said the name (hotwords help a rare one)', async () => {
    const plain = await transcriptionScore(PROMPTS.callStella, 'please call stella and ask her to bring these things with her from the store');
    const boosted = await transcriptionScore(PROMPTS.callStella, 'please call stella and ask her to bring these things with her from the store', {
      hotwords: [{ phrase: 'stella', boost: 8 }],
    });
    expect(boosted.wer).toBeLessThanOrEqual(plain.wer);
  });

  it('a prompt that says the wrong thing fails', async () => {
    await expect(PROMPTS.pangram).not.toTranscribeAs('please call stella and ask her to bring these things with her from the store', { maxWer: 0.5 });
  });
});
