// JSON Schemas (draft 2020-12) for suite, ladder and result YAML, and their
// validators, compiled by ajv ahead of time (schemas-compile.ts writes
// schemas/validators.generated.ts). Their source is src/schemas/*.ts (the types derive from the
// same objects); `pnpm run docs` writes them to packages/core/schemas/*.json so
// YAML files can point editors at them with a `# yaml-language-server:
// $schema=` line. The page bundles these modules too.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { SchemaTypes } from './schema-types.js';
import { ladderSchema } from './schemas/ladder.js';

export { dtypeNames } from './schemas/ladder.js';
import { resultSchema } from './schemas/result.js';
import { suiteSchema } from './schemas/suite.js';
import * as generated from './schemas/validators.generated.js';

export type SchemaName = keyof SchemaTypes;

export const schemaNames: readonly SchemaName[] = ['suite', 'ladder', 'result'];

const schemas: { [N in SchemaName]: object } = { suite: suiteSchema, ladder: ladderSchema, result: resultSchema };

export function schemaObject(name: SchemaName): Record<string, unknown> {
  return schemas[name] as Record<string, unknown>;
}

/** The text of packages/core/schemas/<name>.schema.json, the copy editors read: `pnpm run docs` writes it, a test holds it to this. */
export function schemaFileText(name: SchemaName): string {
  return `${JSON.stringify(schemas[name], null, 2)}\n`;
}

/** The compiled validator of a schema: a type guard for that schema's document type. */
export function validator<N extends SchemaName>(name: N): ValidateFunction<SchemaTypes[N]> {
  // The generated code is ajv's compile of the same object in src/schemas/ whose type SchemaTypes[N] is.
  return (generated as unknown as { [K in SchemaName]: ValidateFunction<SchemaTypes[K]> })[name];
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
