// The explicit list of built-in tasks. A test checks every id has a README
// row, a test and valid metrics.
import { UserError, suggest, type Task } from '@emergence/core';
import { arithmeticTasks } from './arithmetic.js';
import { bbhTasks } from './bbh/index.js';
import { iclTasks } from './icl.js';
import { instructTasks } from './instruct.js';

export const registry: readonly Task[] = [...arithmeticTasks, ...bbhTasks, ...iclTasks, ...instructTasks];

const byId = new Map(registry.map((t) => [t.id, t]));

export function taskIds(): string[] {
  return registry.map((t) => t.id);
}

/** A registered task; a UserError with the nearest id for a typo. */
export function getTask(id: string): Task {
  const task = byId.get(id);
  if (!task) {
    const near = suggest(id, taskIds());
    throw new UserError(`unknown task "${id}"`, { hint: near ? `did you mean "${near}"? \`bench list\` shows all tasks` : '`bench list` shows all tasks' });
  }
  return task;
}
