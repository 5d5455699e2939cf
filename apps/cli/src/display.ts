// How a run is shown: Ink on an interactive terminal, plain lines otherwise
// (no TTY, or CI=true: Ink would print only its final frame).
import React from 'react';
import { formatScale, type Result, type RunEvent } from '@emergence/core';
import { initialProgress, reduceProgress, renderReport, type ProgressState } from '@emergence/ui';
import type { Io } from './cli.js';

export interface RunDisplay {
  event(e: RunEvent): void;
  stop(): Promise<void>;
}

function columns(): number {
  return Math.min(process.stdout.columns || 80, 100);
}

export async function createRunDisplay(interactive: boolean, io: Io): Promise<RunDisplay> {
  let state: ProgressState = initialProgress(Date.now());
  if (!interactive) {
    return {
      event(e) {
        state = reduceProgress(state, e, Date.now());
        const line = plainLine(e, state);
        if (line) io.stderr(`${line}\n`);
      },
      async stop() {},
    };
  }
  const { render } = await import('ink');
  const { RunView } = await import('@emergence/ui/ink');
  const size = () => ({ rows: process.stderr.rows, columns: process.stderr.columns });
  const app = render(React.createElement(RunView, { state, ...size() }), { stdout: process.stderr, patchConsole: false });
  // Redraw ten times a second: often enough for the clock and the bars, cheap for Ink.
  const timer = setInterval(() => {
    state = { ...state, now: Date.now() };
    app.rerender(React.createElement(RunView, { state, ...size() }));
  }, 100);
  return {
    event(e) {
      state = reduceProgress(state, e, Date.now());
    },
    async stop() {
      clearInterval(timer);
      app.rerender(React.createElement(RunView, { state: { ...state, now: Date.now() }, ...size() }));
      app.unmount();
      await app.waitUntilExit().catch(() => {});
    },
  };
}

function plainLine(e: RunEvent, state: ProgressState): string | null {
  switch (e.type) {
    case 'run-start':
      return `bench ${e.suite} on ${e.ladder}: ${e.models.length} models × ${e.tasks.length} tasks`;
    case 'model-loading':
      return `[${e.index + 1}/${e.count}] ${e.model} (${formatScale(state.models.find((m) => m.id === e.model)?.nonEmbeddingParams ?? 0)} non-embedding params) loading`;
    case 'model-loaded':
      return `      loaded in ${e.seconds.toFixed(1)} s on ${e.device}/${e.dtype}, context ${e.contextLength}`;
    case 'model-done': {
      const scores = state.tasks.filter((t) => t.score !== null).map((t) => `${t.id} ${t.score!.toFixed(2)}`);
      return `      done in ${e.seconds.toFixed(1)} s: ${e.samples} new samples, ${e.reused} from the journal${scores.length ? `\n      ${scores.join(' · ')}` : ''}`;
    }
    case 'model-failed':
      return `      FAILED ${e.message}`;
    case 'warning':
      return `      warning: ${e.message}`;
    case 'run-done':
      return `finished in ${e.seconds.toFixed(1)} s`;
    case 'download':
      // One line per file, when it is in the cache (the live view shows the bytes).
      return e.bytes === e.totalBytes ? `downloaded ${e.repo}/${e.file} for ${e.model} (${(e.totalBytes / 1e6).toFixed(1)} MB, file ${e.files} of ${e.totalFiles})` : null;
    default:
      return null;
  }
}

/**
 * The final report is printed as text, also on a terminal: it is taller than
 * the screen, and Ink clears the whole terminal (scrollback included) before
 * a frame taller than the screen, which wiped the user's command, the last
 * live frame and everything before it.
 */
export async function printReport(result: Result, interactive: boolean, io: Io): Promise<void> {
  io.stdout(renderReport(result, interactive ? columns() : 80));
}
