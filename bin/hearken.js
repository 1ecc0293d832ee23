#!/usr/bin/env node
// Runs the compiled CLI (dist/, what the package ships). Only a source checkout without a build runs the
// TypeScript through tsx, a development dependency.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    console.error(`hearken: ${compiled} is missing; run \`npm run build\` in the Hearken checkout (or \`npm install\`, which builds it)`);
    process.exit(1);
  }
  register();
  await import(new URL('../src/cli.ts', import.meta.url).href);
}
