import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A timeout only catches a hang: CI and this machine run the suite beside training and benchmarks, where a
    // recognizer test that takes 10 s alone was measured past 60 s. Nothing here asserts on speed (bench/ does).
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // Two cores: run files in two forks so heavy model tests do not starve each other.
    pool: 'forks',
    maxWorkers: 2,
  },
});
