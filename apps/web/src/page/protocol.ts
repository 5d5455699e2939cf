// Messages between the page and its inference worker. The worker runs the
// whole pipeline (runInPage) so the page's thread stays free for input,
// progress and Stop while a model computes.
import type { RunEvent } from '@emergence/core';
import type { PageRunOptions, PageRunOutcome } from './run.js';

/** What the worker needs to run: everything of PageRunOptions that can cross postMessage. */
export type RunRequest = Omit<PageRunOptions, 'journal' | 'signal' | 'onEvent'>;

export type ToWorker = { type: 'run'; request: RunRequest } | { type: 'stop' };

export type FromWorker =
  | { type: 'event'; event: RunEvent }
  | { type: 'done'; outcome: PageRunOutcome }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };
