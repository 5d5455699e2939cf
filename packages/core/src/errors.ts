// Errors a user can act on, and the exit codes the CLI documents.

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

/** Levenshtein distance; for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest known name, if it is close enough to be a plausible typo. */
export function suggest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
