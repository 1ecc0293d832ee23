/**
 * Minimum edit alignment of two sequences: what WER counts (src/text/wer.ts) and what the beam search uses to find
 * where rival hypotheses agree on a word (src/decoder/result.ts).
 */

/** One step of an edit alignment: `ref`/`hyp` are indices into the two sequences (-1 where the step has none). */
export interface AlignmentStep {
  op: 'match' | 'substitution' | 'deletion' | 'insertion';
  ref: number;
  hyp: number;
}

/**
 * One minimum edit alignment of two sequences, in order. Among equal-cost alignments the backtrace prefers
 * substitution (or match), then deletion, then insertion, so the result is deterministic.
 */
export function align<T>(ref: readonly T[], hyp: readonly T[]): AlignmentStep[] {
  const n = ref.length;
  const m = hyp.length;
  const w = m + 1;
  const cost = new Int32Array((n + 1) * w);
  for (let j = 0; j <= m; j++) cost[j] = j;
  for (let i = 1; i <= n; i++) {
    const row = i * w;
    cost[row] = i;
    const r = ref[i - 1];
    for (let j = 1; j <= m; j++) {
      const diag = cost[row - w + j - 1]! + (r === hyp[j - 1] ? 0 : 1);
      const del = cost[row - w + j]! + 1;
      const ins = cost[row + j - 1]! + 1;
      cost[row + j] = Math.min(diag, del, ins);
    }
  }
  const steps: AlignmentStep[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const here = cost[i * w + j]!;
    if (i > 0 && j > 0) {
      const same = ref[i - 1] === hyp[j - 1];
      if (cost[(i - 1) * w + j - 1]! + (same ? 0 : 1) === here) {
        steps.push({ op: same ? 'match' : 'substitution', ref: i - 1, hyp: j - 1 });
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && cost[(i - 1) * w + j]! + 1 === here) {
      steps.push({ op: 'deletion', ref: i - 1, hyp: -1 });
      i--;
    } else {
      steps.push({ op: 'insertion', ref: -1, hyp: j - 1 });
      j--;
    }
  }
  return steps.reverse();
}
