// Samples saved in this browser (IndexedDB), so a reloaded or interrupted run
// resumes where it stopped, as `bench run --resume` does with its journal file.
// A sample's key covers task, example, shots, model, device, dtype and prompt,
// so one store serves every suite and a stale record is never reused.
import type { FailureRecord, SampleRecord } from '@emergence/core';
import type { RecordSink } from '@emergence/harness';

const DB = 'emergence-bench';
const STORE = 'samples';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((ok, fail) => {
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error ?? new Error('IndexedDB request failed'));
  });
}

export class BrowserJournal implements RecordSink {
  private pending: SampleRecord[] = [];
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly db: IDBDatabase) {}

  static async open(): Promise<BrowserJournal> {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'key' });
    return new BrowserJournal(await request(open));
  }

  /** Every saved sample, by key. */
  async load(): Promise<Map<string, SampleRecord>> {
    const all = await request(this.db.transaction(STORE, 'readonly').objectStore(STORE).getAll() as IDBRequest<SampleRecord[]>);
    return new Map(all.map((r) => [r.key, r]));
  }

  async count(): Promise<number> {
    return request(this.db.transaction(STORE, 'readonly').objectStore(STORE).count());
  }

  async clear(): Promise<void> {
    await this.settled();
    await request(this.db.transaction(STORE, 'readwrite').objectStore(STORE).clear());
  }

  append(entry: SampleRecord | FailureRecord): void {
    // A failed model is simply run again next time; only samples are kept.
    if (!('kind' in entry && entry.kind === 'failure')) this.pending.push(entry as SampleRecord);
  }

  /** One transaction per batch; writes stay in order. */
  flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.writing = this.writing.then(
      () =>
        new Promise<void>((ok, fail) => {
          const tx = this.db.transaction(STORE, 'readwrite');
          const store = tx.objectStore(STORE);
          for (const r of batch) store.put(r);
          tx.oncomplete = () => ok();
          tx.onerror = () => fail(tx.error ?? new Error('IndexedDB write failed'));
        }),
    );
  }

  /** Resolves when everything flushed so far is on disk (rejects if a write failed). */
  settled(): Promise<void> {
    return this.writing;
  }
}
