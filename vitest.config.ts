import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // One file at a time: end-to-end files start a server with two tfjs worker threads, and timing-sensitive checks
    // (event-loop lag, cancel within a step) must not share the 2 cores with another file's server.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
