import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-network-guard.ts', 'test/setup-dead-letters.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two files at a time, one a core: every server a test starts listens on a port of its own,
    // and the clients' runs wait on I/O as much as on CPU. Measured on this machine (2 cores):
    // CI=true vitest run took 507-591 s one file at a time, 344 s two at a time, all green.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
