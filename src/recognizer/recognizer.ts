import { join, resolve } from 'node:path';
import { TARGET_SAMPLE_RATE } from '../audio/types.js';
import { BeamSearchDecoder, type Hotword } from '../decoder/beam.js';
import { GreedyDecoder } from '../decoder/greedy.js';
import { BeamStreamingDecoder } from '../decoder/streaming-decoder.js';
import type { ConfidenceCalibration } from '../decoder/word-confidence.js';
import { GRAMMAR_SEARCH, GrammarView, compileGrammar, type Grammar } from '../decoder/grammar.js';
import { compileWordMask } from '../text/mask-words.js';
import { normalizeWords } from '../text/normalize.js';
import { loadLanguageModelFile } from '../lm/load.js';
import type { NgramLM } from '../lm/ngram-lm.js';
import { AcousticModel } from '../model/acoustic-model.js';
import { directRunner, type WindowRunner } from '../model/encoder.js';
import { ModelLoadError } from '../model/errors.js';
import { checkEndpointConfig, type EndpointConfig } from './endpoint.js';
import { MODELS_DIR, installedDefaultModels, type DefaultModels } from './default-models.js';
import { DEFAULT_END_PADDING, checkRecognizerOptions, checkStreamOptions } from './options-validation.js';
import { withMaskedWords } from './mask-words.js';
import { withNumerals } from './display-numerals.js';
import { withPunctuation } from './display-punctuation.js';
import { transcribeFileStream, type FileTranscript, type FileTranscriptionOptions } from './file-transcription.js';
import { defaultPunctuationModel } from '../punctuation/model.js';
import { RecognizerStream } from './stream.js';
import type { RecognitionResult, StreamingDecoder } from './types.js';

/** log10 cost of speech matched to `[unk]` in a grammar: KenLM-style strong. */
const GRAMMAR_UNKNOWN_LOG10 = -10;
/**
 * ... and per character, so one [unk] cannot swallow several grammar words: at -2, FSDD digit strings decode as
 * well with [unk] in the grammar as without, and out-of-grammar sentences still come out mostly as [unk].
 */
const GRAMMAR_UNKNOWN_CHAR_LOG10 = -2;

export { DEFAULT_END_PADDING } from './options-validation.js';

export { MODELS_DIR, defaultModels } from './default-models.js';

export interface RecognizerOptions {
  /** Model folder (model.json + model.onnx). Default: the shipped model named in models/default.json. */
  model?: string;
  /** LM file (Hearken binary or ARPA, gzip or not), a loaded LM, or false for none. Default: the shipped LM. Greedy decoding ignores it. */
  lm?: string | NgramLM | false;
  /** 'beam' (CTC prefix beam search with LM and hotwords, default) or 'greedy'. */
  decoding?: 'beam' | 'greedy';
  /** Beam width (default: the tuned value in models/default.json for the shipped model, else 16). */
  beamWidth?: number;
  /** Hypotheses scoring more than this (natural log) below the best are dropped (default: tuned as beamWidth, else 30). */
  beamThreshold?: number;
  /** LM weight (default: tuned as beamWidth, else 0.5). */
  alpha?: number;
  /** Word insertion bonus (default: tuned as beamWidth, else 1.0). */
  beta?: number;
  /** log10 LM cost of a word outside the LM's vocabulary (default: the LM's <unk> probability). */
  oovLog10?: number;
  /**
   * Charge a partial word, as it grows, the best LM probability in its context of any word it can still become
   * (BeamSearchOptions.lmLookahead; default: as tuned in models/default.json for the shipped model, else false).
   * Grammars never use it.
   */
  lmLookahead?: boolean;
  /** n-best alternatives kept per result besides the best (default 4). */
  maxAlternatives?: number;
  /**
   * How word confidences are computed (beam search): a calibration (src/decoder/word-confidence.ts), or false for the
   * raw acoustic score. Default: the calibration fitted for the shipped model and LM when both are in use, else
   * false. Grammars and greedy decoding always give the raw acoustic score.
   */
  confidence?: ConfidenceCalibration | false;
  /** ONNX Runtime intra-op threads (default 1). */
  intraOpThreads?: number;
  /** Endpointing for every stream unless a stream overrides it; false disables (default: on, with the defaults). */
  endpoint?: Partial<EndpointConfig> | false;
  /** How model windows are run: directly (default) or through a shared batcher. */
  runner?: WindowRunner;
  /**
   * Seconds of quiet noise, at the level of the stream's quietest 20 ms, heard after the audio when a stream
   * finishes. The model learned speech with silence after it and loses a last word that runs to the final sample;
   * this gives it that silence (synth-dev with its trailing silence cut: last word right 58 → 65 %, 66 % uncut).
   * Results never reach into it. Default 0.3; 0 turns it off.
   */
  endPadding?: number;
}

/**
 * Recognizer options that survive structured cloning into a worker thread (the server's decode pool, batch
 * workers): the LM is named by its path, not passed loaded, and there is no custom window runner.
 */
export type PortableRecognizerOptions = Omit<RecognizerOptions, 'runner' | 'lm'> & { lm?: string | false };

export interface StreamOptions {
  /** Words or phrases to favour, with optional boosts (natural-log units). */
  hotwords?: readonly Hotword[];
  /**
   * Restrict recognition to these phrases (Vosk's grammar / `phrase_list`): only their words can be recognised,
   * preferably in the phrases' order; include `'[unk]'` to let other speech come out as `[unk]`. Always decodes
   * with the beam search (even on a greedy recognizer), with the grammar in place of the language model.
   * Invalid lists throw a GrammarError.
   */
  grammar?: readonly string[];
  /** Endpointing for this stream: settings, or false to decode the whole stream as one utterance. */
  endpoint?: Partial<EndpointConfig> | false;
  /**
   * Write numbers as numerals in results and partials: "nineteen eighty four" → "1984", "twenty first" → "21st",
   * "three point one four" → "3.14", "fifty percent" → "50%", digits read one by one → "5551212"; single words
   * zero to nine stay words. A number's words become one word entry spanning their times, its confidence the
   * product of theirs (src/text/numerals.ts). Default false: numbers as spoken, as the LM and `hearken eval` use them.
   */
  numerals?: boolean;
  /**
   * Punctuate and case results and partials for display: "the quick brown fox jumped over the lazy dog it was
   * tired" → "The quick brown fox jumped over the lazy dog. It was tired." Commas, periods and question marks
   * come from a hidden-event trigram LM, capitals from sentence starts, "I" and a case table (models/punctuation/,
   * src/punctuation/). Each utterance is punctuated on its own and ends with a period or question mark. A word
   * entry carries its shown form, mark included ("London,"); times and confidences are unchanged. Applied after
   * `numerals` ("1984" stays "1984"). The model loads on first use, once per thread. Default false.
   */
  punctuate?: boolean;
  /**
   * Words shown as asterisks, one per letter, in results, word entries, alternatives and partials ("what the
   * ****"), as captioning services mask profanity: case and surrounding punctuation are ignored, the possessive
   * is covered. Applied after `numerals` and `punctuate`. `DEFAULT_MASK_WORDS` (src/text/mask-words.ts) is a small
   * list of profanity and slurs. Default: none. A list with an entry that is not one word throws MaskWordsError.
   */
  maskWords?: readonly string[];
}

export class Recognizer {
  private constructor(
    readonly model: AcousticModel,
    readonly lm: NgramLM | null,
    private readonly options: RecognizerOptions,
    /** The caller's own oovLog10, if any: grammars price [unk] from it, never from dictation's tuned value. */
    private readonly givenOovLog10?: number,
  ) {}

  static async create(options: RecognizerOptions = {}): Promise<Recognizer> {
    // settings are checked before anything is loaded, so a bad one fails at once, as in the CLI and the server
    checkRecognizerOptions(options as RecognizerOptions & Record<string, unknown>);
    const endPadding = options.endPadding ?? DEFAULT_END_PADDING;
    const defaults = installedDefaultModels();
    const modelDir = options.model ?? defaults?.acousticModel;
    if (!modelDir) throw new ModelLoadError('NOT_FOUND', `no model given and no default model is installed (${join(MODELS_DIR, 'default.json')} is missing)`);
    const model = await AcousticModel.load(modelDir, { intraOpThreads: options.intraOpThreads });
    const source = languageModelSource(options, defaults);
    const lm = typeof source === 'string' ? loadLanguageModelFile(source) : source;
    // The tuned weights belong to the shipped model + LM pair; other pairs start from the decoder's defaults.
    const shipped = defaults !== null && resolve(modelDir) === defaults.acousticModel;
    const tuned = shipped ? defaults.decoder : {};
    // The calibration was fitted on what the shipped model and LM know about words; another LM changes that.
    const lmPath = typeof source === 'string' ? resolve(source) : source?.sourcePath ?? null;
    const shippedLm = shipped && lmPath !== null && lmPath === defaults.languageModel;
    return new Recognizer(model, lm, {
      ...options,
      endPadding,
      beamWidth: options.beamWidth ?? tuned.beamWidth,
      beamThreshold: options.beamThreshold ?? tuned.beamThreshold,
      alpha: options.alpha ?? tuned.alpha,
      beta: options.beta ?? tuned.beta,
      oovLog10: options.oovLog10 ?? tuned.oovLog10,
      lmLookahead: options.lmLookahead ?? tuned.lmLookahead,
      confidence: options.confidence ?? (shippedLm ? tuned.confidence ?? false : false),
    }, options.oovLog10);
  }

  /** A new stream; bad options throw an OptionsError (options-validation.ts), bad grammars a GrammarError. */
  createStream(options: StreamOptions = {}): RecognizerStream {
    checkStreamOptions(options as StreamOptions & Record<string, unknown>);
    const endpointSetting = options.endpoint !== undefined ? options.endpoint : this.options.endpoint;
    const decoder = this.createDecoder(options.hotwords ?? [], options.grammar ? compileGrammar(options.grammar) : null);
    return new RecognizerStream({
      model: this.model,
      runner: this.options.runner ?? directRunner,
      decoder: this.displayDecoder(decoder, options),
      endpoint: endpointSetting === false ? null : checkEndpointConfig(endpointSetting),
      endPadding: this.options.endPadding ?? DEFAULT_END_PADDING,
    });
  }

  /** Batch transcription: one stream over the whole signal, the same code path as live audio. */
  async transcribe(samples: Float32Array, sampleRate: number = TARGET_SAMPLE_RATE, options: StreamOptions = {}): Promise<RecognitionResult> {
    const stream = this.createStream(options);
    stream.acceptWaveform(samples, sampleRate);
    return stream.finish();
  }

  /** A file read and decoded a piece at a time (memory bounded however long it is); the same result as `transcribe` of its samples. */
  async transcribeFile(path: string, options: StreamOptions & FileTranscriptionOptions = {}): Promise<FileTranscript> {
    const { maxDuration, ...streamOptions } = options;
    return (await transcribeFileStream(this.createStream(streamOptions), path, { maxDuration })).result;
  }

  async close(): Promise<void> {
    await this.model.release();
  }

  /**
   * Display rewrites, in order: numbers as numerals, then punctuation and case (which reads numerals as spoken),
   * then masked words (on what the reader sees).
   */
  private displayDecoder(decoder: StreamingDecoder, options: StreamOptions): StreamingDecoder {
    const mask = options.maskWords && options.maskWords.length > 0 ? compileWordMask(options.maskWords) : null;
    const numbered = options.numerals ? withNumerals(decoder) : decoder;
    const punctuated = options.punctuate ? withPunctuation(numbered, defaultPunctuationModel(), this.model.card.frameShiftMs / 1000) : numbered;
    return mask ? withMaskedWords(punctuated, mask) : punctuated;
  }

  private createDecoder(hotwords: readonly Hotword[], grammar: Grammar | null): StreamingDecoder {
    const { card } = this.model;
    if (grammar === null && (this.options.decoding ?? 'beam') === 'greedy') return new GreedyDecoder(card.vocabulary, card.blank);
    const beam = new BeamSearchDecoder({
      vocabulary: card.vocabulary,
      blank: card.blank,
      beamWidth: this.options.beamWidth,
      beamThreshold: this.options.beamThreshold,
      lm: grammar ? grammar.lm : this.lm,
      alpha: this.options.alpha,
      beta: this.options.beta,
      // a grammar admits no other word, unless it lists [unk]; then it costs what the caller says an unknown word
      // costs, else a fixed price (dictation's tuned value goes with its look-ahead and word bonus, not with grammars)
      oovLog10: grammar ? (grammar.allowUnknown ? (this.givenOovLog10 ?? GRAMMAR_UNKNOWN_LOG10) : -Infinity) : this.options.oovLog10,
      oovCharLog10: grammar?.allowUnknown ? GRAMMAR_UNKNOWN_CHAR_LOG10 : 0,
      lmLookahead: grammar ? false : this.options.lmLookahead,
      hotwords,
      maxAlternatives: this.options.maxAlternatives,
      confidence: grammar || !this.options.confidence ? null : this.options.confidence,
      ...(grammar ? GRAMMAR_SEARCH : {}),
    });
    const view = grammar ? new GrammarView(grammar, new Set(hotwords.flatMap((h) => normalizeWords(h.phrase)))) : null;
    return new BeamStreamingDecoder(beam, view);
  }
}


/** The LM a recognizer with these options decodes with: an LM file path, a loaded model, or null (none). */
function languageModelSource(options: Pick<RecognizerOptions, 'decoding' | 'lm'>, defaults: DefaultModels | null): string | NgramLM | null {
  if ((options.decoding ?? 'beam') !== 'beam') return null;
  const source = options.lm === undefined ? defaults?.languageModel ?? false : options.lm;
  return source === false ? null : source;
}

/** The LM file `createRecognizer(options)` would load, or null (greedy decoding, no LM, or an LM given loaded). */
export function languageModelPath(options: Pick<RecognizerOptions, 'decoding' | 'lm'>): string | null {
  const source = languageModelSource(options, installedDefaultModels());
  return typeof source === 'string' ? source : null;
}

/** Loads a model (and LM) and returns a recognizer that makes streams. */
export function createRecognizer(options: RecognizerOptions = {}): Promise<Recognizer> {
  return Recognizer.create(options);
}
