import { defineConfig } from 'vitest/config';

// The end-to-end tests start real processes by the hundred on a 2-core machine: run files one at a
// time so they do not starve each other, and give each test room (never used as a timing assertion).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    // Only the matrix test runs its cases concurrently; two at a time suits a 2-core machine.
    maxConcurrency: 2,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Tests must not write to a CI job's summary (see the file).
    setupFiles: ['test/setup/isolate-env.ts'],
  },
});
