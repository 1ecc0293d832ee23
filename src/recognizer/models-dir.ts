import { fileURLToPath } from 'node:url';

/** The folder of shipped models, beside src/ and dist/ (its own module so tests can point it elsewhere). */
export const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));
