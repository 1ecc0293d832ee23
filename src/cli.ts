#!/usr/bin/env node
import { Command } from 'commander';
import { enqueueCommand } from './cli/enqueue.js';
import { evalCommand } from './cli/eval.js';
import { featuresCommand } from './cli/features.js';
import { lmCommand } from './cli/lm.js';
import { punctuationCommand } from './cli/punctuation.js';
import { serveCommand } from './cli/serve.js';
import { streamCommand } from './cli/stream.js';
import { transcribeCommand } from './cli/transcribe.js';
import { workerCommand } from './cli/worker.js';

const program = new Command('hearken')
  .description('Hearken: offline streaming English speech recognition')
  .version('0.1.0');
program.addCommand(transcribeCommand());
program.addCommand(streamCommand());
program.addCommand(evalCommand());
program.addCommand(featuresCommand());
program.addCommand(lmCommand());
program.addCommand(punctuationCommand());
program.addCommand(serveCommand());
program.addCommand(workerCommand());
program.addCommand(enqueueCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`hearken: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
