import { createRecognizer, type Recognizer } from '../recognizer/recognizer.js';

/**
 * The key under which a test worker keeps its recognizer. It lives on globalThis rather than in this module so
 * that one load serves every test file a worker runs, even where the test runner evaluates modules afresh for
 * each file (vitest with `isolate: false`, or a module registry reset between files).
 */
const KEY = Symbol.for('hearken.testing.recognizer');

type Holder = { [KEY]?: Promise<Recognizer> };

/**
 * The recognizer the testing API transcribes with: the shipped model and LM, loaded on first use, then shared by
 * every test in this worker (thread or process). A failed load is not kept, so the next test tries again.
 */
export function sharedRecognizer(): Promise<Recognizer> {
  const holder = globalThis as Holder;
  let loading = holder[KEY];
  if (!loading) {
    loading = createRecognizer();
    holder[KEY] = loading;
    loading.catch(() => {
      if (holder[KEY] === loading) delete holder[KEY];
    });
  }
  return loading;
}
