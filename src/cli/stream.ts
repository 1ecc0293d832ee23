import type { Readable, Writable } from 'node:stream';
import { Command, InvalidArgumentError, Option } from 'commander';
import { AudioByteStream } from '../audio/byte-stream.js';
import type { PcmEncoding } from '../audio/pcm-stream.js';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../audio/types.js';
import type { Hotword } from '../decoder/hotwords.js';
import { normalizeGrammar } from '../decoder/grammar.js';
import { createRecognizer } from '../recognizer/recognizer.js';
import type { RecognitionResult } from '../recognizer/types.js';
import { grammarFromFlags, maskWordsFromFlags, positiveInt, recognizerOptions, withDecodingFlags, withDisplayFlags, withGrammarFlags, withHotwordFlag, withMaskWordsFlag, type DecodingFlags, type DisplayFlags, type GrammarFlags, type MaskFlags } from './options.js';

interface StreamFlags extends DecodingFlags, GrammarFlags, DisplayFlags, MaskFlags {
  rate: number;
  encoding: PcmEncoding;
  channels: number;
  format: 'text' | 'json';
  partials?: boolean;
  hotword?: Hotword[];
}

function sampleRate(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIN_SAMPLE_RATE || n > MAX_SAMPLE_RATE) {
    throw new InvalidArgumentError(`must be an integer from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE}`);
  }
  return n;
}

/** One utterance as a line of output. */
function line(result: RecognitionResult, format: 'text' | 'json'): string {
  if (format === 'text') return `${result.text}\n`;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return `${JSON.stringify({
    start: round(result.start),
    end: round(result.end),
    text: result.text,
    words: result.words.map((w) => ({ word: w.word, start: round(w.start), end: round(w.end), conf: round(w.conf) })),
  })}\n`;
}

/**
 * `hearken stream`: live transcription of audio arriving on stdin (a microphone through `arecord`, `sox -d` or
 * `ffmpeg`; WAV, FLAC, Ogg Opus/Vorbis, MP3 or raw PCM), printing each utterance as soon as an endpoint ends it. The same stream as every other use, so the
 * utterances are those batch transcription of the same audio gives, however the input is cut into reads.
 */
export function streamCommand(): Command {
  const command = new Command('stream')
    .description('transcribe audio from stdin as it arrives, one line per utterance: a WAV stream (arecord -f S16_LE -r 16000 | hearken stream), FLAC, Ogg Opus/Vorbis, MP3, or raw PCM')
    .option('--rate <hz>', 'sample rate of raw PCM input (WAV and compressed input carry their own)', sampleRate, 16000)
    .addOption(new Option('--encoding <encoding>', 'sample encoding of raw PCM input: little-endian 16-bit integer or 32-bit float').choices(['s16le', 'f32le']).default('s16le'))
    .option('--channels <n>', 'interleaved channels of raw PCM input, downmixed to mono', positiveInt, 1)
    .addOption(new Option('--format <format>', 'text: one line per utterance; json: one JSON object per utterance per line, with its start, end, text and words').choices(['text', 'json']).default('text'))
    .option('--partials', 'show the utterance in progress on stderr, rewritten in place');
  return withDecodingFlags(withGrammarFlags(withMaskWordsFlag(withDisplayFlags(withHotwordFlag(command)))), 'the input').action(async (flags: StreamFlags) => {
    if (process.stdin.isTTY) {
      throw new Error('hearken stream reads audio from stdin; pipe some in, e.g. arecord -f S16_LE -r 16000 -c 1 | hearken stream');
    }
    const code = await streamStdin(process.stdin, process.stdout, process.stderr, flags);
    if (code !== 0) process.exitCode = code;
  });
}

/** Runs one stream over `input` until it ends; returns the exit code (results already printed are kept). */
async function streamStdin(input: Readable, out: Writable, err: Writable, flags: StreamFlags): Promise<number> {
  const grammar = await grammarFromFlags(flags);
  if (grammar) normalizeGrammar(grammar); // a bad grammar fails before any audio is read
  const audio = new AudioByteStream({ encoding: flags.encoding, sampleRate: flags.rate, channels: flags.channels });
  const recognizer = await createRecognizer(recognizerOptions(flags));
  const stream = recognizer.createStream({ hotwords: flags.hotword ?? [], grammar, numerals: flags.numerals, punctuate: flags.punctuate, maskWords: await maskWordsFromFlags(flags) });
  let shown = '';
  const emit = (result: RecognitionResult): void => {
    if (flags.partials && shown) err.write('\n');
    shown = '';
    if (result.text !== '') out.write(line(result, flags.format));
  };
  const accept = (samples: Float32Array): void => {
    if (samples.length > 0) stream.acceptWaveform(samples, 16000);
  };
  let failure: unknown = null;
  let dangling = 0;
  try {
    try {
      for await (const chunk of input) {
        accept(await audio.push(chunk as Buffer));
        await stream.decode();
        while (stream.hasResult()) emit(stream.popResult()!);
        if (flags.partials) {
          const text = stream.partial().text;
          if (text !== shown) err.write(`\r${text}\x1b[K`);
          shown = text;
        }
      }
      const last = await audio.end();
      accept(last.samples);
      dangling = last.danglingBytes;
    } catch (e) {
      failure = e; // bad input: still transcribe the audio accepted before it
    }
    emit(await stream.finish());
    if (failure) {
      err.write(`hearken: ${failure instanceof Error ? failure.message : String(failure)}; the audio before it was transcribed\n`);
      return 1;
    }
    if (dangling > 0) {
      err.write(`hearken: the input ended inside a sample (${dangling} byte${dangling === 1 ? '' : 's'} left over); the audio before it was transcribed\n`);
      return 1;
    }
    return 0;
  } finally {
    await recognizer.close();
  }
}
