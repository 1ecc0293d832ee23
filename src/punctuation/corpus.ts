/**
 * Punctuated corpus text as the punctuation model learns it: sentences of normalised words (exactly what the
 * recogniser writes: normalizeWords, numbers spelled out) with the mark that followed each word in the source,
 * and each word's case form where the source shows one.
 *
 * A mark is punctuation at the end of a whitespace token ("word," "make." "it?\""), or a token of punctuation
 * alone (WikiText writes " , "); a period after a title or an initial ("Mr.", "J.", "U.S.") is part of the word,
 * not a mark. A sentence that cannot be read cleanly is dropped whole: WikiText's `<unk>` hides a word, and
 * letters outside a–z (after accents are stripped) would come out of the normaliser as a hole.
 */
import { normalizeWords } from '../text/normalize.js';
import { strongerMark, type Mark } from './marks.js';

export interface CorpusSentence {
  words: string[];
  /** The mark after each word; the last is always 'period' or 'question'. */
  marks: (Mark | null)[];
  /** Each word's written form ("London", "I'm", "the"), or null where the source does not show it cleanly. */
  forms: (string | null)[];
  /**
   * Words whose capital says nothing about the word: first of a sentence, after a colon, opening a quotation
   * or a bracket, or in a line set in capitals.
   */
  capsForced: boolean[];
  /** The sentence directly follows the previous one read (no line or sentence dropped between them). */
  joinsPrevious: boolean;
}

/** WikiText writes "1 @,@ 000", "3 @.@ 5" and "state @-@ of" (as src/lm/corpus.ts rejoins them). */
function detokenizeWikitext(line: string): string {
  return line.replace(/ @([-,.])@ /g, '$1');
}

const TITLES = new Set([
  'mr', 'mrs', 'ms', 'messrs', 'dr', 'st', 'jr', 'sr', 'mme', 'mlle', 'prof', 'rev', 'hon', 'capt', 'col', 'gen',
  'lt', 'sgt', 'maj', 'gov', 'sen', 'vs', 'viz', 'cf', 'etc', 'bros', 'co', 'ltd', 'inc', 'mt',
]);

/**
 * Titles the recogniser spells out as spoken (its training transcripts write "mister", "missus", "doctor"),
 * where the normaliser would leave "mr": the model must see the words it will be given.
 */
const SPOKEN_TITLES: ReadonlyMap<string, string> = new Map([['Mr', 'Mister'], ['Mrs', 'Missus'], ['Dr', 'Doctor']]);

/** Trailing punctuation and closing quotes/brackets of a token. */
const TRAILING_RE = /[.?!;:,"'\u201d\u2019)\]}\u00bb]+$/;
const OPENING_RE = /^["'\u201c\u2018(\[{\u00ab]/;
/** Letters the normaliser would silently drop (anything not a–z once accents are stripped). */
const FOREIGN_LETTER_RE = /[^\u0000-\u007f]/;

function markOf(punctuation: string): Mark | null {
  if (punctuation.includes('?')) return 'question';
  if (/[.!;\u2026]/.test(punctuation)) return 'period';
  if (/[,:]/.test(punctuation)) return 'comma';
  return null;
}

/** A period here belongs to the word: an initial ("J.", "U.S."), a title ("Mr."), or "No." before a number. */
function abbreviationPeriod(core: string, next: string | undefined): boolean {
  if (/^(?:[A-Za-z]\.)+$/.test(core)) return true;
  const bare = core.slice(0, -1);
  if (TITLES.has(bare.toLowerCase()) && /^[A-Z]/.test(bare)) return true;
  return bare === 'No' && next !== undefined && /^\d/.test(next);
}

function letters(token: string): string {
  return token.replace(/[^A-Za-z']/g, '').replace(/^'+|'+$/g, '');
}

function hasForeignLetters(text: string): boolean {
  const stripped = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  // Typographic punctuation is fine; only letters (and other symbols the normaliser would drop) are a hole.
  return FOREIGN_LETTER_RE.test(stripped.replace(/[\u2010-\u2027\u00ab\u00bb\u00a3\u20ac\u00b0\u00a0]/g, ''));
}

function mostlyCapitals(line: string): boolean {
  const upper = (line.match(/[A-Z]/g) ?? []).length;
  const lower = (line.match(/[a-z]/g) ?? []).length;
  return upper > lower;
}

/** Words and case forms of the text between two marks; forms are null unless every token reads on its own. */
function readSegment(tokens: readonly string[], forced: readonly boolean[]): { words: string[]; forms: (string | null)[]; capsForced: boolean[] } {
  const words = normalizeWords(tokens.join(' '));
  const forms: (string | null)[] = new Array<string | null>(words.length).fill(null);
  const capsForced: boolean[] = new Array<boolean>(words.length).fill(true);
  const perToken = tokens.map((t) => normalizeWords(t));
  if (perToken.flat().join(' ') === words.join(' ')) {
    let k = 0;
    tokens.forEach((t, i) => {
      const ws = perToken[i]!;
      if (ws.length === 1) {
        const form = letters(t);
        if (form.toLowerCase() === ws[0]) forms[k] = form;
        capsForced[k] = forced[i]!;
      }
      k += ws.length;
    });
  }
  return { words, forms, capsForced };
}

interface Pending {
  words: string[];
  marks: (Mark | null)[];
  forms: (string | null)[];
  capsForced: boolean[];
  bad: boolean;
}

const emptyPending = (): Pending => ({ words: [], marks: [], forms: [], capsForced: [], bad: false });

/**
 * Sentences of corpus lines, in order. A line that ends without a sentence mark and is followed by one that
 * starts in lower case continues into it (LJ Speech's lines are a reader's clips, cut at commas); otherwise its
 * unfinished tail (a title, a heading) is dropped.
 */
export function* readPunctuatedSentences(lines: Iterable<string>): Generator<CorpusSentence> {
  let pending = emptyPending();
  let joins = false;
  let sentenceStart = true;
  const finishSentence = function* (): Generator<CorpusSentence> {
    const p = pending;
    pending = emptyPending();
    sentenceStart = true;
    if (p.bad || p.words.length === 0) {
      joins = false;
      return;
    }
    yield { words: p.words, marks: p.marks, forms: p.forms, capsForced: p.capsForced, joinsPrevious: joins };
    joins = true;
  };

  let previousLine: string | null = null;
  for (const rawLine of lines) {
    const line = detokenizeWikitext(rawLine).replace(/\s*(?:--+|\u2014)\s*/g, ' , ').trim();
    if (previousLine !== null && pending.words.length > 0 && !/^["'\u201c\u2018(]?[a-z]/.test(line)) {
      // the previous line's unfinished sentence does not go on here
      pending = emptyPending();
      joins = false;
      sentenceStart = true;
    }
    previousLine = line;
    if (line === '') continue;
    const capitalsLine = mostlyCapitals(line);
    const tokens = line.split(/\s+/);
    let segment: string[] = [];
    let segmentForced: boolean[] = [];
    let afterColon = false;
    const flush = (mark: Mark | null): void => {
      const text = segment.join(' ');
      if (text.includes('<unk>') || hasForeignLetters(text)) pending.bad = true;
      const read = readSegment(segment, segmentForced);
      segment = [];
      segmentForced = [];
      if (read.words.length > 0) {
        read.capsForced[0] ||= sentenceStart || afterColon;
        pending.words.push(...read.words);
        pending.forms.push(...read.forms);
        pending.capsForced.push(...read.capsForced.map((f) => f || capitalsLine));
        pending.marks.push(...read.words.map((): Mark | null => null));
        sentenceStart = false;
      }
      if (mark !== null && pending.words.length > 0) {
        const last = pending.marks.length - 1;
        pending.marks[last] = strongerMark(pending.marks[last]!, mark);
      }
    };
    const sentences: CorpusSentence[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      const trailing = TRAILING_RE.exec(token)?.[0] ?? '';
      let core = token.slice(0, token.length - trailing.length);
      let punctuation = trailing;
      if (core === '' && !/[A-Za-z0-9]/.test(token)) {
        // a token of punctuation alone: its mark ends the text before it
        const mark = markOf(token);
        if (mark !== null) {
          flush(mark);
          afterColon = token.includes(':');
          if (pending.marks[pending.marks.length - 1] === 'period' || pending.marks[pending.marks.length - 1] === 'question') {
            for (const s of finishSentence()) sentences.push(s);
          }
        }
        continue;
      }
      if (punctuation.startsWith('.') && abbreviationPeriod(`${core}.`, tokens[i + 1])) {
        core += '.';
        punctuation = punctuation.slice(1);
      }
      core = SPOKEN_TITLES.get(core.replace(/\.$/, '')) ?? core;
      segment.push(core);
      segmentForced.push(OPENING_RE.test(core));
      const mark = markOf(punctuation);
      if (mark === null) continue;
      flush(mark);
      afterColon = punctuation.includes(':');
      const last = pending.marks[pending.marks.length - 1];
      if (last === 'period' || last === 'question') for (const s of finishSentence()) sentences.push(s);
    }
    flush(null);
    yield* sentences;
  }
}
