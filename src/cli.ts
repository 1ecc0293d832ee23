#!/usr/bin/env node
import { Command } from 'commander';
import { featuresCommand } from './cli/features.js';

const program = new Command('hearken')
  .description('Hearken: offline streaming English speech recognition')
  .version('0.1.0');
program.addCommand(featuresCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`hearken: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
