// The package layers, enforced: every workspace package's dependencies and
// every @emergence import in its source must be allowed by layers.json at the
// repository root (one checked-in description), so an upward import fails CI.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const allowed = JSON.parse(readFileSync(join(root, 'layers.json'), 'utf8')) as Record<string, string[] | string>;

function packageDirs(): string[] {
  return ['packages', 'apps', 'tools'].flatMap((group) =>
    readdirSync(join(root, group))
      .map((d) => join(root, group, d))
      .filter((d) => existsSync(join(d, 'package.json'))),
  );
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|tsx|mts|js|mjs)$/.test(name) && !/\.test\.tsx?$/.test(name) && !path.includes('__fixtures__') ? [path] : [];
  });
}

/** `<file> imports <package>` for every @emergence import the package may not make. */
function upwardImports(name: string, files: { path: string; text: string }[]): string[] {
  const may = new Set(allowed[name] as string[]);
  const out: string[] = [];
  for (const f of files) {
    for (const m of f.text.matchAll(/(?:from|import)\s*\(?\s*['"](@emergence\/[a-z-]+)/g)) {
      if (m[1] !== name && !may.has(m[1]!)) out.push(`${f.path} imports ${m[1]}`);
    }
  }
  return out;
}

describe('package layers', () => {
  const dirs = packageDirs();

  it('describes every workspace package', () => {
    const names = dirs.map((d) => (JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { name: string }).name);
    expect(names.filter((n) => !(n in allowed))).toEqual([]);
  });

  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string> };
    it(`${pkg.name} depends on and imports only the packages below it`, () => {
      const may = new Set(allowed[pkg.name] as string[]);
      const declared = Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@emergence/'));
      expect(declared.filter((d) => !may.has(d)), `${pkg.name}: dependencies`).toEqual([]);
      const files = [...sourceFiles(join(dir, 'src')), ...sourceFiles(join(dir, 'bin'))].map((f) => ({ path: f.slice(root.length + 1), text: readFileSync(f, 'utf8') }));
      expect(upwardImports(pkg.name, files)).toEqual([]);
    });
  }

  it('catches an upward import, static or dynamic', () => {
    const files = [
      { path: 'packages/ui/src/x.ts', text: "import type { RunEvent } from '@emergence/harness';" },
      { path: 'packages/ui/src/y.ts', text: "const m = await import('@emergence/tasks');\nimport { wilson } from '@emergence/core';" },
    ];
    expect(upwardImports('@emergence/ui', files)).toEqual(['packages/ui/src/x.ts imports @emergence/harness', 'packages/ui/src/y.ts imports @emergence/tasks']);
    const backend = [{ path: 'packages/backends/src/z.ts', text: "import { evaluate } from '@emergence/harness';\nimport { resolveSuite } from '@emergence/tasks';" }];
    expect(upwardImports('@emergence/backends', backend)).toEqual(['packages/backends/src/z.ts imports @emergence/harness', 'packages/backends/src/z.ts imports @emergence/tasks']);
  });
});
