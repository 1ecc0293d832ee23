import { argmaxRow } from '../decoder/greedy.js';
import { echo } from '../util/echo.js';
import { OptionsError } from './options-error.js';

/**
 * Endpointing rules in the Kaldi/sherpa style, evaluated per model step so that where an utterance ends
 * depends only on the audio, never on how it was cut into packets. A step is silent when its most likely
 * symbol is blank or space.
 *
 * Unlike Kaldi's, the length rule does not cut wherever the limit falls: a cut inside a word leaves two
 * fragments that are both wrong ("of" came out as "o" + "f"). An utterance that reaches the limit ends at its
 * next word boundary (a step whose best symbol is a space, or a pause), at most BOUNDARY_GRACE later.
 */
export interface EndpointConfig {
  /** End after this much silence when nothing was recognised yet (seconds). Default 2.4. */
  silenceWithoutSpeech: number;
  /** End after this much silence following speech (seconds). Default 1.2. */
  trailingSilence: number;
  /** End an utterance that reaches this length at its next word boundary (at most 2 s later) (seconds). Default 20. */
  maxUtterance: number;
}

export const DEFAULT_ENDPOINT_CONFIG: Readonly<EndpointConfig> = Object.freeze({
  silenceWithoutSpeech: 2.4,
  trailingSilence: 1.2,
  maxUtterance: 20,
});

/** A bad endpoint setting: an OptionsError (code `INVALID_OPTION`), named for what it checks. */
export class EndpointConfigError extends OptionsError {
  constructor(option: string, message: string) {
    super(option, message);
    this.name = 'EndpointConfigError';
  }
}

/** The longest any endpoint setting may be (seconds): beyond, a stream that never pauses is one utterance anyway. */
export const MAX_ENDPOINT_SECONDS = 3600;
const ENDPOINT_KEYS: readonly string[] = Object.keys(DEFAULT_ENDPOINT_CONFIG);

/**
 * Endpoint settings over the defaults; unknown keys and values that are not positive numbers of seconds (up to
 * an hour) throw an EndpointConfigError. The one check of endpoint settings: the library, the CLI and the
 * server's `config` messages all come here (options-validation.ts).
 */
export function checkEndpointConfig(partial: Partial<EndpointConfig> | undefined): EndpointConfig {
  if (partial !== undefined && (typeof partial !== 'object' || partial === null || Array.isArray(partial))) {
    throw new EndpointConfigError('endpoint', `endpoint must be false or an object, got ${echo(partial)}`);
  }
  for (const key of Object.keys(partial ?? {})) {
    if (!ENDPOINT_KEYS.includes(key)) throw new EndpointConfigError('endpoint', `endpoint has unknown key ${echo(key)} (known: ${ENDPOINT_KEYS.join(', ')})`);
  }
  const config = { ...DEFAULT_ENDPOINT_CONFIG, ...(partial ?? {}) };
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_ENDPOINT_SECONDS) {
      throw new EndpointConfigError(`endpoint.${key}`, `endpoint.${key} must be a positive number of seconds up to ${MAX_ENDPOINT_SECONDS}, got ${echo(value)}`);
    }
  }
  return config;
}

/** How long past maxUtterance a cut may wait for a word boundary (seconds). */
export const BOUNDARY_GRACE = 2;
/** A silent run this long counts as a word boundary for the length rule (seconds). */
const BOUNDARY_PAUSE = 0.3;

export class EndpointDetector {
  private readonly silenceNoSpeechSteps: number;
  private readonly trailingSteps: number;
  private readonly maxSteps: number;
  private readonly graceSteps: number;
  private readonly pauseSteps: number;
  private steps = 0;
  private silentRun = 0;
  private speech = false;
  /** The last endpoint `scan` found was the length rule's, inside speech, not a pause's. */
  private cutForLength = false;

  /** `blank` and `space`: the token ids of the model's blank and word separator. */
  constructor(config: EndpointConfig, stepSeconds: number, private readonly vocabSize: number, private readonly blank: number, private readonly space: number) {
    this.silenceNoSpeechSteps = Math.round(config.silenceWithoutSpeech / stepSeconds);
    this.trailingSteps = Math.round(config.trailingSilence / stepSeconds);
    this.maxSteps = Math.round(config.maxUtterance / stepSeconds);
    this.graceSteps = Math.round(BOUNDARY_GRACE / stepSeconds);
    this.pauseSteps = Math.max(1, Math.round(BOUNDARY_PAUSE / stepSeconds));
  }

  /** Steps seen in the current utterance. */
  get length(): number {
    return this.steps;
  }

  /** Whether the endpoint `scan` just reported cut running speech for length (the next utterance goes on with it). */
  get lastCutForLength(): boolean {
    return this.cutForLength;
  }

  /**
   * Scans `frames` rows of log-probs and returns how many of them belong to the current utterance
   * (an endpoint right after them), or -1 when the utterance goes on past these rows.
   */
  scan(logProbs: Float32Array, frames: number, from = 0): number {
    const v = this.vocabSize;
    for (let t = from; t < frames; t++) {
      const row = t * v;
      const best = argmaxRow(logProbs, row, v);
      this.steps++;
      if (best === this.blank || best === this.space) this.silentRun++;
      else {
        this.silentRun = 0;
        this.speech = true;
      }
      const ended = this.speech ? this.silentRun >= this.trailingSteps : this.silentRun >= this.silenceNoSpeechSteps;
      if (ended || this.tooLong(best)) {
        this.cutForLength = !ended && this.speech;
        return t + 1 - from;
      }
    }
    return -1;
  }

  /** The length rule: past the limit, at a word boundary; past the limit and the grace, anywhere. */
  private tooLong(best: number): boolean {
    if (this.steps < this.maxSteps) return false;
    if (best === this.space || this.silentRun >= this.pauseSteps || !this.speech) return true;
    return this.steps >= this.maxSteps + this.graceSteps;
  }

  reset(): void {
    this.steps = 0;
    this.silentRun = 0;
    this.speech = false;
  }
}
