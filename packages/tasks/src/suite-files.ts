// Suites from files: load and validate the YAML, and import BBH / BIG-bench
// task JSON named relative to the suite file. Node only.
import { dirname, isAbsolute, resolve } from 'node:path';
import { loadYaml, type Suite, type Task } from '@emergence/core';
import { importBbh, importBigBench } from './importers.js';
import { resolveSuite, type ImportTask, type ResolvedSuite, type ResolveOverrides } from './suite.js';

export const importTaskFile: ImportTask = (imp, suiteFile): Task => {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(dirname(suiteFile), p));
  const opts: { name?: string; cotPrompt?: string } = {};
  if (imp.name) opts.name = imp.name;
  if (imp.format === 'bbh') {
    if (imp.cotPrompt) opts.cotPrompt = at(imp.cotPrompt);
    return importBbh(at(imp.path), opts);
  }
  return importBigBench(at(imp.path), opts);
};

export function loadSuite(file: string, overrides: Omit<ResolveOverrides, 'importTask'> = {}): ResolvedSuite {
  const suite = loadYaml<Suite>(file, 'suite');
  return resolveSuite(suite, file, { ...overrides, importTask: importTaskFile });
}
