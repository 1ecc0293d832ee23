/**
 * Fits the punctuation model's pause cue (src/punctuation/model.ts PAUSE_CUE) on real read speech whose punctuated
 * text is known, and measures what it adds, by two-fold cross-validation over the clips.
 *
 * Data: ../shared/train/real/dctts-philippmatthes (137 clips of one reader reading LJ Speech sentences; training-side,
 * never ../shared/eval), their punctuated sentences found in ../shared/corpus/ljspeech.txt. The recogniser (shipped
 * model, LM and decoder settings) transcribes each clip; its words are aligned to the reference words, and each slot
 * between two recognised words takes the strongest reference mark inside it. The pause there is the silence between
 * the two words' times. Marks are scored slot by slot, as `hearken punctuation eval` does, on the recogniser's words.
 * The punctuation LM used here is built without these clips' sentences, so the LM does not remember their marks.
 *
 * Usage: npx tsx training/decoder/fit-pause-cue.ts [--weights 0,0.5,1]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArpa } from '../../src/lm/arpa.js';
import { readSentences } from '../../src/lm/corpus.js';
import { buildPunctuationModel } from '../../src/punctuation/build.js';
import { readPunctuatedSentences } from '../../src/punctuation/corpus.js';
import { strongerMark, type Mark } from '../../src/punctuation/marks.js';
import { PunctuationModel } from '../../src/punctuation/model.js';
import { CaseTable } from '../../src/punctuation/truecase.js';
import type { PauseCue } from '../../src/punctuation/viterbi.js';
import { createRecognizer } from '../../src/recognizer/index.js';
import { normalizeText } from '../../src/text/normalize.js';
import { align } from '../../src/text/wer.js';
import { readManifest } from '../../src/util/manifest.js';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared');
const CLIPS = join(SHARED, 'train', 'real', 'dctts-philippmatthes', 'manifest.tsv');
const CORPUS = ['gutenberg.txt', 'ljspeech.txt', 'wikitext2-valid-test.txt'].map((f) => join(SHARED, 'corpus', f));
/** Upper edges of the pause bins (seconds). */
const EDGES = [0.15, 0.3, 0.5];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

interface Slot {
  /** The strongest reference mark between two recognised words. */
  mark: Mark | null;
  /** Seconds between the first word's end and the second's start. */
  pause: number;
}
interface Clip {
  words: string[];
  pauses: number[];
  slots: Slot[];
}

for (const f of [CLIPS, ...CORPUS]) if (!existsSync(f)) throw new Error(`${f} is missing (this script needs ../shared)`);
const ljLines = new Map(readFileSync(CORPUS[1]!, 'utf8').split('\n').map((l) => [normalizeText(l), l.trim()]));

/** A clip's reference words and the mark after each, from its punctuated LJ Speech sentence. */
function reference(transcript: string): { words: string[]; marks: (Mark | null)[] } {
  let line = ljLines.get(normalizeText(transcript));
  if (line === undefined) throw new Error(`no punctuated sentence for "${transcript}"`);
  // LJ Speech clips may end on a comma: end them as sentences so the last words are not dropped as an unfinished tail
  if (!/[.?!]["')]*$/.test(line)) line = `${line.replace(/[,;:]+$/, '')}.`;
  const words: string[] = [];
  const marks: (Mark | null)[] = [];
  for (const s of readPunctuatedSentences([line])) {
    words.push(...s.words);
    marks.push(...s.marks);
  }
  return { words, marks };
}

const manifest = await readManifest(CLIPS);
const recognizer = await createRecognizer();
const clips: Clip[] = [];
for (const entry of manifest) {
  const result = await recognizer.transcribeFile(entry.path);
  const words = result.words.map((w) => w.word);
  const pauses = result.words.map((w, i) => (i + 1 < result.words.length ? result.words[i + 1]!.start - w.end : Number.NaN));
  const ref = reference(entry.transcript);
  // each recognised word's reference position (an inserted word takes the position before it)
  const refPos = new Array<number>(words.length).fill(-1);
  let lastRef = -1;
  for (const step of align(ref.words, words)) {
    if (step.ref >= 0) lastRef = step.ref;
    if (step.hyp >= 0) refPos[step.hyp] = step.ref >= 0 ? step.ref : lastRef;
  }
  const slots: Slot[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    let mark: Mark | null = null;
    for (let k = Math.max(0, refPos[i]!); k < refPos[i + 1]!; k++) mark = strongerMark(mark, ref.marks[k] ?? null);
    slots.push({ mark, pause: pauses[i]! });
  }
  clips.push({ words, pauses, slots });
}
await recognizer.close();

const bin = (p: number): number => {
  let b = 0;
  while (b < EDGES.length && p >= EDGES[b]!) b++;
  return b;
};

/** log10 P(bin | mark) / P(bin | no mark) from the slots of `train` (add-half smoothing); question marks as periods. */
function fit(train: readonly Clip[], weight = 1): PauseCue {
  const counts = { none: EDGES.map(() => 0).concat(0), comma: EDGES.map(() => 0).concat(0), sentence: EDGES.map(() => 0).concat(0) };
  for (const c of train) for (const s of c.slots) counts[s.mark === null ? 'none' : s.mark === 'comma' ? 'comma' : 'sentence'][bin(s.pause)]!++;
  const dist = (v: number[]): number[] => {
    const total = v.reduce((a, x) => a + x + 0.5, 0);
    return v.map((x) => (x + 0.5) / total);
  };
  const none = dist(counts.none);
  const ratio = (v: number[]): number[] => dist(v).map((p, i) => Math.round(100 * weight * Math.log10(p / none[i]!)) / 100);
  const sentence = ratio(counts.sentence);
  return { edges: EDGES, log10Ratio: { comma: ratio(counts.comma), period: sentence, question: sentence } };
}

type Tally = Record<'comma' | 'sentence' | 'all', { tp: number; fp: number; fn: number }>;
const KINDS = ['comma', 'sentence', 'all'] as const;
function inKind(kind: (typeof KINDS)[number], m: Mark | null): boolean {
  return m !== null && (kind === 'all' || (kind === 'comma') === (m === 'comma'));
}
function score(model: PunctuationModel, test: readonly Clip[], usePauses: boolean, t: Tally): void {
  for (const c of test) {
    if (c.words.length === 0) continue;
    const trellis = model.trellis();
    trellis.update(c.words, usePauses ? c.pauses : []);
    const predicted = trellis.marks(true);
    c.slots.forEach((s, i) => {
      const p = predicted[i] ?? null;
      for (const kind of KINDS) {
        const hit = inKind(kind, p) && inKind(kind, s.mark) && (kind !== 'all' || p === s.mark);
        if (hit) t[kind].tp++;
        else {
          if (inKind(kind, p)) t[kind].fp++;
          if (inKind(kind, s.mark)) t[kind].fn++;
        }
      }
    });
  }
}
function report(t: Tally): string {
  return KINDS.map((k) => {
    const { tp, fp, fn } = t[k];
    const p = tp / (tp + fp);
    const r = tp / (tp + fn);
    return `${k} P ${(100 * p).toFixed(1)} R ${(100 * r).toFixed(1)} F1 ${((200 * p * r) / (p + r)).toFixed(1)} (${tp + fn} marks)`;
  }).join(' | ');
}

// the punctuation LM without these clips' sentences
const held = new Set(manifest.map((e) => normalizeText(e.transcript)));
const build = buildPunctuationModel([...readSentences(CORPUS)].filter((l) => !held.has(normalizeText(l))));
const lm = parseArpa(build.arpa);
const cases = CaseTable.parse(build.caseTable);

const slots = clips.reduce((n, c) => n + c.slots.length, 0);
const marks = clips.reduce((n, c) => n + c.slots.filter((s) => s.mark !== null).length, 0);
console.log(`${clips.length} clips, ${slots} slots between recognised words, ${marks} with a reference mark`);
const folds = [clips.filter((_c, i) => i % 2 === 0), clips.filter((_c, i) => i % 2 === 1)];
for (const weight of arg('--weights', '0,0.5,1').split(',').map(Number)) {
  const tally: Tally = { comma: { tp: 0, fp: 0, fn: 0 }, sentence: { tp: 0, fp: 0, fn: 0 }, all: { tp: 0, fp: 0, fn: 0 } };
  for (let f = 0; f < 2; f++) score(new PunctuationModel(lm, cases, undefined, fit(folds[1 - f]!, weight)), folds[f]!, weight > 0, tally);
  console.log(`pause weight ${weight}${weight === 0 ? ' (words alone)' : ''}: ${report(tally)}`);
}
console.log('fitted on every clip (weight 1):', JSON.stringify(fit(clips)));
