import { HearkenError } from './errors.js';

/**
 * A bad option value. The library, the CLI and the server's `config` messages all check recognizer and stream
 * options with the same rules (recognizer/options-validation.ts), and the decoders check theirs with the same
 * primitive rules (option-rules.ts), so a bad value gets this error, with this message, whichever way it came in.
 * `option` names the option as the library spells it ("beamWidth", "hotwords[2].boost", "endpoint.trailingSilence").
 *
 * It lives in util/ so the decoder, below the recognizer, can throw it too.
 */
export class OptionsError extends HearkenError<'INVALID_OPTION'> {
  readonly option: string;

  constructor(option: string, message: string) {
    super('INVALID_OPTION', message);
    this.name = 'OptionsError';
    this.option = option;
  }
}
