// Whether apps/cli/bundle/ is newer than everything it was built from: the
// sources of the CLI and of the workspace packages it bundles, their
// package.json files, and the folders themselves (a deleted file changes its
// folder's time). Stat calls only: ~300 entries, a few milliseconds.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const STAMP = 'BUILT';
const BUNDLED = ['apps/cli', 'packages/core', 'packages/tasks', 'packages/ui', 'packages/backends', 'packages/harness'];
const SKIP = new Set(['node_modules', 'dist', 'bundle', '__fixtures__', '.turbo']);

function newest(path) {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  let t = s.mtimeMs;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    t = Math.max(t, e.isDirectory() ? newest(join(path, e.name)) : statSync(join(path, e.name)).mtimeMs);
  }
  return t;
}

/** `root`: the repository. True when the bundle exists and nothing it depends on changed after it was built. */
export function bundleIsFresh(root) {
  const built = statSync(join(root, 'apps/cli/bundle', STAMP), { throwIfNoEntry: false });
  if (!built) return false;
  for (const pkg of BUNDLED) {
    if (newest(join(root, pkg, 'src')) > built.mtimeMs || newest(join(root, pkg, 'schemas')) > built.mtimeMs) return false;
    if ((statSync(join(root, pkg, 'package.json'), { throwIfNoEntry: false })?.mtimeMs ?? 0) > built.mtimeMs) return false;
  }
  return true;
}
