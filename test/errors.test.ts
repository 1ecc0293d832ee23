import { describe, expect, it } from 'vitest';
import * as errors from '../src/errors.js';
import { decodeWav } from '../src/audio/index.js';
import { compileGrammar } from '../src/decoder/index.js';
import { DEFAULT_FEATURE_CONFIG, checkFeatureConfig } from '../src/features/index.js';
import { parseArpa, parseBinaryLm } from '../src/lm/index.js';
import { AcousticModel } from '../src/model/index.js';
import { CaseTable, PunctuationModel, buildPunctuationModel } from '../src/punctuation/index.js';
import { connectRedis } from '../src/queue/connection.js';
import { checkEndpointConfig } from '../src/recognizer/endpoint.js';
import { checkRecognizerOptions } from '../src/recognizer/options-validation.js';
import { parseTextMessage } from '../src/server/protocol.js';
import { compileWordMask } from '../src/text/index.js';
import { parseManifest } from '../src/util/manifest.js';
import { createRecognizer } from '../src/recognizer/index.js';
import { TINY_MODEL } from './helpers.js';

/** What a call threw (or rejected with). */
async function thrown(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Each error class, provoked the way a caller meets it, with the code it must carry. The codes are part of the
 * public API: a row that changes here is a breaking change.
 */
const CASES: { name: string; cls: ErrorClass; code: string; provoke: () => unknown }[] = [
  { name: 'OptionsError', cls: errors.OptionsError, code: 'INVALID_OPTION', provoke: () => checkRecognizerOptions({ beamWidth: 0 }) },
  { name: 'EndpointConfigError', cls: errors.EndpointConfigError, code: 'INVALID_OPTION', provoke: () => checkEndpointConfig({ maxUtterance: 0 }) },
  { name: 'ModelLoadError', cls: errors.ModelLoadError, code: 'NOT_FOUND', provoke: () => AcousticModel.load('/no/such/model/folder') },
  { name: 'AudioFormatError', cls: errors.AudioFormatError, code: 'NOT_RIFF', provoke: () => decodeWav(new TextEncoder().encode('this is not a wav file at all, just words')) },
  {
    name: 'StreamStateError',
    cls: errors.StreamStateError,
    code: 'STREAM_FINISHED',
    provoke: async () => {
      const recognizer = await createRecognizer({ model: TINY_MODEL, decoding: 'greedy', lm: false });
      const stream = recognizer.createStream();
      await stream.finish();
      try {
        stream.acceptWaveform(new Float32Array(160));
      } finally {
        await recognizer.close();
      }
    },
  },
  { name: 'GrammarError', cls: errors.GrammarError, code: 'BAD_GRAMMAR', provoke: () => compileGrammar(['?!']) },
  { name: 'MaskWordsError', cls: errors.MaskWordsError, code: 'BAD_MASK_WORD', provoke: () => compileWordMask(['two words']) },
  { name: 'QueueConnectionError', cls: errors.QueueConnectionError, code: 'BAD_REDIS_URL', provoke: () => connectRedis('http://localhost:6379') },
  { name: 'LmFormatError', cls: errors.LmFormatError, code: 'BAD_ARPA', provoke: () => parseArpa('not an arpa file') },
  { name: 'LmBinaryError', cls: errors.LmBinaryError, code: 'BAD_LM_BINARY', provoke: () => parseBinaryLm(Buffer.from('HKNGRAM\n\u0002\u0000\u0000\u0000')) },
  { name: 'FeatureConfigError', cls: errors.FeatureConfigError, code: 'BAD_FEATURE_CONFIG', provoke: () => checkFeatureConfig({ ...DEFAULT_FEATURE_CONFIG, window: 'hamming' }) },
  {
    name: 'PauseCueError',
    cls: errors.PauseCueError,
    code: 'BAD_PAUSE_CUE',
    provoke: () => {
      const build = buildPunctuationModel(Array(30).fill('The dog slept, by the river. Did it sleep?'), { prune: [0] });
      return new PunctuationModel(parseArpa(build.arpa), CaseTable.parse(build.caseTable), {}, { edges: [0.3, 0.1], log10Ratio: { comma: [0, 0, 0], period: [0, 0, 0], question: [0, 0, 0] } }).trellis();
    },
  },
  { name: 'ManifestError', cls: errors.ManifestError, code: 'BAD_MANIFEST', provoke: () => parseManifest('no tab on this line\n', 'm.tsv') },
  { name: 'ProtocolError', cls: errors.ProtocolError, code: 'INVALID_PAYLOAD', provoke: () => parseTextMessage('{not json') },
];

describe('HearkenError: one base with a stable code', () => {
  it.each(CASES)('$name is a HearkenError with code $code, its own name, and a message', async ({ name, cls, code, provoke }) => {
    const err = await thrown(provoke);
    expect(err).toBeInstanceOf(cls);
    expect(err).toBeInstanceOf(errors.HearkenError);
    expect(err).toBeInstanceOf(Error);
    const e = err as errors.HearkenError;
    expect(e.name).toBe(name);
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(0);
  });

  it('the table covers every error class src/errors.ts exports', () => {
    const classes = Object.entries(errors).filter(([, v]) => typeof v === 'function' && v.prototype instanceof Error).map(([k]) => k);
    expect(classes.sort()).toEqual([...CASES.map((c) => c.name), 'HearkenError'].sort());
  });

  it('an OptionsError, an EndpointConfigError among them, names the option', async () => {
    const endpoint = (await thrown(() => checkEndpointConfig({ trailingSilence: -1 }))) as errors.OptionsError;
    expect(endpoint).toBeInstanceOf(errors.OptionsError);
    expect(endpoint.option).toBe('endpoint.trailingSilence');
    const beam = (await thrown(() => checkRecognizerOptions({ beamWidth: 2.5 }))) as errors.OptionsError;
    expect(beam.option).toBe('beamWidth');
  });

  it('a ProtocolError keeps its WebSocket close code apart from its code', async () => {
    const bad = (await thrown(() => parseTextMessage('{not json'))) as errors.ProtocolError;
    expect(bad.closeCode).toBe(1007);
    const unknown = (await thrown(() => parseTextMessage('{"hello": 1}'))) as errors.ProtocolError;
    expect(unknown.code).toBe('UNSUPPORTED_DATA');
    expect(unknown.closeCode).toBe(1003);
  });
});
