// JSON Schemas (draft 2020-12) for suite, ladder and result YAML, compiled
// once with ajv. The schema files live in packages/core/schemas/ so YAML files
// can point editors at them with a `# yaml-language-server: $schema=` line;
// they are imported as modules so the browser page bundles them too.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ladderSchema from '../schemas/ladder.schema.json' with { type: 'json' };
import resultSchema from '../schemas/result.schema.json' with { type: 'json' };
import suiteSchema from '../schemas/suite.schema.json' with { type: 'json' };

export type SchemaName = 'suite' | 'ladder' | 'result';

export const schemaNames: readonly SchemaName[] = ['suite', 'ladder', 'result'];

const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
const compiled = new Map<SchemaName, ValidateFunction>();

const schemas: Record<SchemaName, Record<string, unknown>> = { suite: suiteSchema, ladder: ladderSchema, result: resultSchema };

export function schemaObject(name: SchemaName): Record<string, unknown> {
  return schemas[name];
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
