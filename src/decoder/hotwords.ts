/**
 * Contextual biasing ("hotwords") as a character prefix trie, in the spirit of the context graph
 * of icefall / sherpa-onnx: each character that extends a match earns part of the phrase's boost
 * right away, so a biased prefix survives beam pruning before the phrase is complete; if the
 * match then fails, everything it earned is taken back, so a near-miss costs nothing net.
 *
 * Phrases are normalised with the shared text normaliser and stored followed by a space, so a
 * match only counts at a word end ("kate" does not fully boost "kateri"). Matches start only at
 * a word boundary. When a phrase completes the state returns to the root with the boost kept;
 * a longer phrase sharing that prefix is therefore not matched further (documented limitation).
 */
import { normalizeText } from '../text/normalize.js';
import { PairHash } from '../util/pair-hash.js';

export interface Hotword {
  phrase: string;
  /** Total bonus in natural-log units for the whole phrase; default from the decoder options. */
  boost?: number;
}

export class HotwordTrie {
  /** Bonus earned so far when standing at each node (full boost at terminal nodes). */
  private readonly earned: number[] = [0];
  private readonly terminal: boolean[] = [false];
  private readonly children = new PairHash(64);
  private readonly space: number;
  /** Score change of the last `step`/`close` call (avoids allocating a result object). */
  delta = 0;
  readonly phrases: number;

  constructor(hotwords: readonly Hotword[], tokenOf: ReadonlyMap<string, number>, space: number, defaultBoost: number) {
    this.space = space;
    let phrases = 0;
    for (const hw of hotwords) {
      const text = normalizeText(hw.phrase);
      const boost = hw.boost ?? defaultBoost;
      if (text.length === 0 || !(boost > 0)) continue;
      const tokens: number[] = [];
      for (const ch of text) {
        const tok = tokenOf.get(ch);
        if (tok === undefined) break;
        tokens.push(tok);
      }
      if (tokens.length !== text.length) continue;
      tokens.push(space);
      const perToken = boost / tokens.length;
      let node = 0;
      tokens.forEach((tok, i) => {
        let next = this.children.get(node, tok);
        if (next < 0) {
          next = this.earned.length;
          this.earned.push(0);
          this.terminal.push(false);
          this.children.set(node, tok, next);
        }
        const last = i === tokens.length - 1;
        // Shared prefixes earn at the rate of the most generous phrase through them.
        this.earned[next] = Math.max(this.earned[next]!, last ? boost : perToken * (i + 1));
        if (last) this.terminal[next] = true;
        node = next;
      });
      phrases++;
    }
    this.phrases = phrases;
  }

  /** Child of a trie node for a token, or -1. */
  child(state: number, token: number): number {
    return this.children.get(state, token);
  }

  /**
   * New state after `token` follows a prefix in `state` whose last token was `prevToken`;
   * `this.delta` receives the score change.
   */
  step(state: number, prevToken: number, token: number): number {
    let delta = 0;
    if (state !== 0) {
      const next = this.children.get(state, token);
      if (next >= 0) {
        this.delta = this.earned[next]! - this.earned[state]!;
        // A completed phrase keeps its boost and matching starts afresh.
        return this.terminal[next]! ? 0 : next;
      }
      delta = -this.earned[state]!;
    }
    let result = 0;
    if (prevToken === this.space && token !== this.space) {
      const next = this.children.get(0, token);
      if (next >= 0) {
        delta += this.earned[next]!;
        result = next;
      }
    }
    this.delta = delta;
    return result;
  }

  /** Score change at the end of the utterance: a phrase lacking only its final space is completed, any other partial match is taken back. */
  close(state: number): number {
    if (state === 0) return 0;
    const next = this.children.get(state, this.space);
    if (next >= 0 && this.terminal[next]) return this.earned[next]! - this.earned[state]!;
    return -this.earned[state]!;
  }
}
