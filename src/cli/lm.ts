/**
 * `hearken lm ...` sub-commands: build an ARPA model from text, mix two, compile one to the binary format, or measure
 * perplexity. Exported as a factory so src/cli.ts can register it; also runnable directly with
 * `npx tsx src/cli/lm.ts build ...`.
 */
import { statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { arpaFileBytes, parseArpa } from '../lm/arpa.js';
import { type BinaryLmBits, binaryLmBytes } from '../lm/binary.js';
import { writeArpa } from '../lm/build.js';
import { loadLanguageModelFile } from '../lm/load.js';
import { mixArpa } from '../lm/mix.js';
import { prepareCorpusLine, readSentences } from '../lm/corpus.js';
import { perplexity } from '../lm/perplexity.js';
import { collect, positiveInt } from './options.js';

function quantisationBits(v: string): BinaryLmBits {
  const n = Number(v);
  if (n !== 8 && n !== 16 && n !== 32) throw new InvalidArgumentError('expected 8, 16 or 32');
  return n;
}

function unitInterval(v: string): number {
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
}

function nonNegativeInt(v: string, prev: number[] | undefined): number[] {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected non-negative integers');
  return [...(prev ?? []), n];
}

/** A model file's bytes: Hearken's binary format when the name ends in .hklm, else ARPA text (gzip for .gz). */
function modelFileBytes(path: string, arpa: string | readonly string[], bits: BinaryLmBits): Buffer {
  return path.endsWith('.hklm') ? binaryLmBytes(parseArpa(arpa), { bits }) : arpaFileBytes(path, arpa);
}

const OUTPUT_HELP = 'output model: binary when the name ends in .hklm, else ARPA text (gzip-compressed when it ends in .gz)';
const BITS_HELP = 'bits per probability and back-off of orders 2 and up in a .hklm output: 8, 16, or 32 (exact)';

export function lmCommand(): Command {
  const lm = new Command('lm').description('n-gram language model tools');

  lm.command('build')
    .description('build an interpolated modified Kneser-Ney model from text files (one sentence per line)')
    .argument('<files...>', 'text files, one sentence per line (.gz too); manifests (.tsv) give their transcripts; a directory holds books, one a file')
    .requiredOption('-o, --output <file>', OUTPUT_HELP)
    .option('--bits <n>', BITS_HELP, quantisationBits, 16 as BinaryLmBits)
    .option('--order <n>', 'n-gram order', positiveInt, 3)
    .option('--prune <counts...>', 'per-order count thresholds, e.g. 0 1 1 drops singleton bigrams and trigrams', nonNegativeInt)
    .option('--exclude <file>', 'hold these sentences out: a text file or manifest as for <files> (repeatable; default: none)', collect)
    .action((files: string[], opts: { output: string; order: number; prune?: number[]; exclude?: string[]; bits: BinaryLmBits }) => {
      const t0 = performance.now();
      const exclude = [...readSentences(opts.exclude ?? [])];
      const parts: string[] = [];
      const stats = writeArpa(readSentences(files), (text) => parts.push(text), { order: opts.order, prune: opts.prune, exclude });
      writeFileSync(opts.output, modelFileBytes(opts.output, parts, opts.bits));
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      process.stdout.write(
        `${opts.output}: ${stats.sentences} sentences${stats.excluded ? ` (${stats.excluded} held out)` : ''}, ${stats.tokens} tokens, vocabulary ${stats.vocabulary}\n` +
          stats.counts.map((c, i) => `  ${i + 1}-grams: ${c}  D=${stats.discounts[i]!.map((d) => d.toFixed(3)).join('/')}`).join('\n') +
          `\n  ${(statSync(opts.output).size / 1e6).toFixed(1)} MB in ${secs} s\n`,
      );
    });

  lm.command('mix')
    .description('interpolate two models of the same order into one: (1 - weight) * first + weight * second')
    .argument('<first>', 'ARPA (plain or .gz) or binary model')
    .argument('<second>', 'ARPA (plain or .gz) or binary model')
    .requiredOption('--weight <w>', 'weight of the second model, 0 to 1', unitInterval)
    .requiredOption('-o, --output <file>', OUTPUT_HELP)
    .option('--bits <n>', BITS_HELP, quantisationBits, 16 as BinaryLmBits)
    .action((first: string, second: string, opts: { weight: number; output: string; bits: BinaryLmBits }) => {
      const t0 = performance.now();
      const arpa = mixArpa(loadLanguageModelFile(first), loadLanguageModelFile(second), { weight: opts.weight });
      writeFileSync(opts.output, modelFileBytes(opts.output, arpa, opts.bits));
      const mixed = loadLanguageModelFile(opts.output);
      process.stdout.write(
        `${opts.output}: ${mixed.counts.map((c, i) => `${i + 1}-grams ${c}`).join(', ')}\n` +
          `  ${(statSync(opts.output).size / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
      );
    });

  lm.command('compile')
    .description('convert a model to Hearken\'s binary format: a smaller file that loads faster, in a fraction of the memory')
    .argument('<model>', 'ARPA model (plain or .gz) or binary model')
    .requiredOption('-o, --output <file>', 'output binary model (e.g. en-3gram.hklm)')
    .option('--bits <n>', BITS_HELP.replace(' in a .hklm output', ''), quantisationBits, 16 as BinaryLmBits)
    .action((input: string, opts: { output: string; bits: BinaryLmBits }) => {
      const t0 = performance.now();
      const model = loadLanguageModelFile(input);
      writeFileSync(opts.output, binaryLmBytes(model, { bits: opts.bits }));
      const t1 = performance.now();
      const back = loadLanguageModelFile(opts.output);
      const loadMs = performance.now() - t1;
      process.stdout.write(
        `${opts.output}: ${back.counts.map((c, i) => `${i + 1}-grams ${c}`).join(', ')}, ${opts.bits} bits\n` +
          `  ${(statSync(opts.output).size / 1e6).toFixed(1)} MB (from ${(statSync(input).size / 1e6).toFixed(1)} MB) in ${((t1 - t0) / 1000).toFixed(1)} s; ` +
          `loads in ${(loadMs / 1000).toFixed(2)} s\n`,
      );
    });

  lm.command('ppl')
    .description('perplexity of a model on text files (normalised like the training text)')
    .argument('<model>', 'ARPA (plain or .gz) or binary model')
    .argument('<files...>', 'text files')
    .action((modelPath: string, files: string[]) => {
      const t0 = performance.now();
      const model = loadLanguageModelFile(modelPath);
      const loadMs = performance.now() - t0;
      const sentences = [...readSentences(files)].map(prepareCorpusLine).filter((s): s is string[] => s !== null);
      const r = perplexity(model, sentences);
      process.stdout.write(
        `loaded ${model.counts.join('/')} n-grams in ${loadMs.toFixed(0)} ms\n` +
          `perplexity ${r.perplexity.toFixed(1)} over ${r.tokens} tokens, ${r.sentences} sentences, ${r.oovs} OOV\n`,
      );
    });

  return lm;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  lmCommand().name('lm').parseAsync(process.argv).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
