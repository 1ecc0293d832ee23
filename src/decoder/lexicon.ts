import type { NgramLM } from '../lm/ngram-lm.js';
import { PairHash } from '../util/pair-hash.js';

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
  /** Parent of each node (-1 for the root), and the node spelling each word id (-1 for words left out). */
  private readonly parents: Int32Array;
  private readonly wordNodes: Int32Array;

  /** `words[i]` is the word with id i; words with characters outside `tokenOf` are left out. */
  constructor(words: readonly string[], tokenOf: ReadonlyMap<string, number>) {
    this.children = new PairHash(words.length * 4);
    const ends: Array<[number, number]> = [];
    const parents: number[] = [-1];
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
          parents.push(node);
          this.children.set(node, token, next);
        }
        node = next;
      }
      ends.push([node, id]);
    });
    this.nodes = nodes;
    this.wordIds = new Int32Array(nodes).fill(-1);
    this.wordNodes = new Int32Array(words.length).fill(-1);
    for (const [node, id] of ends) {
      this.wordIds[node] = id;
      this.wordNodes[id] = node;
    }
    this.parents = Int32Array.from(parents);
  }

  /** The node that spells word id `id`, or -1 when the word is not in the trie. */
  nodeOfWord(id: number): number {
    return id >= 0 && id < this.wordNodes.length ? this.wordNodes[id]! : -1;
  }

  /** The parent of `node`, -1 for the root. */
  parentOf(node: number): number {
    return this.parents[node]!;
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
