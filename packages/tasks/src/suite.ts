// A suite resolved into concrete task runs: task, options, shots and test
// examples, with every problem reported against the suite file. Portable: the
// file side (loading YAML, importing task JSON) is in suite-files.ts.
import { UserError, type Example, type Suite, type SuiteTaskEntry, type Task, type TaskOptions } from '@emergence/core';
import { getTask } from './registry.js';

export interface TaskRun {
  /** Display id, unique in the suite (task id plus its variant). */
  id: string;
  task: Task;
  options: TaskOptions;
  n: number;
  shots: number[];
  examples: Example[];
}

export interface ResolvedSuite {
  /** The suite with its defaults filled in (shots). */
  suite: Suite & { shots: number[] };
  runs: TaskRun[];
}

/** `arithmetic/addition` + {digits: 3, cot: true} → `arithmetic/addition-digits3-cot`. */
export function variantId(task: Task, options: TaskOptions): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (task.defaults[key] === value) continue;
    if (typeof value === 'boolean') parts.push(value ? key : `no-${key}`);
    else if (typeof value === 'number') parts.push(`${key}${value}`);
    else parts.push(value);
  }
  return [task.id, ...parts].join('-');
}

/** Builds a task from a suite's `import:` entry (reads files, so only Node provides one). */
export type ImportTask = (entry: NonNullable<SuiteTaskEntry['import']>, suiteFile: string) => Task;

export interface ResolveOverrides {
  n?: number;
  seed?: number;
  importTask?: ImportTask;
}

function taskFor(entry: SuiteTaskEntry, suiteFile: string, importTask: ImportTask | undefined): Task {
  if (entry.task) return getTask(entry.task);
  if (!importTask) throw new UserError('imported tasks read files from disk, which this page cannot', { hint: 'run this suite with the `bench` command' });
  return importTask(entry.import!, suiteFile);
}

export function resolveSuite(suite: Suite, file: string, overrides: ResolveOverrides = {}): ResolvedSuite {
  const seed = overrides.seed ?? suite.seed;
  const runs: TaskRun[] = [];
  const ids = new Set<string>();
  suite.tasks.forEach((entry, i) => {
    const pointer = `/tasks/${i}`;
    try {
      const task = taskFor(entry, file, overrides.importTask);
      const options = task.resolveOptions(entry.options ?? {});
      const id = entry.id ?? variantId(task, options);
      if (ids.has(id)) throw new UserError(`two entries resolve to the same id "${id}"`, { hint: 'give one of them an explicit `id:`' });
      ids.add(id);
      const n = overrides.n ?? entry.n ?? suite.n;
      const shots = entry.shots ?? suite.shots ?? [0];
      const examples = task.examples(seed, n, options);
      // Fail now, not mid-run, when a shot count cannot be met.
      if (examples[0]) task.fewShot(examples[0], Math.max(...shots), seed, options);
      runs.push({ id, task, options, n, shots: [...shots].sort((a, b) => a - b), examples });
    } catch (err) {
      if (err instanceof UserError) {
        // The same class (TooFewItemsError stays one), now naming the suite file and entry.
        const Same = err.constructor as typeof UserError;
        throw new Same(err.message, { ...err.details, file: err.details.file ?? file, pointer: err.details.pointer ? err.details.pointer : pointer });
      }
      throw err;
    }
  });
  return { suite: { ...suite, seed, shots: suite.shots ?? [0] }, runs };
}
