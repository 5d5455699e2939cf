// Git revision of the working tree, so every result can be traced to its code.
import { execFileSync } from 'node:child_process';

export interface GitRevision {
  commit: string;
  dirty: boolean;
}

/** Commit hash and whether tracked files differ from it; `unknown` outside a repository. */
export function gitRevision(cwd: string = process.cwd()): GitRevision {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git('rev-parse', 'HEAD');
    // Untracked files (run folders, caches) and committed results do not change
    // what the code computes: a suite run after another one's result was
    // rewritten is still a clean run.
    const dirty = git('status', '--porcelain', '--untracked-files=no', '--', ':/', ':(top,exclude)results') !== '';
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}
