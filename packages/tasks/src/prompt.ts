// Prompt formatting: preamble, k demonstrations, then the question.
import type { Example, Task, TaskOptions } from '@emergence/core';

export const DEMO_SEPARATOR = '\n\n';

export function buildPrompt(task: Task, example: Example, demos: Example[], options: TaskOptions): string {
  const sep = task.separators?.(options) ?? { demos: DEMO_SEPARATOR, afterPreamble: DEMO_SEPARATOR };
  const parts: string[] = [];
  for (const d of demos) parts.push(task.formatInput(d, options) + task.formatTarget(d, options));
  parts.push(task.formatInput(example, options));
  const preamble = task.preamble(options);
  return (preamble ? preamble + sep.afterPreamble : '') + parts.join(sep.demos);
}
