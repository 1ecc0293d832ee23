import { HearkenError } from '../util/errors.js';

/**
 * Why a model cannot be used: `NOT_FOUND` (no such folder, or no model given and none installed), `BAD_CARD`
 * (model.json unreadable or invalid), `FEATURE_MISMATCH`, `BAD_ONNX`, `RUNTIME` (ONNX Runtime refused it), or
 * `DEFAULT_MODEL_INVALID` (models/default.json exists but is broken or names a missing model).
 */
export type ModelErrorCode = 'NOT_FOUND' | 'BAD_CARD' | 'FEATURE_MISMATCH' | 'BAD_ONNX' | 'RUNTIME' | 'DEFAULT_MODEL_INVALID';

/** A model folder that cannot be used, with the reason. */
export class ModelLoadError extends HearkenError<ModelErrorCode> {
  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ModelLoadError';
  }
}
