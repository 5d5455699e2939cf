// What the page can run, as the server found it on disk: suites, ladders and,
// for every model and dtype, whether its files are here (or why not). Shared
// by the server (which builds it) and the page (which reads it).
import type { GitRevision } from '@emergence/core';

export interface ManifestSuite {
  name: string;
  /** Served at /suites/<file>; `path` is the repository path, for error messages. */
  file: string;
  path: string;
  /** Why the page cannot run it (imported tasks read files), or null. */
  unavailable: string | null;
}

export interface ManifestModel {
  id: string;
  /** dtype → null when its files are served, else what is wrong and the fix. */
  dtypes: Record<string, { detail: string; fix: string } | null>;
}

export interface ManifestLadder {
  name: string;
  file: string;
  path: string;
  /** Why the ladder cannot be used at all (it does not validate), or null. */
  error: string | null;
  models: ManifestModel[];
}

export interface Manifest {
  git: GitRevision;
  suites: ManifestSuite[];
  ladders: ManifestLadder[];
  /** Committed results the page can compare with, as `<suite>/<ladder>.yaml` under /results/. */
  results: string[];
  /** Package versions of what computes the numbers in the page. */
  runtime: Record<string, string>;
}

/** Where the page finds model `id` of `ladder`: a path (not a URL), as transformers.js wants for local models. */
export function modelRoot(ladder: string): string {
  return `/models/${ladder}/`;
}
