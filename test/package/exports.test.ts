import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from '../../src/errors.js';
import * as publicApi from '../../src/index.js';
import { ROOT } from '../helpers.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }> };

/** The source of a compiled entry point: ./dist/x/index.js → src/x/index.ts. */
function sourceOf(entry: string): string {
  return join(ROOT, entry.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
}

describe('package exports', () => {
  it('the root exports what an app needs, and no building blocks', () => {
    expect(Object.keys(publicApi).sort()).toEqual(
      [
        'createRecognizer', 'defaultModels', 'Recognizer', 'RecognizerStream', 'mergeResults', 'DEFAULT_ENDPOINT_CONFIG',
        'transcribeFiles', 'createServer', 'formatResult', 'toSrt', 'toVtt', 'OUTPUT_FORMATS', 'DEFAULT_MASK_WORDS',
        'HearkenError', 'OptionsError', 'EndpointConfigError', 'ModelLoadError', 'AudioFormatError', 'StreamStateError',
        'GrammarError', 'MaskWordsError',
      ].sort(),
    );
  });

  it('the package root exports HearkenError and the error classes an app catches', () => {
    const pairs = [
      [publicApi.HearkenError, errors.HearkenError],
      [publicApi.OptionsError, errors.OptionsError],
      [publicApi.EndpointConfigError, errors.EndpointConfigError],
      [publicApi.ModelLoadError, errors.ModelLoadError],
      [publicApi.AudioFormatError, errors.AudioFormatError],
      [publicApi.StreamStateError, errors.StreamStateError],
      [publicApi.GrammarError, errors.GrammarError],
      [publicApi.MaskWordsError, errors.MaskWordsError],
    ];
    for (const [exported, cls] of pairs) expect(exported).toBe(cls);
  });

  it.each(Object.entries(pkg.exports))('%s: types and code side by side, from a barrel that exports something', async (subpath, entry) => {
    expect(entry.types).toBe(entry.default.replace(/\.js$/, '.d.ts'));
    const source = sourceOf(entry.default);
    expect(existsSync(source), source).toBe(true);
    const barrel = (await import(pathToFileURL(source).href)) as Record<string, unknown>;
    expect(Object.keys(barrel).length, subpath).toBeGreaterThan(0);
  });

  it('the building blocks that left the root are each under a subpath', async () => {
    const exported = new Set<string>();
    for (const entry of Object.values(pkg.exports)) {
      for (const name of Object.keys((await import(pathToFileURL(sourceOf(entry.default)).href)) as object)) exported.add(name);
    }
    for (const name of ['BeamSearchDecoder', 'compileGrammar', 'HotwordTrie', 'loadArpa', 'NgramLM', 'MfccExtractor', 'AcousticModel', 'WindowBatcher', 'normalizeText', 'computeWer', 'PunctuationModel', 'TranscriptionQueue', 'TranscriptionWorker', 'decodeWav', 'BatchOutput', 'wordsToCues', 'LmFormatError', 'QueueConnectionError', 'FeatureConfigError', 'PauseCueError']) {
      expect(exported.has(name), name).toBe(true);
    }
  });
});
