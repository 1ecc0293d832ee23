import { HearkenError } from '../util/errors.js';

/**
 * A recognizer or stream option with a bad value. The library, the CLI and the server's `config` messages all
 * check options with the same rules (options-validation.ts), so a bad value gets this error, with this message,
 * whichever way it came in. `option` names the option as the library spells it ("beamWidth",
 * "hotwords[2].boost", "endpoint.trailingSilence").
 */
export class OptionsError extends HearkenError<'INVALID_OPTION'> {
  readonly option: string;

  constructor(option: string, message: string) {
    super('INVALID_OPTION', message);
    this.name = 'OptionsError';
    this.option = option;
  }
}
