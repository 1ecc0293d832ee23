import type { NgramLM } from '../lm/ngram-lm.js';
import { PairHash } from '../lm/pair-hash.js';

/**
 * A character trie of the LM's vocabulary, so the beam search can tell as soon as a partial word can no
 * longer become a known word. Without this, a CTC model that under-emits spaces lets one long out-of-
 * vocabulary "word" (several real words run together) pay a single unknown-word cost where the real words
 * would each pay their LM cost, so the LM makes merging worse instead of fixing it.
 */
export class LexiconTrie {
  static readonly ROOT = 0;
  private readonly children: PairHash;
  readonly nodes: number;
  /** Word id (index into `words`) spelled by each node, -1 where no word ends: the decoder never builds strings. */
  private readonly wordIds: Int32Array;

  /** `words[i]` is the word with id i; words with characters outside `tokenOf` are left out. */
  constructor(words: readonly string[], tokenOf: ReadonlyMap<string, number>) {
    this.children = new PairHash(words.length * 4);
    const ends: Array<[number, number]> = [];
    let nodes = 1;
    words.forEach((word, id) => {
      if (word.startsWith('<') || word.length === 0) return;
      let node = LexiconTrie.ROOT;
      for (const ch of word) {
        const token = tokenOf.get(ch);
        if (token === undefined) return;
        let next = this.children.get(node, token);
        if (next < 0) {
          next = nodes++;
          this.children.set(node, token, next);
        }
        node = next;
      }
      ends.push([node, id]);
    });
    this.nodes = nodes;
    this.wordIds = new Int32Array(nodes).fill(-1);
    for (const [node, id] of ends) this.wordIds[node] = id;
  }

  /** Id of the word spelled by `node`, or -1 (also for node -1). */
  wordId(node: number): number {
    return node >= 0 ? this.wordIds[node]! : -1;
  }

  /** The node after `token`, or -1 when no vocabulary word continues this way. */
  child(node: number, token: number): number {
    return this.children.get(node, token);
  }
}

const cache = new WeakMap<NgramLM, Map<string, LexiconTrie>>();

/** One trie per LM and alphabet, shared by every decoder (streams create decoders often). */
export function lexiconFor(lm: NgramLM, tokenOf: ReadonlyMap<string, number>): LexiconTrie {
  const key = [...tokenOf.entries()].map(([c, t]) => `${c}${t}`).join('|');
  let byAlphabet = cache.get(lm);
  if (!byAlphabet) {
    byAlphabet = new Map();
    cache.set(lm, byAlphabet);
  }
  let trie = byAlphabet.get(key);
  if (!trie) {
    trie = new LexiconTrie(lm.words, tokenOf);
    byAlphabet.set(key, trie);
  }
  return trie;
}
