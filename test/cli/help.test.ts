import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { evalCommand } from '../../src/cli/eval.js';
import { featuresCommand } from '../../src/cli/features.js';
import { lmCommand } from '../../src/cli/lm.js';
import { punctuationCommand } from '../../src/cli/punctuation.js';
import { serveCommand } from '../../src/cli/serve.js';
import { streamCommand } from '../../src/cli/stream.js';
import { transcribeCommand } from '../../src/cli/transcribe.js';
import { DEFAULT_HOTWORD_BOOST } from '../../src/decoder/beam.js';
import { DEFAULT_END_PADDING, defaultModels } from '../../src/recognizer/index.js';

/** Every command and subcommand with its help text. */
function helps(): [string, string][] {
  const out: [string, string][] = [];
  const visit = (command: Command, prefix: string): void => {
    const name = `${prefix}${command.name()}`;
    out.push([name, command.helpInformation()]);
    for (const sub of command.commands) visit(sub, `${name} `);
  };
  for (const make of [transcribeCommand, streamCommand, evalCommand, featuresCommand, lmCommand, punctuationCommand, serveCommand]) visit(make(), '');
  return out;
}

/** The help line(s) of one option, joined. */
function optionHelp(help: string, flag: string): string {
  const lines = help.split('\n');
  const at = lines.findIndex((l) => new RegExp(`^\\s+${flag}\\b`).test(l));
  if (at < 0) throw new Error(`${flag} is not in the help`);
  let end = at + 1;
  while (end < lines.length && /^\s{10,}\S/.test(lines[end]!) && !/^\s+-/.test(lines[end]!)) end++;
  return lines.slice(at, end).map((l) => l.trim()).join(' ');
}

describe('help texts', () => {
  const all = helps();
  const of = (name: string): string => all.find(([n]) => n === name)![1];

  it('show no empty-list defaults and no pointers to files instead of values', () => {
    for (const [name, help] of all) {
      expect(help, name).not.toContain('(default: [])');
      expect(help, name).not.toMatch(/default\.json/);
    }
  });

  it('show the tuned decoder settings of the shipped model as the defaults', () => {
    const tuned = defaultModels().decoder;
    for (const name of ['transcribe', 'stream', 'eval', 'serve']) {
      const help = of(name);
      expect(optionHelp(help, '--beam'), name).toContain(`(default: ${tuned.beamWidth}`);
      expect(optionHelp(help, '--beam-threshold'), name).toContain(`(default: ${tuned.beamThreshold}`);
      expect(optionHelp(help, '--alpha'), name).toContain(`(default: ${tuned.alpha}`);
      expect(optionHelp(help, '--end-padding'), name).toContain(`(default: ${DEFAULT_END_PADDING}`);
    }
    expect(optionHelp(of('transcribe'), '--hotword')).toContain(`default ${DEFAULT_HOTWORD_BOOST}`);
  });

  it('say what each option does in its own command', () => {
    const serve = of('serve');
    expect(serve).not.toMatch(/each file/);
    expect(optionHelp(serve, '--no-endpoint')).toMatch(/each stream/);
    expect(optionHelp(serve, '--numerals')).toMatch(/every stream/);
    expect(optionHelp(serve, '--punctuate')).toMatch(/every stream/);
    expect(optionHelp(of('transcribe'), '--no-endpoint')).toMatch(/each file/);
    expect(optionHelp(of('stream'), '--no-endpoint')).toMatch(/the input/);
    expect(optionHelp(of('transcribe'), '--format')).toMatch(/jsonl/);
    expect(optionHelp(of('transcribe'), '--max-duration')).toMatch(/TOO_LONG/);
    expect(optionHelp(of('stream'), '--rate')).toMatch(/raw PCM/);
  });
});
