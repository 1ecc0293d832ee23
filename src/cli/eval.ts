import { Command } from 'commander';
import { confidenceQuality, scoreWords, type ScoredWord } from '../text/confidence.js';
import { WerAccumulator } from '../text/wer.js';
import { readManifest } from '../util/manifest.js';
import { transcribeFiles } from '../recognizer/batch.js';
import { grammarFromFlags, positiveInt, recognizerOptions, withDecodingFlags, withGrammarFlags, type DecodingFlags, type GrammarFlags } from './options.js';

interface EvalFlags extends DecodingFlags, GrammarFlags {
  workers?: number;
  verbose?: boolean;
  json?: boolean;
}

export function evalCommand(): Command {
  const command = new Command('eval')
    .description('word and character error rates of the recognizer on a manifest (file<TAB>transcript)')
    .argument('<manifest>', 'manifest.tsv; paths relative to it')
    .option('--workers <n>', 'worker threads (default: all cores)', positiveInt)
    .option('--verbose', 'print each reference and hypothesis')
    .option('--json', 'print the summary as JSON');
  return withDecodingFlags(withGrammarFlags(command)).action(async (manifest: string, flags: EvalFlags) => {
    const grammar = await grammarFromFlags(flags);
    const entries = await readManifest(manifest);
    const wer = new WerAccumulator();
    const scored: ScoredWord[] = [];
    let failed = 0;
    let audio = 0;
    let compute = 0;
    const outcomes = await transcribeFiles(entries.map((e) => e.path), { recognizer: recognizerOptions(flags), grammar, workers: flags.workers });
    outcomes.forEach((outcome, i) => {
      const entry = entries[i]!;
      if (!outcome.ok) {
        failed++;
        process.stderr.write(`hearken: skipped ${entry.file}: ${outcome.error}\n`);
        return;
      }
      audio += outcome.audioSeconds;
      compute += outcome.computeSeconds;
      const edits = wer.add(entry.transcript, outcome.result.text);
      scored.push(...scoreWords(entry.transcript, outcome.result.words));
      if (flags.verbose) {
        const errors = edits.substitutions + edits.deletions + edits.insertions;
        process.stdout.write(`${entry.file}\t${errors}/${edits.refWords}\nREF: ${entry.transcript}\nHYP: ${outcome.result.text}\n\n`);
      }
    });
    const r = wer.result();
    const conf = confidenceQuality(scored);
    const summary = {
      manifest, utterances: r.utterances, failed, wer: r.wer, cer: r.cer, substitutions: r.substitutions, deletions: r.deletions, insertions: r.insertions,
      refWords: r.refWords, audioSeconds: audio, rtf: compute / Math.max(audio, 1e-9),
      confidence: { nce: conf.nce, auc: conf.auc, ece: conf.ece, meanConf: conf.meanConf, correctRate: conf.correctRate },
    };
    if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      process.stdout.write(
        `${manifest}: ${r.utterances} utterances, WER ${(r.wer * 100).toFixed(2)}% (S ${r.substitutions} D ${r.deletions} I ${r.insertions} / ${r.refWords} words), ` +
          `CER ${(r.cer * 100).toFixed(2)}%, RTF ${summary.rtf.toFixed(4)}${failed ? `, ${failed} failed` : ''}\n` +
          `word confidence: NCE ${conf.nce.toFixed(3)}, AUC ${conf.auc.toFixed(3)}, calibration error ${conf.ece.toFixed(3)} ` +
          `(mean conf ${conf.meanConf.toFixed(3)}, correct ${conf.correctRate.toFixed(3)} of ${conf.words} words)\n`,
      );
    }
    if (failed > 0) process.exitCode = 1;
  });
}
