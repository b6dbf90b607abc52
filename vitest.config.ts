import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-network-guard.ts', 'test/setup-dead-letters.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Newman runs and servers share two cores; parallel files would only add noise.
    fileParallelism: false,
  },
});
