// Suites from files: load and validate the YAML, and import BBH / BIG-bench
// task JSON named relative to the suite file. Node only.
import { dirname, isAbsolute, resolve } from 'node:path';
import { loadYaml, type Task } from '@emergence/core';
import { importBbh, importBigBench, importLmEval } from './importers.js';
import { resolveSuite, type ImportTask, type ResolvedSuite, type ResolveOverrides } from './suite.js';

export const importTaskFile: ImportTask = (imp, suiteFile): Task => {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(dirname(suiteFile), p));
  const name = imp.name ? { name: imp.name } : {};
  if (imp.format === 'bbh') {
    // `cotPrompt: file` is `prompt: file` with `cot: true` (the first form suites used).
    const prompt = imp.prompt ?? imp.cotPrompt;
    return importBbh(at(imp.path), {
      ...name,
      ...(prompt ? { prompt: at(prompt) } : {}),
      cot: imp.cot ?? imp.cotPrompt !== undefined,
      ...(imp.maxTokens ? { maxTokens: imp.maxTokens } : {}),
    });
  }
  if (imp.format === 'lm-eval') return importLmEval(at(imp.path), name);
  return importBigBench(at(imp.path), { ...name, ...(imp.subtask ? { subtask: imp.subtask } : {}), ...(imp.kind ? { kind: imp.kind } : {}) });
};

export function loadSuite(file: string, overrides: Omit<ResolveOverrides, 'importTask'> = {}): ResolvedSuite {
  const suite = loadYaml(file, 'suite');
  return resolveSuite(suite, file, { ...overrides, importTask: importTaskFile });
}
