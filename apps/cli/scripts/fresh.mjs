// Whether apps/cli/bundle/ was built from the sources as they are now. The
// build writes BUILT: every file esbuild read (the workspace sources the
// bundle holds) with a hash of its content. The bundle is fresh when each of
// those files still has that content: an edit, a file moved or deleted, a
// checkout of another commit or a copy with old timestamps all count, and a
// new file counts once a bundled file imports it. Hashing the ~150 sources is
// a few milliseconds of start-up.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const STAMP = 'BUILT';

/** The content hash BUILT records for a file (16 hex of SHA-256). */
export function contentHash(bytes) {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** `root`: the repository. True when BUILT exists and every file it lists still has its recorded content. */
export function bundleIsFresh(root) {
  let built;
  try {
    built = JSON.parse(readFileSync(join(root, 'apps/cli/bundle', STAMP), 'utf8'));
  } catch {
    return false;
  }
  const inputs = Object.entries(built.inputs ?? {});
  if (inputs.length === 0) return false;
  for (const [file, hash] of inputs) {
    let bytes;
    try {
      bytes = readFileSync(join(root, file));
    } catch {
      return false;
    }
    if (contentHash(bytes) !== hash) return false;
  }
  return true;
}
