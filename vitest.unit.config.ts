import { defineConfig } from 'vitest/config';

// The fast tier: pure modules only (plan, redactor, token policy, stand-in decisions, report
// model, writers), no build and no server. npm test runs these too, with everything else.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    // The network guard, in-process: a pure test has no reason to reach anywhere.
    setupFiles: ['test/setup-network-guard.ts'],
    testTimeout: 10_000,
  },
});
