/**
 * How often the recognizer gets an utterance's first and last words right, beside its WER: a model that needs
 * silence to warm up on (or to settle in) loses the words at the clip's edges, which the WER of long utterances
 * hides.  A reference word counts as right when one minimum edit alignment matches it.
 * Usage: npx tsx training/decoder/edge-words.ts MANIFEST... [--workers N] [--model DIR] [--greedy] [--end-padding S] [--json OUT]
 * Training-side dev sets only (training/work/data/*-dev*), never ../shared/eval: this is for choosing.
 */
import { writeFileSync } from 'node:fs';
import { transcribeFiles } from '../../src/recognizer/batch.js';
import { defaultModels } from '../../src/recognizer/recognizer.js';
import type { PortableRecognizerOptions } from '../../src/recognizer/recognizer.js';
import { normalizeText } from '../../src/text/normalize.js';
import { align, WerAccumulator } from '../../src/text/wer.js';
import { readManifest } from '../../src/util/manifest.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const valued = new Set(['--workers', '--model', '--json', '--end-padding']);
const manifests = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !valued.has(all[i - 1] ?? ''));
if (manifests.length === 0) throw new Error('usage: edge-words.ts MANIFEST... [--workers N] [--model DIR] [--greedy] [--end-padding S] [--json OUT]');

// Another model folder is measured at the shipped decoder settings, so that models are compared, not settings
// (a recognizer applies models/default.json's tuned weights only to the shipped model).
const tuned = defaultModels().decoder;
const recognizer: PortableRecognizerOptions = {
  ...(arg('--model')
    ? { model: arg('--model'), beamWidth: tuned.beamWidth, beamThreshold: tuned.beamThreshold, alpha: tuned.alpha, beta: tuned.beta, oovLog10: tuned.oovLog10 }
    : {}),
  ...(process.argv.includes('--greedy') ? { decoding: 'greedy' } : {}),
  ...(arg('--end-padding') !== undefined ? { endPadding: Number(arg('--end-padding')) } : {}),
};
const workers = arg('--workers') ? Number(arg('--workers')) : undefined;

/** Whether the first and last reference words are matched in an alignment with the hypothesis. */
function edgeWordsRight(reference: string, hypothesis: string): { first: boolean; last: boolean } {
  const ref = normalizeText(reference).split(' ').filter(Boolean);
  const hyp = normalizeText(hypothesis).split(' ').filter(Boolean);
  const matched = new Set(align(ref, hyp).filter((s) => s.op === 'match').map((s) => s.ref));
  return { first: matched.has(0), last: matched.has(ref.length - 1) };
}

const report: Record<string, { utterances: number; wer: number; firstRight: number; lastRight: number }> = {};
for (const manifest of manifests) {
  const entries = await readManifest(manifest);
  const outcomes = await transcribeFiles(entries.map((e) => e.path), { recognizer, workers });
  const wer = new WerAccumulator();
  let first = 0;
  let last = 0;
  let n = 0;
  outcomes.forEach((outcome, i) => {
    if (!outcome.ok) throw new Error(`${entries[i]!.file}: ${outcome.error}`);
    const reference = entries[i]!.transcript;
    wer.add(reference, outcome.result.text);
    const edges = edgeWordsRight(reference, outcome.result.text);
    first += Number(edges.first);
    last += Number(edges.last);
    n++;
  });
  report[manifest] = { utterances: n, wer: wer.result().wer, firstRight: first / n, lastRight: last / n };
  const r = report[manifest]!;
  process.stdout.write(`${manifest}: ${n} utterances, WER ${(r.wer * 100).toFixed(2)}%, first word right ${(r.firstRight * 100).toFixed(1)}%, last word right ${(r.lastRight * 100).toFixed(1)}%\n`);
}
const out = arg('--json');
if (out) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
