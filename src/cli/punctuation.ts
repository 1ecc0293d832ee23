/**
 * `hearken punctuation ...`: build the punctuation model from punctuated text, measure it on the units the
 * build held out, or punctuate lines of recogniser-style text from stdin.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Command, InvalidArgumentError, Option } from 'commander';
import { readSentences } from '../lm/corpus.js';
import { DEFAULT_PUNCTUATION_PRUNE, buildPunctuationModel, punctuationModelFiles, readUnits, type Split } from '../punctuation/build.js';
import { evaluatePunctuation, type Prf } from '../punctuation/evaluate.js';
import { PUNCTUATION_DIR, PunctuationModel } from '../punctuation/model.js';

function nonNegativeInt(v: string, prev: number[] | undefined): number[] {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected non-negative integers');
  return [...(prev ?? []), n];
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}`;
const prf = (s: Prf): string => `P ${pct(s.precision)}  R ${pct(s.recall)}  F1 ${pct(s.f1)}  (${s.support})`;

export function punctuationCommand(): Command {
  const command = new Command('punctuation').description('punctuation and case model for display (the punctuate option)');

  command
    .command('build')
    .description('build the hidden-event LM and case table from punctuated text (every 20th unit held out for eval, another for dev)')
    .argument('<files...>', 'punctuated text files, one sentence or paragraph per line (../shared/corpus/*.txt)')
    .requiredOption('-o, --output <dir>', 'model folder to write (models/punctuation)')
    .option('--prune <counts...>', `per-order count thresholds (default ${DEFAULT_PUNCTUATION_PRUNE.join(' ')})`, nonNegativeInt)
    .action((files: string[], opts: { output: string; prune?: number[] }) => {
      const t0 = performance.now();
      const build = buildPunctuationModel(readSentences(files), { prune: opts.prune });
      mkdirSync(opts.output, { recursive: true });
      const lines: string[] = [];
      for (const [name, bytes] of Object.entries(punctuationModelFiles(build))) {
        const path = join(opts.output, name);
        writeFileSync(path, bytes);
        lines.push(`  ${path}: ${(statSync(path).size / 1e6).toFixed(2)} MB`);
      }
      const { stats } = build;
      process.stdout.write(
        `units: ${stats.units.train} train, ${stats.units.dev} dev, ${stats.units.test} test; ${stats.tokens} tokens, vocabulary ${stats.vocabulary}\n` +
          `  n-grams ${stats.counts.join('/')}, case table ${build.caseTable.split('\n').length - 1} words\n${lines.join('\n')}\n` +
          `  ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
      );
    });

  command
    .command('eval')
    .description('punctuation P/R/F1, sentence-boundary F1 and case accuracy on the units the build held out')
    .argument('<files...>', 'the text files the model was built from, in the same order')
    .option('--model <dir>', 'model folder', PUNCTUATION_DIR)
    .addOption(new Option('--split <split>', 'held-out part').choices(['test', 'dev']).default('test'))
    .option('--json', 'print JSON')
    .action((files: string[], opts: { model: string; split: Split; json?: boolean }) => {
      const model = PunctuationModel.load(opts.model);
      const units = [...readUnits(readSentences(files))].filter((u) => u.split === opts.split).map((u) => u.unit);
      const t0 = performance.now();
      const r = evaluatePunctuation(model, units);
      const wordsPerSecond = r.words / ((performance.now() - t0) / 1000);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...r, wordsPerSecond }, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `${opts.split}: ${r.units} units, ${r.words} words (${Math.round(wordsPerSecond)} words/s)\n` +
          `  comma     ${prf(r.marks.comma)}\n  period    ${prf(r.marks.period)}\n  question  ${prf(r.marks.question)}\n` +
          `  all marks ${prf(r.overall)}\n  sentence boundary ${prf(r.sentenceBoundary)}\n` +
          `  last mark right ${pct(r.finalMarkAccuracy)} %\n` +
          `  case accuracy ${pct(r.caseAccuracy)} % (first word only: ${pct(r.caseBaseline)} %), mid-sentence capitals ${pct(r.capitalisedRecall)} %\n`,
      );
    });

  command
    .command('apply')
    .description('punctuate and case lines of lowercase words from stdin (each line one utterance)')
    .option('--model <dir>', 'model folder', PUNCTUATION_DIR)
    .action(async (opts: { model: string }) => {
      const model = PunctuationModel.load(opts.model);
      for await (const line of createInterface({ input: process.stdin })) process.stdout.write(`${model.punctuateText(line)}\n`);
    });

  return command;
}
