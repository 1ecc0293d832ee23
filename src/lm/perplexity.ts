/** Sentence scoring and perplexity with an NgramLM (sentences wrapped in <s> ... </s>). */
import type { NgramLM } from './ngram-lm.js';

export interface PerplexityResult {
  /** 10^(-log10 total / predicted tokens), tokens including </s>, OOV words excluded. */
  perplexity: number;
  log10: number;
  tokens: number;
  oovs: number;
  sentences: number;
}

/** log10 P(words, </s> | <s>); OOV words are skipped (context reset), as SRILM/KenLM report. */
export function sentenceLog10(lm: NgramLM, words: readonly string[]): { log10: number; tokens: number; oovs: number } {
  const ctx: number[] = lm.bos >= 0 ? [lm.bos] : [];
  let log10 = 0;
  let tokens = 0;
  let oovs = 0;
  const ids = words.map((w) => (lm.has(w) ? lm.wordId(w) : -1));
  if (lm.eos >= 0) ids.push(lm.eos);
  for (const id of ids) {
    if (id < 0 || id === lm.unkId) {
      oovs++;
      ctx.push(-1);
      continue;
    }
    log10 += lm.score(ctx, id);
    tokens++;
    ctx.push(id);
    if (ctx.length >= lm.order) ctx.shift();
  }
  return { log10, tokens, oovs };
}

export function perplexity(lm: NgramLM, sentences: Iterable<readonly string[]>): PerplexityResult {
  let log10 = 0;
  let tokens = 0;
  let oovs = 0;
  let n = 0;
  for (const s of sentences) {
    const r = sentenceLog10(lm, s);
    log10 += r.log10;
    tokens += r.tokens;
    oovs += r.oovs;
    n++;
  }
  return { perplexity: tokens > 0 ? Math.pow(10, -log10 / tokens) : NaN, log10, tokens, oovs, sentences: n };
}
