/**
 * Sentences of a raw Project Gutenberg book for LM training. A book file is the text between Gutenberg's START and
 * END markers, still as printed: hard-wrapped lines, blank lines between paragraphs, and the furniture of a book
 * that nobody reads aloud (producers' credits, title pages, tables of contents, chapter headings, "[Illustration]"
 * tags, footnote and page markers). That furniture is dropped here, so that the LM learns prose; numbers and
 * punctuation are left for the shared normaliser (`prepareCorpusLine`).
 */

/** A paragraph about the edition rather than the book: credits, licence text, addresses. */
const EDITION_NOTE = /gutenberg|produced by|prepared by|transcriber|proofread|\be-?text\b|\bebook\b|https?:|www\.|@|copyright|all rights reserved|html version/i;

/** Chapter and section headings: "CHAPTER IV.", "Chapter 21", "BOOK II. THE STORM", "Stave One", "LETTER 363. TO ...". */
const HEADING = /^(chapter|book|part|volume|vol\.|section|canto|stave|act|scene|letter|preface|introduction|contents|appendix|index|footnotes?|epilogue|prologue)\b/i;

/** A numbered heading run into its paragraph's first sentence: "CHAPTER II. It was ..." splits off "CHAPTER II.". */
const NUMBERED_HEADING = /^(chapter|book|part|volume|canto|stave|letter)\s+([IVXLC]+|\d+)\b/i;

/** Headings are short; a longer paragraph that starts with one of those words is prose ("Part of the ..."). */
const HEADING_MAX_WORDS = 12;

/** A speaker's tag at the start of a play's speech ("HAMLET. To be ...", "FIRST CLOWN. ..."). */
const SPEAKER_TAG = /^[A-Z][A-Z'-]+(?: [A-Z][A-Z'-]+)*\. (?=\S)/;

/** Abbreviations after which a full stop does not end a sentence. */
const ABBREVIATION = /(?:^|[\s"'‘“(])(?:Mr|Mrs|Messrs|Dr|St|Mt|Mme|Mlle|Col|Gen|Capt|Lt|Sgt|Rev|Prof|Hon|Jr|Sr|No|Vol|Ch|viz|etc|i\.e|e\.g|[A-Z])\.$/;

/** Sentence ends: [.!?], closing quotes or brackets, space, then an opening quote or a capital. */
const SENTENCE_BREAK = /(?<=[.!?]["'’”)\]]*)\s+(?=["'‘“(]*[A-Z])/;

/** Removes bracketed insertions: [Illustration: ...], [Footnote 3: ...], [Pg 12], [Sidenote: ...], [_Exit._]. */
function dropBrackets(paragraph: string): string {
  let out = paragraph;
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(/\[[^[\]]*\]/g, ' ');
  }
  // an insertion left open runs to the paragraph's end (a footnote or caption continued in the next paragraph)
  const open = out.indexOf('[');
  return open >= 0 ? out.slice(0, open) : out;
}

/** Lines of a table of contents or an index end in page numbers or carry leader dots. */
function isContentsBlock(lines: readonly string[]): boolean {
  const listed = lines.filter((l) => /(?:^|\s)(?:\d+|[IVXLC]{2,})\.?$/.test(l.trim()) || /\.{4,}|\. \. \./.test(l)).length;
  return lines.length >= 3 && listed * 2 >= lines.length;
}

/** The paragraph as prose to keep, or null when it is book furniture. */
export function proseOfParagraph(lines: readonly string[]): string | null {
  if (isContentsBlock(lines)) return null;
  let text = dropBrackets(lines.map((l) => l.trim()).join(' ')).replace(/_/g, '').replace(/\s+/g, ' ').trim();
  if (text === '' || EDITION_NOTE.test(text)) return null;
  // title pages, all-capital headings, roman numerals, rows of asterisks
  if (!/[a-z]/.test(text)) return null;
  if (HEADING.test(text) && text.split(' ').length <= HEADING_MAX_WORDS) return null;
  text = text.replace(SPEAKER_TAG, '');
  return text;
}

/** Splits a paragraph into sentences at [.!?] before a capital, except after abbreviations and initials. */
export function splitSentences(paragraph: string): string[] {
  const out: string[] = [];
  for (const piece of paragraph.split(SENTENCE_BREAK)) {
    const last = out.length - 1;
    if (last >= 0 && ABBREVIATION.test(out[last]!)) out[last] += ` ${piece}`;
    else out.push(piece);
  }
  return out;
}

/** The sentences of a book's text, one per element, in reading order. */
export function bookSentences(text: string): string[] {
  const out: string[] = [];
  for (const block of text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    const prose = proseOfParagraph(lines);
    if (prose === null) continue;
    for (const sentence of splitSentences(prose)) {
      if (/[a-z]/.test(sentence) && !(NUMBERED_HEADING.test(sentence) && sentence.split(' ').length <= HEADING_MAX_WORDS)) out.push(sentence);
    }
  }
  return out;
}
