import { describe, expect, it } from 'vitest';
import { EndpointDetector, checkEndpointConfig, DEFAULT_ENDPOINT_CONFIG } from '../../src/recognizer/endpoint.js';
import { GreedyDecoder } from '../../src/recognizer/greedy-decoder.js';
import { greedyDecode } from '../../src/decoder/greedy.js';
import { DEFAULT_VOCABULARY } from '../../src/decoder/vocabulary.js';
import { rng } from '../helpers.js';

const V = DEFAULT_VOCABULARY.length;

/** Log-probs whose argmax per step is the given token. */
function peaked(tokens: number[]): Float32Array {
  const out = new Float32Array(tokens.length * V).fill(Math.log(0.01 / (V - 1)));
  tokens.forEach((t, i) => { out[i * V + t] = Math.log(0.99); });
  return out;
}

const silent = (t: number): boolean => t === 0 || t === 1;

describe('EndpointDetector', () => {
  it('ends after trailing silence that follows speech (rule 2)', () => {
    const d = new EndpointDetector({ ...DEFAULT_ENDPOINT_CONFIG, trailingSilence: 0.3 }, 0.03, V, silent);
    // 5 speech steps then silence: 0.3 s = 10 silent steps, so the end comes right after step 15.
    const tokens = [2, 3, 4, 5, 6, ...new Array<number>(30).fill(0)];
    expect(d.scan(peaked(tokens), tokens.length)).toBe(15);
  });

  it('ends a silence-only stretch only after the longer no-speech limit (rule 1)', () => {
    const d = new EndpointDetector({ ...DEFAULT_ENDPOINT_CONFIG, silenceWithoutSpeech: 0.6, trailingSilence: 0.3 }, 0.03, V, silent);
    const tokens = new Array<number>(40).fill(0);
    expect(d.scan(peaked(tokens), 40)).toBe(20);
  });

  it('cuts an utterance at the maximum length (rule 3) and continues across calls', () => {
    const d = new EndpointDetector({ ...DEFAULT_ENDPOINT_CONFIG, maxUtterance: 0.9 }, 0.03, V, silent);
    const speech = peaked(new Array<number>(20).fill(7));
    expect(d.scan(speech, 20)).toBe(-1);
    expect(d.scan(speech, 20)).toBe(10);
    d.reset();
    expect(d.length).toBe(0);
  });

  it('validates settings', () => {
    expect(checkEndpointConfig({ trailingSilence: 0.5 }).trailingSilence).toBe(0.5);
    expect(() => checkEndpointConfig({ maxUtterance: 0 })).toThrow(/maxUtterance/);
    expect(() => checkEndpointConfig({ trailingSilence: Number.NaN })).toThrow(/trailingSilence/);
  });
});

describe('GreedyDecoder (streaming)', () => {
  it('matches the batch greedy decoder and is split-invariant, with words and times', () => {
    const random = rng(5);
    for (let trial = 0; trial < 10; trial++) {
      const tokens = Array.from({ length: 300 }, () => (random() < 0.5 ? 0 : random() < 0.2 ? 1 : 2 + Math.floor(random() * 27)));
      const lp = peaked(tokens);
      const whole = new GreedyDecoder(DEFAULT_VOCABULARY, 0);
      whole.acceptFrames(lp, tokens.length);
      const result = whole.finalize();
      expect(result.text).toBe(greedyDecode(lp, tokens.length).text);
      const split = new GreedyDecoder(DEFAULT_VOCABULARY, 0);
      let at = 0;
      while (at < tokens.length) {
        const n = Math.min(tokens.length - at, Math.floor(random() * 20));
        split.acceptFrames(lp.subarray(at * V, (at + n) * V), n);
        at += n;
      }
      expect(split.finalize()).toEqual(result);
      expect(result.words.map((w) => w.word).join(' ')).toBe(result.text);
      for (const w of result.words) {
        expect(w.end).toBeGreaterThan(w.start);
        expect(w.conf).toBeCloseTo(0.99, 5);
      }
    }
  });
});
