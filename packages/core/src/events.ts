// The typed event stream a run emits for whoever draws it (the Ink UI, plain
// text, JSON). The runner never draws.

export type RunEvent =
  /** Bytes of a Hub model's file arriving in the cache (before the run starts, or as a model loads). */
  | { type: 'download'; model: string; repo: string; file: string; bytes: number; totalBytes: number; files: number; totalFiles: number }
  | { type: 'run-start'; suite: string; ladder: string; models: { id: string; params: number; nonEmbeddingParams: number }[]; tasks: { id: string; total: number }[] }
  | { type: 'model-loading'; model: string; index: number; count: number }
  | { type: 'model-loaded'; model: string; seconds: number; device: string; dtype: string; contextLength: number }
  | { type: 'progress'; model: string; task: string; done: number; total: number; score: number | null; metric: string }
  | { type: 'warning'; model?: string; message: string }
  | { type: 'model-failed'; model: string; message: string }
  | { type: 'model-done'; model: string; seconds: number; samples: number; reused: number }
  | { type: 'run-done'; seconds: number };

export type RunListener = (event: RunEvent) => void;
