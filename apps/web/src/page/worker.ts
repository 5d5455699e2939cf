// The inference worker: runs a suite on a ladder off the page's thread and
// posts run events back. Samples go to the same IndexedDB store the page
// reads, flushed per batch, so a Stop (which may end this worker outright)
// keeps what was saved.
import { UserError } from '@emergence/core';
import type { FromWorker, ToWorker } from './protocol.js';
import { BrowserJournal } from './journal.js';
import { runInPage } from './run.js';

interface WorkerScope {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
}

export function startWorker(): void {
  const scope = globalThis as unknown as WorkerScope;
  const post = (m: FromWorker) => scope.postMessage(m);
  let stop: AbortController | null = null;
  scope.onmessage = (e) => {
    const message = e.data;
    if (message.type === 'stop') {
      stop?.abort(new Error('stopped'));
      return;
    }
    stop = new AbortController();
    const signal = stop.signal;
    void (async () => {
      try {
        const journal = await BrowserJournal.open();
        const outcome = await runInPage({ ...message.request, journal, signal, onEvent: (event) => post({ type: 'event', event }) });
        post({ type: 'done', outcome });
      } catch (err) {
        if (signal.aborted) post({ type: 'stopped' });
        else post({ type: 'failed', message: err instanceof UserError ? err.format() : err instanceof Error ? err.message : String(err) });
      }
    })();
  };
}
