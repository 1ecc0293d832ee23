import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { arpaFileBytes, loadArpa, loadArpaFile, parseArpa } from '../../src/lm/arpa.js';
import { LmFormatError } from '../../src/lm/errors.js';

const ARPA = `
\\data\\
ngram 1=5
ngram 2=4
ngram 3=2

\\1-grams:
-1.0\t<s>\t-0.5
-0.7\t</s>
-0.6\ta\t-0.3
-0.8\tb\t-0.2
-1.5\t<unk>

\\2-grams:
-0.3\t<s> a\t-0.1
-0.4\ta b\t-0.25
-0.5\tb </s>
-0.2\tb a

\\3-grams:
-0.1\t<s> a b
-0.15\ta b a

\\end\\
`;

describe('ARPA text in pieces', () => {
  it('parses lines that run from one piece into the next as one text', () => {
    const whole = parseArpa(ARPA);
    for (const cut of [1, 7, 40, 77, ARPA.length - 3]) {
      const pieces = [ARPA.slice(0, cut), ARPA.slice(cut, cut + 5), ARPA.slice(cut + 5)];
      const lm = parseArpa(pieces);
      expect(lm.words).toEqual(whole.words);
      expect(lm.counts).toEqual(whole.counts);
      expect(lm.score([lm.wordId('<s>'), lm.wordId('a')], lm.wordId('b'))).toBe(whole.score([whole.wordId('<s>'), whole.wordId('a')], whole.wordId('b')));
    }
  });
});

describe('ARPA loading and scoring', () => {
  const lm = parseArpa(ARPA);
  const id = (w: string): number => lm.wordId(w);
  const s = id('<s>');
  const a = id('a');
  const b = id('b');
  const e = id('</s>');

  it('reads the header and vocabulary', () => {
    expect(lm.order).toBe(3);
    expect(lm.counts).toEqual([5, 4, 2]);
    expect(lm.bos).toBe(s);
    expect(lm.eos).toBe(e);
    expect(lm.unkId).toBe(id('<unk>'));
    expect(lm.unkLog10).toBeCloseTo(-1.5, 6);
    expect(lm.wordId('zzz')).toBe(lm.unkId);
    expect(lm.has('zzz')).toBe(false);
  });

  it('returns listed probabilities exactly', () => {
    expect(lm.score([], a)).toBeCloseTo(-0.6, 6);
    expect(lm.score([s], a)).toBeCloseTo(-0.3, 6);
    expect(lm.score([s, a], b)).toBeCloseTo(-0.1, 6);
    expect(lm.score([a, b], a)).toBeCloseTo(-0.15, 6);
    // Only the last order-1 words matter.
    expect(lm.score([b, b, s, a], b)).toBeCloseTo(-0.1, 6);
  });

  it('backs off with Katz/KenLM semantics', () => {
    expect(lm.score([s], b)).toBeCloseTo(-0.5 + -0.8, 6); // bo(<s>) + p(b)
    expect(lm.score([s, a], a)).toBeCloseTo(-0.1 + -0.3 + -0.6, 6); // bo(<s> a) + bo(a) + p(a)
    expect(lm.score([a, b], e)).toBeCloseTo(-0.25 + -0.5, 6); // bo(a b) + p(</s> | b)
    expect(lm.score([b, a], b)).toBeCloseTo(-0.4, 6); // "b a" has no back-off weight (0)
    expect(lm.score([b, b], a)).toBeCloseTo(-0.2, 6); // unlisted context "b b": no weight
    expect(lm.score([a], id('zzz'))).toBeCloseTo(-0.3 + -1.5, 6); // <unk>
    expect(lm.score([-1, b], a)).toBeCloseTo(-0.2, 6); // -1 cuts the context
  });

  it('scores unknown words at -100 when there is no <unk>', () => {
    const noUnk = parseArpa('\\data\\\nngram 1=2\n\n\\1-grams:\n-0.3 a\n-0.2 b\n\n\\end\\\n');
    expect(noUnk.unkId).toBe(-1);
    expect(noUnk.wordId('c')).toBe(-1);
    expect(noUnk.score([], -1)).toBe(-100);
    expect(noUnk.score([], noUnk.wordId('b'))).toBeCloseTo(-0.2, 6);
  });

  it('loads the same model from a file, with CRLF line ends', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arpa-'));
    const path = join(dir, 'lm.arpa');
    writeFileSync(path, ARPA.replace(/\n/g, '\r\n'));
    const fromFile = loadArpa(path);
    expect(fromFile.counts).toEqual([5, 4, 2]);
    expect(fromFile.score([fromFile.wordId('<s>'), fromFile.wordId('a')], fromFile.wordId('a'))).toBeCloseTo(-1.0, 6);
    expect(loadArpaFile(path).order).toBe(3);
  });

  it('loads a gzip-compressed file (recognised by content, not name) exactly like the plain one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arpa-'));
    const gz = join(dir, 'lm.arpa.gz');
    writeFileSync(gz, arpaFileBytes(gz, ARPA));
    const noSuffix = join(dir, 'compressed-lm');
    writeFileSync(noSuffix, gzipSync(ARPA));
    const plain = parseArpa(ARPA);
    for (const path of [gz, noSuffix]) {
      const lm = loadArpaFile(path);
      expect(lm.counts).toEqual(plain.counts);
      expect(lm.words).toEqual(plain.words);
      expect(lm.score([lm.wordId('<s>'), lm.wordId('a')], lm.wordId('a'))).toBe(plain.score([plain.wordId('<s>'), plain.wordId('a')], plain.wordId('a')));
    }
    expect(arpaFileBytes(join(dir, 'lm.arpa'), ARPA).toString('utf8')).toBe(ARPA);
  });

  it('says so when gzip data is truncated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arpa-'));
    const path = join(dir, 'lm.arpa.gz');
    const bytes = gzipSync(ARPA);
    writeFileSync(path, bytes.subarray(0, bytes.length - 12));
    expect(() => loadArpaFile(path)).toThrow(LmFormatError);
    expect(() => loadArpaFile(path)).toThrow(/gzip data is truncated or corrupt/);
  });
});

describe('malformed ARPA', () => {
  const cases: Array<[string, string, RegExp, number]> = [
    ['missing \\data\\', 'ngram 1=1\n\\1-grams:\n-1 a\n\\end\\\n', /expected "\\data\\"/, 1],
    ['empty input', '\n\n', /missing \\data\\/, 2],
    ['count mismatch', '\\data\\\nngram 1=3\n\n\\1-grams:\n-1 a\n-1 b\n\n\\end\\\n', /has 2 entries.*declares 3/, 8],
    ['too many entries', '\\data\\\nngram 1=1\n\n\\1-grams:\n-1 a\n-1 b\n\\end\\\n', /more 1-grams/, 6],
    ['bad number', '\\data\\\nngram 1=1\n\n\\1-grams:\n-x.5 a\n\n\\end\\\n', /bad number "-x.5"/, 5],
    ['bad back-off', '\\data\\\nngram 1=1\nngram 2=1\n\n\\1-grams:\n-1 a nope\n\n\\2-grams:\n-1 a a\n\\end\\\n', /bad number "nope"/, 6],
    ['unknown section', '\\data\\\nngram 1=1\n\n\\1-grams:\n-1 a\n\\foo\\\n', /unknown section "\\foo\\"/, 6],
    ['wrong section order', '\\data\\\nngram 1=1\nngram 2=1\n\n\\2-grams:\n-1 a a\n', /expected \\1-grams:/, 5],
    ['truncated', '\\data\\\nngram 1=2\n\n\\1-grams:\n-1 a\n-1 b', /truncated/, 6],
    ['truncated mid-section', '\\data\\\nngram 1=1\nngram 2=1\n\n\\1-grams:\n-1 a\n\n\\2-grams:\n', /truncated/, 8],
    ['missing order at \\end\\', '\\data\\\nngram 1=1\nngram 2=1\n\n\\1-grams:\n-1 a\n\\end\\\n', /declares 2 orders/, 7],
    ['unknown word', '\\data\\\nngram 1=1\nngram 2=1\n\n\\1-grams:\n-1 a\n\n\\2-grams:\n-1 a q\n\\end\\\n', /word "q" is not in/, 9],
    ['wrong field count', '\\data\\\nngram 1=1\nngram 2=1\n\n\\1-grams:\n-1 a\n\n\\2-grams:\n-1 a\n\\end\\\n', /expected 2 word/, 9],
    ['bad count line', '\\data\\\nngram one=1\n', /bad count line/, 2],
    ['text after \\end\\', '\\data\\\nngram 1=1\n\\1-grams:\n-1 a\n\\end\\\nmore\n', /after \\end\\/, 6],
    ['back-off on highest order', '\\data\\\nngram 1=1\n\\1-grams:\n-1 a -0.5\n\\end\\\n', /highest-order/, 4],
  ];
  it.each(cases)('%s', (_name, text, message, line) => {
    let err: unknown;
    try {
      parseArpa(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LmFormatError);
    expect((err as LmFormatError).message).toMatch(message);
    expect((err as LmFormatError).line).toBe(line);
  });

  it('accepts -inf probabilities', () => {
    const lm = parseArpa('\\data\\\nngram 1=2\n\\1-grams:\n-inf <s>\n-0.5 a\n\\end\\\n');
    expect(lm.score([], lm.wordId('<s>'))).toBe(-99);
  });
});
