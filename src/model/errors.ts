export type ModelErrorCode = 'NOT_FOUND' | 'BAD_CARD' | 'FEATURE_MISMATCH' | 'BAD_ONNX' | 'RUNTIME';

/** A model folder that cannot be used, with the reason. */
export class ModelLoadError extends Error {
  readonly code: ModelErrorCode;

  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelLoadError';
    this.code = code;
  }
}
