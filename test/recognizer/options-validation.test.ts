import { InvalidArgumentError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectHotword, endPaddingSeconds, recognizerNumber } from '../../src/cli/options.js';
import { GrammarError } from '../../src/decoder/grammar.js';
import { OptionsError } from '../../src/recognizer/options-error.js';
import { checkHotwords, checkRecognizerOptions } from '../../src/recognizer/options-validation.js';
import { createRecognizer, type Recognizer, type StreamOptions } from '../../src/recognizer/index.js';
import { createServer } from '../../src/server/index.js';
import { ProtocolError, parseConfig } from '../../src/server/protocol.js';
import { hearken } from '../cli/run-cli.js';
import { TINY_MODEL } from '../helpers.js';

/** What a call threw (or rejected with). */
async function thrown(call: () => unknown): Promise<Error> {
  try {
    await call();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

const NO_MODEL = '/no/such/model';

/**
 * One bad value per row, and the one message the library, the CLI and the server all refuse it with. Before the
 * shared validator, a non-integer beam was floored by the library, a boost over 100 passed the library and the
 * CLI but not the server, and a hotword with nothing to say was dropped in silence.
 */
describe('one options validator: the same bad value, the same error everywhere', () => {
  let recognizer: Recognizer;
  beforeAll(async () => {
    recognizer = await createRecognizer({ model: TINY_MODEL, lm: false });
  });
  afterAll(async () => {
    await recognizer?.close();
  });

  const streamRefusal = (options: StreamOptions): Promise<Error> => thrown(() => recognizer.createStream(options));

  describe.each([
    { what: 'a negative hotword boost', hotwords: [{ phrase: 'stella', boost: -2 }], flag: 'stella:-2', message: 'hotwords[0].boost must be a positive number up to 100, got -2' },
    { what: 'a hotword boost over 100', hotwords: [{ phrase: 'stella', boost: 500 }], flag: 'stella:500', message: 'hotwords[0].boost must be a positive number up to 100, got 500' },
    { what: 'an empty hotword', hotwords: [{ phrase: ' ' }], flag: ' ', message: 'hotwords[0].phrase must be a non-empty string of at most 200 characters, got " "' },
    { what: 'a hotword with nothing to say', hotwords: [{ phrase: '?!' }], flag: '?!', message: 'hotwords[0].phrase has no speakable words: "?!"' },
  ])('$what', ({ hotwords, flag, message }) => {
    it('library: createStream throws an OptionsError', async () => {
      const err = await streamRefusal({ hotwords });
      expect(err).toBeInstanceOf(OptionsError);
      expect(err.message).toBe(message);
    });

    it('CLI: the --hotword flag is refused with the same message', async () => {
      const err = await thrown(() => collectHotword(flag));
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect(err.message).toBe(message);
    });

    it('server: the config message is refused with the same message, close 1007', async () => {
      const err = (await thrown(() => parseConfig({ hotwords }))) as ProtocolError;
      expect(err).toBeInstanceOf(ProtocolError);
      expect(err.closeCode).toBe(1007);
      expect(err.message).toBe(message);
    });
  });

  it('a hotword names its place in the list, in the library and on the command line', async () => {
    const message = 'hotwords[1].boost must be a positive number up to 100, got 0';
    expect((await streamRefusal({ hotwords: [{ phrase: 'kate' }, { phrase: 'stella', boost: 0 }] })).message).toBe(message);
    expect((await thrown(() => collectHotword('stella:0', collectHotword('kate')))).message).toBe(message);
    expect(checkHotwords(['kate', { phrase: 'stella', boost: 3 }])).toEqual([{ phrase: 'kate' }, { phrase: 'stella', boost: 3 }]);
  });

  describe.each([
    { what: 'a beam width of 0', options: { beamWidth: 0 }, parse: () => recognizerNumber('beamWidth')('0'), argv: ['--beam', '0'], message: 'beamWidth must be a positive integer, got 0' },
    { what: 'a fractional beam width', options: { beamWidth: 2.5 }, parse: () => recognizerNumber('beamWidth')('2.5'), argv: ['--beam', '2.5'], message: 'beamWidth must be a positive integer, got 2.5' },
    { what: 'a negative beam threshold', options: { beamThreshold: -1 }, parse: () => recognizerNumber('beamThreshold')('-1'), argv: ['--beam-threshold', '-1'], message: 'beamThreshold must be a positive number, got -1' },
    { what: 'too much end padding', options: { endPadding: 9 }, parse: () => endPaddingSeconds('9'), argv: ['--end-padding', '9'], message: 'endPadding must be a number of seconds from 0 to 5, got 9' },
  ])('$what', ({ options, parse, argv, message }) => {
    it('library: createRecognizer rejects it before loading anything', async () => {
      const err = await thrown(() => createRecognizer({ model: NO_MODEL, ...options }));
      expect(err).toBeInstanceOf(OptionsError);
      expect(err.message).toBe(message);
    });

    it('CLI: the flag is refused with the same message', async () => {
      const err = await thrown(parse);
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect(err.message).toBe(message);
    });

    it('server: createServer refuses the same recognizer option at once', async () => {
      const err = await thrown(() => createServer({ recognizer: options, processMetrics: false }));
      expect(err).toBeInstanceOf(OptionsError);
      expect(err.message).toBe(message);
    });

    // one spawn per row: the flag's refusal reaches the user before any work
    it('CLI: `hearken transcribe` prints it and exits non-zero', { timeout: 120_000 }, async () => {
      const run = await hearken(['transcribe', ...argv, 'x.wav']);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain(message);
    });
  });

  it('an endpoint setting: the library, the server recognizer and a client config, one message', async () => {
    const message = 'endpoint.trailingSilence must be a positive number of seconds up to 3600, got -1';
    const endpoint = { trailingSilence: -1 };
    expect((await thrown(() => createRecognizer({ model: NO_MODEL, endpoint }))).message).toBe(message);
    expect((await streamRefusal({ endpoint })).message).toBe(message);
    expect((await thrown(() => createServer({ endpoint, processMetrics: false }))).message).toBe(message);
    const protocol = (await thrown(() => parseConfig({ endpoint }))) as ProtocolError;
    expect(protocol.closeCode).toBe(1007);
    expect(protocol.message).toBe(message);
    const unknownKey = 'endpoint has unknown key "silence" (known: silenceWithoutSpeech, trailingSilence, maxUtterance)';
    expect((await streamRefusal({ endpoint: { silence: 1 } as never })).message).toBe(unknownKey);
    expect((await thrown(() => parseConfig({ endpoint: { silence: 1 } }))).message).toBe(unknownKey);
  });

  it('a grammar that is not a list of phrases: a GrammarError in the library, 1007 as a phrase_list', async () => {
    const err = await streamRefusal({ grammar: ['yes', 3] as never });
    expect(err).toBeInstanceOf(GrammarError);
    expect(err.message).toBe('grammar[1] must be a non-empty string of at most 200 characters, got 3');
    expect((await thrown(() => parseConfig({ phrase_list: ['yes', 3] }))).message).toBe('phrase_list[1] must be a non-empty string of at most 200 characters, got 3');
  });

  it('good options pass unchanged', async () => {
    expect(() => checkRecognizerOptions({ beamWidth: 8, beamThreshold: 12, alpha: -0.5, beta: 0, endPadding: 0, endpoint: false, oovLog10: -Infinity })).not.toThrow();
    expect(parseConfig({ hotwords: ['stella', { phrase: 'kate', boost: 100 }], endpoint: { maxUtterance: 3600 } })).toEqual({
      hotwords: [{ phrase: 'stella' }, { phrase: 'kate', boost: 100 }],
      endpoint: { maxUtterance: 3600 },
    });
    const stream = recognizer.createStream({ hotwords: [{ phrase: 'stella', boost: 100 }], endpoint: { maxUtterance: 3600 } });
    await expect(stream.finish()).resolves.toHaveProperty('text');
  });
});
