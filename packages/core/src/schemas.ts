// JSON Schemas (draft 2020-12) for suite, ladder and result YAML, compiled
// once with ajv. The schema files live in packages/core/schemas/ so YAML files
// can point editors at them with a `# yaml-language-server: $schema=` line.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

export type SchemaName = 'suite' | 'ladder' | 'result';

export const schemaNames: readonly SchemaName[] = ['suite', 'ladder', 'result'];

/** Absolute path of a schema file. */
export function schemaPath(name: SchemaName): string {
  return fileURLToPath(new URL(`../schemas/${name}.schema.json`, import.meta.url));
}

const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
const compiled = new Map<SchemaName, ValidateFunction>();

export function schemaObject(name: SchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(schemaPath(name), 'utf8')) as Record<string, unknown>;
}

export function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    v = ajv.compile(schemaObject(name));
    compiled.set(name, v);
  }
  return v;
}

/** The single most useful error: the deepest, preferring concrete complaints over oneOf noise. */
export function primaryError(errors: readonly ErrorObject[]): ErrorObject {
  const rank = (e: ErrorObject): number => {
    const depth = e.instancePath.split('/').length * 10;
    const kind =
      e.keyword === 'additionalProperties' ? 6
      : e.keyword === 'required' ? 5
      : e.keyword === 'enum' || e.keyword === 'const' ? 4
      : e.keyword === 'type' ? 3
      : e.keyword === 'oneOf' || e.keyword === 'anyOf' ? 0
      : 2;
    return depth + kind;
  };
  return [...errors].sort((a, b) => rank(b) - rank(a))[0]!;
}
