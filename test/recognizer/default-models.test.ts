import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ModelLoadError } from '../../src/model/errors.js';
import { createRecognizer, defaultModels } from '../../src/recognizer/index.js';
import { TINY_MODEL } from '../helpers.js';

// createRecognizer() reads models/default.json from MODELS_DIR: point it at a folder this test writes.
vi.mock('../../src/recognizer/models-dir.js', async () => {
  const os = await import('node:os');
  const path = await import('node:path');
  return { MODELS_DIR: path.join(os.tmpdir(), `hearken-default-models-${process.pid}`) };
});
const DIR = join(tmpdir(), `hearken-default-models-${process.pid}`);
const FILE = join(DIR, 'default.json');

async function refusal(): Promise<ModelLoadError> {
  try {
    await createRecognizer();
  } catch (err) {
    expect(err).toBeInstanceOf(ModelLoadError);
    return err as ModelLoadError;
  }
  throw new Error('createRecognizer() did not throw');
}

describe('createRecognizer() with a broken models/default.json', () => {
  beforeEach(() => {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(DIR, { recursive: true });
  });
  afterAll(() => rmSync(DIR, { recursive: true, force: true }));

  it('without default.json: no default model is installed (NOT_FOUND)', async () => {
    const err = await refusal();
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toMatch(/no default model is installed/);
  });

  it.each([
    { what: 'not JSON', content: '{"acousticModel": "en",', problem: /is not valid JSON/ },
    { what: 'not an object', content: '["en"]', problem: /must hold a JSON object/ },
    { what: 'no acousticModel', content: '{"languageModel": null}', problem: /"acousticModel" must name a model folder/ },
    { what: 'a missing model folder', content: '{"acousticModel": "no-such-model"}', problem: /"acousticModel" names .*no-such-model, which does not exist/ },
    { what: 'a missing LM', content: JSON.stringify({ acousticModel: TINY_MODEL, languageModel: 'lm/gone.arpa' }), problem: /"languageModel" names .*gone\.arpa, which does not exist/ },
    { what: 'a bad tuned beam', content: JSON.stringify({ acousticModel: TINY_MODEL, decoder: { beamWidth: -3 } }), problem: /decoder\.beamWidth must be a positive integer, got -3/ },
  ])('$what: DEFAULT_MODEL_INVALID, naming the file and the problem', async ({ content, problem }) => {
    writeFileSync(FILE, content);
    const err = await refusal();
    expect(err.code).toBe('DEFAULT_MODEL_INVALID');
    expect(err.message).toContain(FILE);
    expect(err.message).toMatch(problem);
    expect(err.message).not.toMatch(/no default model is installed/);
    // defaultModels() reports the same
    expect(() => defaultModels()).toThrow(err.message);
  });

  it('a broken default.json is reported even when a model is given (its LM and tuning are the defaults)', async () => {
    writeFileSync(FILE, 'not json');
    await expect(createRecognizer({ model: TINY_MODEL })).rejects.toMatchObject({ code: 'DEFAULT_MODEL_INVALID' });
  });

  it('a sound default.json loads its model', async () => {
    writeFileSync(FILE, JSON.stringify({ acousticModel: TINY_MODEL, languageModel: null, decoder: { beamWidth: 4 } }));
    expect(defaultModels()).toEqual({ acousticModel: TINY_MODEL, languageModel: null, decoder: { beamWidth: 4 } });
    const recognizer = await createRecognizer();
    expect(recognizer.lm).toBeNull();
    await recognizer.close();
  });
});
