import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaObject, toYaml, parseValidated } from '@emergence/core';
import { registry } from '@emergence/tasks';
import { fields, formatsDocFile, renderFormatsDoc, undocumented, type SchemaNode } from './formats.js';

const root = resolve(import.meta.dirname, '../..');
const suite = schemaObject('suite') as SchemaNode;
const ladder = schemaObject('ladder') as SchemaNode;

describe('docs/formats.md', () => {
  it('documents every key of the suite and ladder schemas with a description and an example', () => {
    expect(undocumented(suite)).toEqual([]);
    expect(undocumented(ladder)).toEqual([]);
  });

  it('describes every key of the result schema (files people read, so no examples needed)', () => {
    expect(undocumented(schemaObject('result') as SchemaNode, { examples: false })).toEqual([]);
    const doc = renderFormatsDoc();
    for (const f of fields(schemaObject('result') as SchemaNode)) expect(doc).toContain(`| \`${f.path}\` |`);
    expect(doc).toContain('| `tasks[].analysis.discrete.threshold` | object or null |');
    expect(doc).toMatch(/\| `tasks\[\]\.models\[\]\.metrics` \| map of `exactMatch`, .* → object \|/);
  });

  it('is what the generator writes from the schemas today (run `pnpm run docs` after changing a schema)', () => {
    expect(readFileSync(formatsDocFile, 'utf8')).toBe(renderFormatsDoc());
  });

  it('has a section per key, naming type and requirement, and every registered task', () => {
    const doc = renderFormatsDoc();
    for (const f of [...fields(suite), ...fields(ladder)]) expect(doc).toContain(`#### \`${f.path}\``);
    expect(doc).toMatch(/#### `models\[\]\.source\.hub`\n\n\*string · required in the `hub` form · matches/);
    expect(doc).toMatch(/#### `models\[\]\.defaultDtype`[\s\S]*?Default: the first of dtypes\./);
    for (const t of registry) expect(doc).toContain(`| \`${t.id}\` |`);
  });

  it('catches a key added without a description or example', () => {
    const grown = structuredClone(ladder);
    (grown.$defs!.model!.properties as Record<string, SchemaNode>).license = { type: 'string' };
    (grown.properties as Record<string, SchemaNode>).tags = { type: 'array', items: { type: 'string' }, description: 'Free labels.' };
    expect(undocumented(grown)).toEqual(['models[].license: no description and no example', 'tags: no example']);
  });

  it("each schema's complete example validates, and so does each key's example in place", () => {
    for (const [name, schema] of [['suite', suite], ['ladder', ladder]] as const) {
      const example = (schema.examples as unknown[])[0];
      parseValidated(toYaml(example), `${name} example`, name);
      // A key's example substituted into the complete example must still validate.
      for (const f of fields(schema)) {
        for (const value of f.node.examples ?? []) {
          const doc = structuredClone(example) as Record<string, unknown>;
          if (!place(doc, f.path.split('.'), value, f.form, f.choice)) continue;
          expect(() => parseValidated(toYaml(doc), `${name} ${f.path}`, name), `${f.path}: ${JSON.stringify(value)}`).not.toThrow();
        }
      }
    }
  });

  it('is linked from the README', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('](docs/formats.md)');
  });
});

/** Sets `path` (with `[]` meaning the first item) in `doc`; false when the example has no such place. */
function place(doc: Record<string, unknown>, path: string[], value: unknown, form?: string, choice?: string[]): boolean {
  let node: unknown = doc;
  for (const [i, raw] of path.entries()) {
    const key = raw.replace(/\[\]$/, '');
    const last = i === path.length - 1;
    const parent = node as Record<string, unknown>;
    if (last) {
      // A key of one form of a oneOf (source.hub) replaces the whole object with that form.
      if (form && key !== form && parent[form] === undefined) return false;
      if (key === form) for (const k of Object.keys(parent)) delete parent[k];
      for (const k of choice ?? []) delete parent[k];
      parent[key] = value;
      return true;
    }
    node = parent[key];
    if (raw.endsWith('[]')) node = Array.isArray(node) ? node[0] : undefined;
    if (node === undefined || node === null || typeof node !== 'object') return false;
  }
  return false;
}
