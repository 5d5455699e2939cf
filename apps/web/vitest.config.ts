import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End to end: a real Chromium runs real models.
    testTimeout: 300_000,
  },
});
