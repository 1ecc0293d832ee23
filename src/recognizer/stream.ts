import { AudioFormatError } from '../audio/errors.js';
import { NoiseFloor, endPaddingNoise } from '../audio/noise-floor.js';
import { Resampler } from '../audio/resampler.js';
import { TARGET_SAMPLE_RATE } from '../audio/types.js';
import { MfccExtractor } from '../features/mfcc.js';
import type { AcousticModel } from '../model/acoustic-model.js';
import { ChunkedEncoder, type StepLogProbs, type WindowRunner } from '../model/encoder.js';
import { EndpointDetector, type EndpointConfig } from './endpoint.js';
import type { DecoderOutput, PartialResult, RecognitionResult, StreamingDecoder } from './types.js';
import { HearkenError } from '../util/errors.js';

/** A stream used out of turn: `STREAM_FINISHED` (audio after finish()) or `SAMPLE_RATE_CHANGED` (a new rate without reset()). */
export type StreamStateErrorCode = 'STREAM_FINISHED' | 'SAMPLE_RATE_CHANGED';

export class StreamStateError extends HearkenError<StreamStateErrorCode> {
  constructor(code: StreamStateErrorCode, message: string) {
    super(code, message);
    this.name = 'StreamStateError';
  }
}

export interface StreamParts {
  model: AcousticModel;
  runner: WindowRunner;
  decoder: StreamingDecoder;
  endpoint: EndpointConfig | null;
  /** Seconds of quiet noise after the audio when the stream finishes (RecognizerOptions.endPadding); 0: none. */
  endPadding: number;
}

/** A result with no speech, placed at `at` seconds. */
export function emptyResult(at: number): RecognitionResult {
  return { text: '', words: [], alternatives: [], start: at, end: at };
}

/** Joins consecutive utterance results into one (text, words and span); alternatives only survive alone. */
export function mergeResults(results: readonly RecognitionResult[]): RecognitionResult {
  if (results.length === 1) return results[0]!;
  const spoken = results.filter((r) => r.text !== '');
  return {
    text: spoken.map((r) => r.text).join(' '),
    words: spoken.flatMap((r) => r.words),
    alternatives: [],
    start: results[0]?.start ?? 0,
    end: results[results.length - 1]?.end ?? 0,
  };
}

/**
 * One audio stream: `acceptWaveform` queues samples (never dropping any), `decode` runs the pipeline as far
 * as the audio allows, finished utterances wait in a queue (`hasResult` / `popResult`), and `finish` flushes
 * the rest. The results depend only on the audio, not on how it was cut into packets.
 */
export class RecognizerStream {
  private readonly features: MfccExtractor;
  private readonly encoder: ChunkedEncoder;
  private readonly decoder: StreamingDecoder;
  private readonly endpoint: EndpointDetector | null;
  private readonly stepSeconds: number;
  private queued: { samples: Float32Array; rate: number }[] = [];
  private resampler: Resampler | null = null;
  private inputRate: number | null = null;
  private finished = false;
  private utteranceStart = 0;
  private readonly done: RecognitionResult[] = [];
  private work: Promise<unknown> = Promise.resolve();
  private secondsIn = 0;
  private readonly noiseFloor = new NoiseFloor();
  /** 16 kHz samples of the stream's own audio given to the front end: results never reach past them. */
  private samplesOut = 0;

  constructor(private readonly parts: StreamParts) {
    const { card } = parts.model;
    this.features = new MfccExtractor(card.featureConfig);
    this.encoder = new ChunkedEncoder(parts.model, parts.runner);
    this.decoder = parts.decoder;
    this.stepSeconds = card.frameShiftMs / 1000;
    this.endpoint = parts.endpoint
      ? new EndpointDetector(parts.endpoint, this.stepSeconds, card.vocabulary.length, card.blank, card.vocabulary.indexOf(' '))
      : null;
  }

  /** Seconds of audio accepted so far (at the input rate). */
  get secondsAccepted(): number {
    return this.secondsIn;
  }

  /** Queues audio (float samples in [-1, 1]); one stream keeps one sample rate until `reset`. */
  acceptWaveform(samples: Float32Array, sampleRate: number = TARGET_SAMPLE_RATE): void {
    if (this.finished) throw new StreamStateError('STREAM_FINISHED', 'acceptWaveform() after finish(); call reset() to start again');
    if (!(samples instanceof Float32Array)) throw new TypeError('acceptWaveform() takes a Float32Array');
    // NaN or infinity would run through the features as a "word"; refused before anything is queued.
    for (let i = 0; i < samples.length; i++) {
      if (!Number.isFinite(samples[i]!)) {
        throw new AudioFormatError('NON_FINITE_SAMPLE', `sample ${i} of this packet is ${samples[i]}: audio samples must be finite numbers`);
      }
    }
    if (this.inputRate !== null && sampleRate !== this.inputRate) {
      throw new StreamStateError('SAMPLE_RATE_CHANGED', `this stream carries ${this.inputRate} Hz audio; got ${sampleRate} Hz (reset() to change)`);
    }
    this.inputRate = sampleRate;
    this.secondsIn += samples.length / sampleRate;
    this.queued.push({ samples: samples.slice(), rate: sampleRate });
  }

  /** Processes all queued audio as far as complete windows allow. */
  decode(): Promise<void> {
    return this.serial(() => this.process(false));
  }

  /** A finished utterance is waiting in the queue: `popResult()` returns it. */
  hasResult(): boolean {
    return this.done.length > 0;
  }

  /**
   * sherpa-onnx's name for `hasResult()`: true once an endpoint has ended an utterance, until its result is
   * popped. Here results queue, so it stays true while any is waiting.
   */
  isEndpoint(): boolean {
    return this.hasResult();
  }

  /** The oldest finished utterance, or undefined. */
  popResult(): RecognitionResult | undefined {
    return this.done.shift();
  }

  /** Best guess for the utterance in progress. */
  partial(): PartialResult {
    return { text: this.decoder.partial() };
  }

  /**
   * Ends the input, decodes everything, and returns the utterances not yet popped merged into one result
   * (times from the stream start). The stream then only accepts `reset()`.
   */
  async finish(): Promise<RecognitionResult> {
    const rest = await this.finishUtterances();
    return rest.length > 0 ? mergeResults(rest) : this.emptyResult();
  }

  /** As `finish`, but the utterances not yet popped one by one (at least one on the first call). */
  finishUtterances(): Promise<RecognitionResult[]> {
    return this.serial(async () => {
      if (!this.finished) await this.process(true);
      this.finished = true;
      return this.done.splice(0);
    });
  }

  /** Forgets everything: a new stream from time zero. */
  reset(): void {
    this.resampler?.destroy();
    this.resampler = null;
    this.inputRate = null;
    this.queued = [];
    this.features.reset();
    this.encoder.reset();
    this.decoder.reset();
    this.endpoint?.reset();
    this.done.length = 0;
    this.finished = false;
    this.utteranceStart = 0;
    this.secondsIn = 0;
    this.noiseFloor.reset();
    this.samplesOut = 0;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.work.then(task, task);
    this.work = run.catch(() => undefined);
    return run;
  }

  private async process(final: boolean): Promise<void> {
    const queued = this.queued;
    this.queued = [];
    for (const { samples, rate } of queued) {
      if (rate !== TARGET_SAMPLE_RATE && !this.resampler) this.resampler = await Resampler.create(rate, TARGET_SAMPLE_RATE);
      this.frontEnd(this.resampler ? this.resampler.push(samples) : samples);
    }
    if (final) {
      if (this.resampler) this.frontEnd(this.resampler.flush());
      const pad = endPaddingNoise(this.noiseFloor, this.parts.endPadding);
      if (pad.length > 0) this.encoder.pushFrames(this.features.push(pad));
      this.encoder.pushFrames(this.features.flush());
      this.encoder.finishInput();
    }
    while (this.encoder.ready()) {
      const out = await this.encoder.next();
      if (out) this.consume(out);
    }
    if (final) this.closeUtterance(this.encoder.stepsEmitted);
  }

  private frontEnd(audio: Float32Array): void {
    this.noiseFloor.push(audio);
    this.samplesOut += audio.length;
    this.encoder.pushFrames(this.features.push(audio));
  }

  private consume(out: StepLogProbs): void {
    let from = 0;
    while (from < out.steps) {
      const taken = this.endpoint ? this.endpoint.scan(out.data, out.steps, from) : -1;
      const count = taken < 0 ? out.steps - from : taken;
      this.decoder.acceptFrames(out.data.subarray(from * out.vocab, (from + count) * out.vocab), count);
      from += count;
      if (taken >= 0) this.closeUtterance(out.firstStep + from, this.endpoint!.lastCutForLength);
    }
  }

  /**
   * Finalises the utterance that ends before step `endStep` and starts the next one there; `continues` when the
   * speech runs on into it (a cut for length).
   */
  private closeUtterance(endStep: number, continues = false): void {
    const output = this.decoder.finalize({ continues });
    this.done.push(this.toResult(output, this.utteranceStart, endStep));
    this.decoder.reset({ continues });
    this.endpoint?.reset();
    this.utteranceStart = endStep;
  }

  private toResult(output: DecoderOutput, startStep: number, endStep: number): RecognitionResult {
    const s = this.stepSeconds;
    // the end padding is not the stream's audio: nothing is placed in it
    const audioEnd = this.samplesOut / TARGET_SAMPLE_RATE;
    const time = (step: number): number => Math.round(Math.min(step * s, audioEnd) * 1000) / 1000;
    return {
      text: output.text,
      words: output.words.map((w) => ({
        word: w.word,
        start: time(startStep + w.start),
        end: time(startStep + w.end),
        conf: Math.round(w.conf * 1000) / 1000,
      })),
      alternatives: output.alternatives,
      start: time(startStep),
      end: time(endStep),
    };
  }

  private emptyResult(): RecognitionResult {
    return emptyResult(Math.round(this.utteranceStart * this.stepSeconds * 1000) / 1000);
  }
}
