#!/usr/bin/env node
// `bench` from any folder. Runs the compiled bundle (apps/cli/bundle/, built
// by `pnpm install` and `pnpm build`) while every source it was built from
// has the content it had then; otherwise registers tsx's loader and runs the TypeScript
// itself, so an edited checkout never runs stale code. Either way the command
// runs in this process (no child), so signals reach the run itself.
import { fileURLToPath } from 'node:url';
import { bundleIsFresh } from '../scripts/fresh.mjs';

if (process.env.BENCH_FROM_SOURCE !== '1' && bundleIsFresh(fileURLToPath(new URL('../../../', import.meta.url)))) {
  await import('../bundle/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/main.ts', import.meta.url).href);
}
