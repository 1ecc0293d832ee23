// The package as users meet it: `npm pack`, then `npm install <tarball>` in an empty project with no flags,
// no environment and no .npmrc of ours, then `npx hearken transcribe` and `hearken/testing` from that project.
// On a machine that reaches only the npm registry this is the install that onnxruntime-node's GPU download broke.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecognizer } from '../../src/recognizer/recognizer.js';
import { normalizeText } from '../../src/text/normalize.js';
import { ROOT, SAMPLES, tempDir } from '../helpers.js';

const run = promisify(execFile);
const MAX_PACKAGE_BYTES = 30 * 1024 * 1024;
const FIXTURE = 'tts-flite-stella.wav';
const FIXTURE_TEXT = 'please call stella and ask her to bring these things with her from the store';

/**
 * The environment of a user's shell: none of the npm_config_* (the repo's own settings, when the tests run under
 * `npm test`), npm_package_* or ONNX Runtime install switches that would make the install pass for the wrong reason.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|ONNXRUNTIME_NODE_INSTALL|INIT_CWD$|VITEST|NODE_OPTIONS$)/i.test(key)) continue;
    env[key] = value;
  }
  return env;
}

/** Bytes of every file under `dir`. */
function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? treeBytes(path) : entry.isFile() ? statSync(path).size : 0;
  }
  return total;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

interface PackInfo {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

// Packing, installing and each run of the installed CLI take minutes on a loaded machine: generous limits.
describe('npm pack → npm install <tarball> in an empty project → npx hearken', { timeout: 600_000 }, () => {
  let work: string;
  let pack: PackInfo;
  let tarball: string;
  let app: string;

  beforeAll(async () => {
    work = tempDir('hearken-package-');
    // Pack a copy, so the build that `npm pack` runs (prepare) never touches this checkout's dist/.
    const source = join(work, 'source');
    mkdirSync(source);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    for (const entry of [...manifest.files.filter((f) => f !== 'dist'), 'src', 'package.json', 'package-lock.json', 'tsconfig.json', 'README.md', 'LICENSE']) {
      if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(source, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
    const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: source, env: userEnv(), maxBuffer: 64 << 20 });
    pack = (JSON.parse(packed.stdout) as PackInfo[])[0]!;
    tarball = join(work, pack.filename);

    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'voice-app', version: '1.0.0', private: true, type: 'module' }));
    // --prefer-offline: from npm's cache where it holds the dependencies; the registry otherwise. No other flag.
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app, env: userEnv(), maxBuffer: 64 << 20 });
    cpSync(join(SAMPLES, FIXTURE), join(app, 'x.wav'));
    cpSync(join(SAMPLES, FIXTURE), join(app, 'y.wav'));
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the tarball: under 30 MB packed and unpacked, a LICENSE, compiled JS without source maps, no TypeScript sources', () => {
    const paths = pack.files.map((f) => f.path);
    expect(pack.size).toBeLessThan(MAX_PACKAGE_BYTES);
    expect(pack.unpackedSize).toBeLessThan(MAX_PACKAGE_BYTES);
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('dist/cli.js');
    expect(paths).toContain('dist/testing/index.js');
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
    expect(readFileSync(join(app, 'node_modules', 'hearken', 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('installs hearken under 30 MB, with no TypeScript runner (tsx, esbuild) among its dependencies', () => {
    const installed = join(app, 'node_modules', 'hearken');
    expect(treeBytes(installed)).toBeLessThan(MAX_PACKAGE_BYTES);
    expect(filesUnder(installed).filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(existsSync(join(app, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'esbuild'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'onnxruntime-node'))).toBe(true);
  });

  it('`npx hearken transcribe` from the project prints what the library in this checkout hears, one file or several on workers', async () => {
    const { stdout } = await run('npx', ['--no', 'hearken', 'transcribe', 'x.wav'], { cwd: app, env: userEnv(), maxBuffer: 16 << 20 });
    const recognizer = await createRecognizer();
    const expected = (await recognizer.transcribeFile(join(SAMPLES, FIXTURE))).text;
    await recognizer.close();
    expect(expected).not.toBe('');
    expect(normalizeText(stdout)).toBe(normalizeText(expected));
    // several files go to worker threads, which must load the compiled workers from dist/
    const both = await run('npx', ['--no', 'hearken', 'transcribe', '--workers', '2', '--no-progress', 'x.wav', 'y.wav'], { cwd: app, env: userEnv(), maxBuffer: 16 << 20 });
    expect(normalizeText(both.stdout).split(normalizeText(expected)).length - 1).toBe(2);
  });

  it('`hearken`, `hearken/testing` and the building-block subpaths import from the project (the package exports)', async () => {
    const script = [
      "import { createRecognizer, HearkenError, OptionsError } from 'hearken';",
      "import { transcriptionScore } from 'hearken/testing';",
      "import { decodeWav } from 'hearken/audio';",
      "import { BeamSearchDecoder } from 'hearken/decoder';",
      "import { parseArpa } from 'hearken/lm';",
      "import { TranscriptionQueue } from 'hearken/queue';",
      `const score = await transcriptionScore('x.wav', ${JSON.stringify(FIXTURE_TEXT)});`,
      'const subpaths = [decodeWav, BeamSearchDecoder, parseArpa, TranscriptionQueue].map((f) => typeof f);',
      'const refused = await createRecognizer({ beamWidth: 0 }).catch((e) => e instanceof OptionsError && e instanceof HearkenError && e.code);',
      'console.log(JSON.stringify({ wer: score.wer, heard: score.heardText, create: typeof createRecognizer, subpaths, refused }));',
    ].join('\n');
    writeFileSync(join(app, 'check.mjs'), script);
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: app, env: userEnv() });
    const out = JSON.parse(stdout) as { wer: number; heard: string; create: string; subpaths: string[]; refused: unknown };
    expect(out.create).toBe('function');
    expect(out.subpaths).toEqual(['function', 'function', 'function', 'function']);
    expect(out.refused).toBe('INVALID_OPTION');
    expect(out.heard).not.toBe('');
    expect(out.wer).toBeLessThan(0.5);
  });
});
