import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AcousticModel, ModelLoadError, type ModelErrorCode } from '../../src/model/index.js';
import { TINY_MODEL, tempDir } from '../helpers.js';

function brokenCopy(change: (dir: string) => void): string {
  const dir = join(tempDir(), 'model');
  cpSync(TINY_MODEL, dir, { recursive: true });
  change(dir);
  return dir;
}

function editCard(dir: string, edit: (card: Record<string, unknown>) => void): void {
  const path = join(dir, 'model.json');
  const card = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(card);
  writeFileSync(path, JSON.stringify(card));
}

describe('AcousticModel.load errors', () => {
  const cases: { name: string; dir: () => string; code: ModelErrorCode; message: RegExp }[] = [
    { name: 'missing folder', dir: () => join(tempDir(), 'nope'), code: 'NOT_FOUND', message: /cannot read model\.json/ },
    { name: 'missing model.onnx', dir: () => brokenCopy((d) => rmSync(join(d, 'model.onnx'))), code: 'NOT_FOUND', message: /model\.onnx is missing/ },
    { name: 'truncated model.json', dir: () => brokenCopy((d) => writeFileSync(join(d, 'model.json'), readFileSync(join(d, 'model.json'), 'utf8').slice(0, 100))), code: 'BAD_CARD', message: /not valid JSON/ },
    { name: 'unknown format', dir: () => brokenCopy((d) => editCard(d, (c) => { c.format = 'kaldi'; })), code: 'BAD_CARD', message: /unknown format/ },
    { name: 'feature mismatch', dir: () => brokenCopy((d) => editCard(d, (c) => { (c.featureConfig as Record<string, unknown>).inputScale = 1; })), code: 'FEATURE_MISMATCH', message: /inputScale: 1 vs 32768/ },
    { name: 'bad normalisation', dir: () => brokenCopy((d) => editCard(d, (c) => { (c.normalization as Record<string, unknown>).std = [1, 2]; })), code: 'BAD_CARD', message: /normalization\.std/ },
    { name: 'truncated model.onnx', dir: () => brokenCopy((d) => writeFileSync(join(d, 'model.onnx'), readFileSync(join(d, 'model.onnx')).subarray(0, 5000))), code: 'BAD_ONNX', message: /could not be loaded/ },
    { name: 'tensor names the graph lacks', dir: () => brokenCopy((d) => editCard(d, (c) => { ((c.onnx as Record<string, Record<string, unknown>>).inputs!).features = 'mfcc'; })), code: 'BAD_ONNX', message: /lacks the tensors.*mfcc/ },
  ];
  for (const { name, dir, code, message } of cases) {
    it(`${name} → ${code}`, async () => {
      const error = await AcousticModel.load(dir()).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(ModelLoadError);
      expect((error as ModelLoadError).code).toBe(code);
      expect((error as ModelLoadError).message).toMatch(message);
    });
  }
});
