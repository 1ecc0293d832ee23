/**
 * The one base of every error Hearken throws on purpose, as `ws` does: `err instanceof HearkenError` tells
 * Hearken's refusals from bugs and from Node's own errors, and `err.code` says which failure it is, in a string
 * that stays the same across releases (messages may be reworded; codes are not). src/errors.ts lists every code.
 *
 * It lives in util/, the bottom of the import graph, so any module can throw one without importing upwards.
 */
export class HearkenError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HearkenError';
    this.code = code;
  }
}
