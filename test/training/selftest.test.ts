/**
 * The trainer's own end-to-end self-test (training/lcblstm/selftest.py: toy dumps, training, resume, export with
 * ONNX parity, warm start, the device scripts on the CPU, accept-model.sh), run where Debian's PyTorch and onnx are
 * installed, as training/run.sh runs them. Elsewhere it is skipped, and says so.
 */
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

const PY = '/usr/bin/python3';
const SELFTEST = join(ROOT, 'training', 'lcblstm', 'selftest.py');
const OPENBLAS = '/usr/lib/x86_64-linux-gnu/openblas-openmp';

const probe = spawnSync(PY, ['-c', 'import torch, onnx'], { encoding: 'utf8', timeout: 120_000 });
const trainerMissing = probe.status !== 0;
if (trainerMissing) {
  const why = probe.error?.message ?? probe.stderr.trim().split('\n').pop() ?? `exit ${probe.status}`;
  console.warn(`training selftest skipped: ${PY} cannot import torch and onnx (${why}); see training/setup.sh`);
}

describe('training/lcblstm/selftest.py', () => {
  // ~2 minutes alone on two cores; far longer beside training jobs, so only a hang should hit the limit
  it.skipIf(trainerMissing)('trains, resumes, exports and verifies toy models end to end', { timeout: 1_800_000 }, async () => {
    // as training/run.sh runs the trainer: Debian's fast BLAS, one thread per process, no busy-waiting threads
    const env = {
      ...process.env,
      OMP_NUM_THREADS: '1',
      OMP_WAIT_POLICY: 'PASSIVE',
      LD_LIBRARY_PATH: process.env.LD_LIBRARY_PATH ? `${OPENBLAS}:${process.env.LD_LIBRARY_PATH}` : OPENBLAS,
    };
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)(PY, [SELFTEST], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 }));
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`selftest failed: ${e.message}\n${(e.stdout ?? '').slice(-4000)}\n${(e.stderr ?? '').slice(-4000)}`);
    }
    expect(stdout).toContain('export + onnxruntime-node parity + features golden: OK');
    expect(stdout.trimEnd().split('\n').pop()).toBe('ALL OK');
  });
});
