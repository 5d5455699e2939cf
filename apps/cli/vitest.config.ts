import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // End-to-end runs spawn the real command on real models.
    testTimeout: 300_000,
  },
});
