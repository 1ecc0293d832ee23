import type { FileTranscript } from '../recognizer/file-transcription.js';
import type { Alternative, RecognitionResult, WordResult } from '../recognizer/types.js';

/**
 * text: the transcript on one line; json: one document per file (several files: a JSON array of them); jsonl: one
 * document per file per line; srt, vtt: subtitles cued from the word times.
 */
export type OutputFormat = 'text' | 'json' | 'jsonl' | 'srt' | 'vtt';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'jsonl', 'srt', 'vtt'];

export interface CueOptions {
  /** Longest cue text in characters (default 42, the common subtitle line limit). */
  maxChars?: number;
  /** Longest cue in seconds (default 5). */
  maxSeconds?: number;
  /** A pause at least this long between words starts a new cue (default 0.8 s). */
  maxGap?: number;
}

export interface Cue {
  start: number;
  end: number;
  text: string;
}

/** Groups timed words into subtitle cues. */
export function wordsToCues(words: readonly WordResult[], options: CueOptions = {}): Cue[] {
  const maxChars = options.maxChars ?? 42;
  const maxSeconds = options.maxSeconds ?? 5;
  const maxGap = options.maxGap ?? 0.8;
  const cues: Cue[] = [];
  let current: Cue | null = null;
  for (const w of words) {
    const fits = current !== null
      && current.text.length + 1 + w.word.length <= maxChars
      && w.end - current.start <= maxSeconds
      && w.start - current.end < maxGap;
    if (current && fits) {
      current.text += ` ${w.word}`;
      current.end = w.end;
    } else {
      if (current) cues.push(current);
      current = { start: w.start, end: w.end, text: w.word };
    }
  }
  if (current) cues.push(current);
  return cues;
}

function timestamp(seconds: number, decimal: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${decimal}${pad(ms % 1000, 3)}`;
}

export function toSrt(result: RecognitionResult, options?: CueOptions): string {
  return wordsToCues(result.words, options)
    .map((c, i) => `${i + 1}\n${timestamp(c.start, ',')} --> ${timestamp(c.end, ',')}\n${c.text}\n`)
    .join('\n');
}

export function toVtt(result: RecognitionResult, options?: CueOptions): string {
  const cues = wordsToCues(result.words, options).map((c) => `${timestamp(c.start, '.')} --> ${timestamp(c.end, '.')}\n${c.text}\n`);
  return ['WEBVTT\n', ...cues].join('\n');
}

/** One utterance in a transcript document. */
export interface SegmentDocument {
  start: number;
  end: number;
  text: string;
  words: WordResult[];
  /** n-best hypotheses, best first, each with its `confidence` (the total log score, as Vosk names it). */
  alternatives: Alternative[];
}

/** What `json` and `jsonl` write for a file: the whole text and words, and each utterance with speech. */
export interface TranscriptDocument {
  file?: string;
  text: string;
  start: number;
  end: number;
  words: WordResult[];
  segments: SegmentDocument[];
}

/** A file's result as the JSON formats write it; a result without segments (one stream's) is its own one segment. */
export function transcriptDocument(result: RecognitionResult | FileTranscript, file?: string): TranscriptDocument {
  const segments = 'segments' in result ? result.segments : result.text === '' ? [] : [result];
  return {
    ...(file === undefined ? {} : { file }),
    text: result.text,
    start: result.start,
    end: result.end,
    words: result.words,
    segments: segments.map((s) => ({ start: s.start, end: s.end, text: s.text, words: s.words, alternatives: s.alternatives })),
  };
}

export function toJson(result: RecognitionResult | FileTranscript, file?: string): string {
  return `${JSON.stringify(transcriptDocument(result, file), null, 2)}\n`;
}

/** One file's output in `format`; `file` names it in the JSON formats. */
export function formatResult(result: RecognitionResult | FileTranscript, format: OutputFormat, { file }: { file?: string } = {}): string {
  switch (format) {
    case 'text':
      return `${result.text}\n`;
    case 'json':
      return toJson(result, file);
    case 'jsonl':
      return `${JSON.stringify(transcriptDocument(result, file))}\n`;
    case 'srt':
      return toSrt(result);
    case 'vtt':
      return toVtt(result);
  }
}

/** The file extension each format's output files take (see outputFileNames). */
export const FORMAT_EXTENSIONS: Record<OutputFormat, string> = { text: 'txt', json: 'json', jsonl: 'jsonl', srt: 'srt', vtt: 'vtt' };
