// Errors a user can act on, and the exit codes the CLI documents.
import { editDistance } from './metrics.js';

export const ExitCode = {
  ok: 0,
  /** Bad flag, bad suite/ladder/result file, unknown task. */
  usage: 2,
  /** A model or backend failed while running. */
  runtime: 3,
  /** `compare` found a regression. */
  regression: 4,
} as const;

/**
 * A problem in what the user gave us (a file, a flag). Printed without a
 * stack trace: `file:line pointer: message`.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly details: { file?: string; line?: number; pointer?: string; hint?: string } = {},
  ) {
    super(message);
    this.name = 'UserError';
  }

  /** One line: where, what, and what to do. */
  format(): string {
    const { file, line, pointer, hint } = this.details;
    const where = [file ? (line ? `${file}:${line}` : file) : '', pointer ? `at ${pointer}` : '']
      .filter(Boolean)
      .join(' ');
    return `${where ? `${where}: ` : ''}${this.message}${hint ? ` (${hint})` : ''}`;
  }
}

/** The closest known name, if it is close enough to be a plausible typo. */
export function suggest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** What an errno means for a file the harness reads or writes, and what to do about it. */
const errnoSentences: Record<string, [string, string]> = {
  ENOSPC: ['the disk is full', 'free some space, or write elsewhere with --out'],
  EDQUOT: ['the disk quota is used up', 'free some space, or write elsewhere with --out'],
  EACCES: ['permission denied', 'choose a folder you can write to, or fix its permissions'],
  EPERM: ['the operation is not permitted', 'choose a folder you can write to, or fix its permissions'],
  EROFS: ['the file system is read-only', 'write elsewhere with --out'],
  EISDIR: ['it is a folder, not a file', 'give a file name'],
  ENOTDIR: ['a part of the path is a file, not a folder', 'check the path'],
  ENOENT: ['it does not exist', 'check the path'],
  EEXIST: ['a file is in the way of a folder on the path', 'check the path'],
  EIO: ['the disk reported an input/output error', 'check the disk; the file may be damaged'],
  EMFILE: ['too many files are open', 'raise the open-file limit (ulimit -n)'],
  ENAMETOOLONG: ['the path is too long', 'use a shorter path'],
};

/** A failed read or write of `file` as a one-line UserError with the fix (errno codes become sentences). */
export function fileError(err: unknown, file: string, action: 'read' | 'write'): UserError {
  if (err instanceof UserError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  const known = code ? errnoSentences[code] : undefined;
  if (known) return new UserError(`cannot ${action}: ${known[0]} (${code})`, { file, hint: known[1] });
  return new UserError(`cannot ${action}: ${(err as Error)?.message ?? String(err)}`, { file });
}
