import { HearkenError } from '../util/errors.js';

/** A malformed ARPA file. `line` is 1-based; 0 when the problem is not tied to a line. */
export class LmFormatError extends HearkenError<'BAD_ARPA'> {
  readonly line: number;

  constructor(message: string, line: number) {
    super('BAD_ARPA', line > 0 ? `ARPA line ${line}: ${message}` : `ARPA: ${message}`);
    this.name = 'LmFormatError';
    this.line = line;
  }
}

/** A malformed binary LM file (src/lm/binary.ts): bad magic, unknown version, truncated or inconsistent data. */
export class LmBinaryError extends HearkenError<'BAD_LM_BINARY'> {
  /** The problem without the file name. */
  readonly detail: string;

  constructor(detail: string) {
    super('BAD_LM_BINARY', `binary LM: ${detail}`);
    this.name = 'LmBinaryError';
    this.detail = detail;
  }
}
