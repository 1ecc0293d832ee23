/**
 * `models/default.json`: which shipped acoustic model and LM a recognizer uses when given none, and the decoder
 * weights tuned for that pair. A missing file means no model is installed; a file that is there but broken
 * (not JSON, no acousticModel, naming a folder or LM that is not there, a bad decoder value) is reported as
 * that, with the file and the problem, never as "no default model is installed".
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkCalibration, type ConfidenceCalibration } from '../decoder/word-confidence.js';
import { ModelLoadError } from '../model/errors.js';
import { MODELS_DIR } from './models-dir.js';
import { OptionsError } from './options-error.js';
import { checkRecognizerOption } from './options-validation.js';

export { MODELS_DIR } from './models-dir.js';

export interface DefaultModels {
  acousticModel: string;
  languageModel: string | null;
  /** Beam-search weights tuned for this model and LM on held-out training-side dev sets. */
  decoder: { beamWidth?: number; beamThreshold?: number; alpha?: number; beta?: number; oovLog10?: number; lmLookahead?: boolean; confidence?: ConfidenceCalibration };
}

const TUNED_KEYS = ['beamWidth', 'beamThreshold', 'alpha', 'beta', 'oovLog10', 'lmLookahead'] as const;

/**
 * The default models named in `<modelsDir>/default.json`, as absolute paths. Throws a ModelLoadError:
 * `NOT_FOUND` when the file is missing, `DEFAULT_MODEL_INVALID` when it is there but unusable.
 */
export function defaultModels(modelsDir: string = MODELS_DIR): DefaultModels {
  const path = join(modelsDir, 'default.json');
  if (!existsSync(path)) throw new ModelLoadError('NOT_FOUND', `no default model: ${path} is missing`);
  const invalid = (problem: string, cause?: unknown): ModelLoadError =>
    new ModelLoadError('DEFAULT_MODEL_INVALID', `the default model file ${path} is broken: ${problem}`, { cause });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw invalid(`it is not valid JSON (${err instanceof Error ? err.message : String(err)})`, err);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('it must hold a JSON object');
  const { acousticModel, languageModel, decoder } = json as Record<string, unknown>;
  if (typeof acousticModel !== 'string' || acousticModel === '') throw invalid('"acousticModel" must name a model folder under models/');
  const modelDir = resolve(modelsDir, acousticModel);
  if (!existsSync(modelDir)) throw invalid(`"acousticModel" names ${modelDir}, which does not exist`);
  if (languageModel !== undefined && languageModel !== null && (typeof languageModel !== 'string' || languageModel === '')) {
    throw invalid('"languageModel" must name a language model file (binary or ARPA) under models/, or be null');
  }
  const lm = languageModel ? resolve(modelsDir, languageModel) : null;
  if (lm !== null && !existsSync(lm)) throw invalid(`"languageModel" names ${lm}, which does not exist`);
  if (decoder !== undefined && (typeof decoder !== 'object' || decoder === null || Array.isArray(decoder))) throw invalid('"decoder" must be an object');
  const d = (decoder ?? {}) as Record<string, unknown>;
  const tuned: DefaultModels['decoder'] = {};
  for (const key of TUNED_KEYS) {
    if (d[key] === undefined) continue;
    try {
      // the same rules as the options a caller passes: a tuned value is one of them
      (tuned as Record<string, unknown>)[key] = checkRecognizerOption(key, d[key]);
    } catch (err) {
      throw err instanceof OptionsError ? invalid(`decoder.${err.message}`, err) : err;
    }
  }
  try {
    if (d.confidence !== undefined) tuned.confidence = checkCalibration(d.confidence, 'decoder.confidence');
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err), err);
  }
  return { acousticModel: modelDir, languageModel: lm, decoder: tuned };
}

/** The default models, or null when none are installed (no default.json); a broken default.json throws. */
export function installedDefaultModels(modelsDir: string = MODELS_DIR): DefaultModels | null {
  try {
    return defaultModels(modelsDir);
  } catch (err) {
    if (err instanceof ModelLoadError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}
