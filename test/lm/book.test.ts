import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bookSentences, splitSentences } from '../../src/lm/book.js';
import { readSentences } from '../../src/lm/corpus.js';

// The opening of a Gutenberg book as the shared corpus holds it: between the START and END markers, hard-wrapped.
const BOOK = [
  'Produced by Steve Mattern',
  '',
  '',
  '[Frontispiece: The Clam-Digger (Rotogravure)]',
  '',
  'CAPE COD',
  '',
  'BY HENRY D. THOREAU',
  '',
  'CONTENTS',
  '',
  '     I. The Shipwreck        3',
  '    II. Stage-Coach Views   17',
  '   III. The Plains of Nauset 31',
  '',
  'CHAPTER I.',
  '',
  'THE SHIPWRECK',
  '',
  'Wishing to get a better view than I had yet had of the ocean, which, we',
  'are told, covers more than two thirds of the globe, I made a visit to',
  'Cape Cod in October, 1849. Mr. Channing went with me.',
  '',
  '[Illustration: THE BEACH]',
  '',
  'We left Concord, Massachusetts, on Tuesday, Oct. 9th, 1849. On reaching',
  'Boston, we found that the Provincetown steamer had not arrived.[Footnote 1: A',
  'storm had kept it in port.] "Death! one hundred and forty-five lives',
  'lost at Cohasset," said the handbills.',
  '',
  'Chapter 2',
  '',
  'CHAPTER II. Stage-Coach Views. After spending the night at Bridgewater we rode on.',
  '',
  'HAMLET. To be, or not to be, that is the question.',
  '',
  'This etext was prepared by a Project Gutenberg volunteer.',
].join('\n');

describe('bookSentences (Project Gutenberg books as LM text)', () => {
  const sentences = bookSentences(BOOK);

  it('drops credits, title pages, contents, headings and bracketed insertions', () => {
    const all = sentences.join(' ');
    for (const furniture of ['Produced', 'Frontispiece', 'CAPE COD', 'THOREAU', 'CONTENTS', 'Shipwreck', 'SHIPWRECK', 'Nauset', 'Illustration', 'BEACH', 'Footnote', 'Gutenberg', 'CHAPTER', 'Chapter', 'HAMLET']) {
      expect(all, furniture).not.toContain(furniture);
    }
  });

  it('joins wrapped lines and splits sentences, not at abbreviations', () => {
    expect(sentences).toEqual([
      'Wishing to get a better view than I had yet had of the ocean, which, we are told, covers more than two thirds of the globe, I made a visit to Cape Cod in October, 1849.',
      'Mr. Channing went with me.',
      'We left Concord, Massachusetts, on Tuesday, Oct. 9th, 1849.',
      'On reaching Boston, we found that the Provincetown steamer had not arrived.',
      '"Death! one hundred and forty-five lives lost at Cohasset," said the handbills.',
      'Stage-Coach Views.',
      'After spending the night at Bridgewater we rode on.',
      'To be, or not to be, that is the question.',
    ]);
  });

  it('does not split after initials or titles', () => {
    expect(splitSentences('Dr. Watson met J. H. Smith at St. Paul. He left.')).toEqual(['Dr. Watson met J. H. Smith at St. Paul.', 'He left.']);
  });
});

describe('readSentences on a directory of books', () => {
  it('reads every .txt and .txt.gz book in name order, as sentences', () => {
    const dir = mkdtempSync(join(tmpdir(), 'books-'));
    writeFileSync(join(dir, 'b.txt.gz'), gzipSync(Buffer.from('CHAPTER I.\n\nThe second book\nbegins here. It ends here.\n')));
    writeFileSync(join(dir, 'a.txt'), 'Produced by a volunteer\n\nThe first book.\n');
    writeFileSync(join(dir, 'notes.md'), 'not a book');
    expect([...readSentences([dir])]).toEqual(['The first book.', 'The second book begins here.', 'It ends here.']);
  });
});
