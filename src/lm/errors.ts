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
