// Prompt formatting: preamble, k demonstrations, then the question.
import type { Example, Task, TaskOptions } from '@emergence/core';

export const DEMO_SEPARATOR = '\n\n';

export function buildPrompt(task: Task, example: Example, demos: Example[], options: TaskOptions): string {
  const parts: string[] = [];
  const preamble = task.preamble(options);
  if (preamble) parts.push(preamble);
  for (const d of demos) parts.push(task.formatInput(d, options) + task.formatTarget(d, options));
  parts.push(task.formatInput(example, options));
  return parts.join(DEMO_SEPARATOR);
}
