/** A malformed ARPA file. `line` is 1-based; 0 when the problem is not tied to a line. */
export class LmFormatError extends Error {
  readonly line: number;

  constructor(message: string, line: number) {
    super(line > 0 ? `ARPA line ${line}: ${message}` : `ARPA: ${message}`);
    this.name = 'LmFormatError';
    this.line = line;
  }
}
