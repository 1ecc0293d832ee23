import { describe, expect, it } from 'vitest';
import { BOUNDARY_GRACE, EndpointDetector, checkEndpointConfig, DEFAULT_ENDPOINT_CONFIG } from '../../src/recognizer/endpoint.js';
import { GreedyDecoder } from '../../src/decoder/greedy.js';
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

const BLANK = 0;
const SPACE = DEFAULT_VOCABULARY.indexOf(' ');

describe('EndpointDetector', () => {
  it('ends after trailing silence that follows speech (rule 2)', () => {
    const d = new EndpointDetector({ ...DEFAULT_ENDPOINT_CONFIG, trailingSilence: 0.3 }, 0.03, V, BLANK, SPACE);
    // 5 speech steps then silence: 0.3 s = 10 silent steps, so the end comes right after step 15.
    const tokens = [2, 3, 4, 5, 6, ...new Array<number>(30).fill(0)];
    expect(d.scan(peaked(tokens), tokens.length)).toBe(15);
    expect(d.lastCutForLength).toBe(false);
  });

  it('ends a silence-only stretch only after the longer no-speech limit (rule 1)', () => {
    const d = new EndpointDetector({ ...DEFAULT_ENDPOINT_CONFIG, silenceWithoutSpeech: 0.6, trailingSilence: 0.3 }, 0.03, V, BLANK, SPACE);
    const tokens = new Array<number>(40).fill(0);
    expect(d.scan(peaked(tokens), 40)).toBe(20);
    expect(d.lastCutForLength).toBe(false);
  });

  it('ends an utterance at the maximum length at its next word boundary (rule 3), across calls', () => {
    const d = new EndpointDetector({ ...DEFAULT_ENDPOINT_CONFIG, maxUtterance: 0.9 }, 0.03, V, BLANK, SPACE);
    // 0.9 s = 30 steps; the limit falls inside the third word, so the cut waits for the space after it (index 32)
    const word = [7, 7, 0, 8, 9, 0, 10, 0, 11, 12];
    const tokens = [...word, SPACE, ...word, SPACE, ...word, SPACE, ...word, SPACE, ...word];
    expect(d.scan(peaked(tokens.slice(0, 20)), 20)).toBe(-1);
    expect(tokens[29]).not.toBe(SPACE);
    expect(d.scan(peaked(tokens.slice(20)), tokens.length - 20)).toBe(32 - 20 + 1);
    // a cut inside running speech: the next utterance carries it on
    expect(d.lastCutForLength).toBe(true);
    d.reset();
    expect(d.length).toBe(0);
  });

  it('takes a pause past the maximum length as a word boundary', () => {
    const d = new EndpointDetector({ ...DEFAULT_ENDPOINT_CONFIG, maxUtterance: 0.9, trailingSilence: 1 }, 0.03, V, BLANK, SPACE);
    const tokens = [...new Array<number>(32).fill(7), ...new Array<number>(20).fill(BLANK)];
    expect(d.scan(peaked(tokens), tokens.length)).toBe(32 + 10); // 0.3 s of blanks
  });

  it('cuts anyway when no boundary comes within the grace period after the maximum length', () => {
    const d = new EndpointDetector({ ...DEFAULT_ENDPOINT_CONFIG, maxUtterance: 0.9 }, 0.03, V, BLANK, SPACE);
    const tokens = new Array<number>(200).fill(7);
    expect(d.scan(peaked(tokens), tokens.length)).toBe(30 + Math.round(BOUNDARY_GRACE / 0.03));
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
