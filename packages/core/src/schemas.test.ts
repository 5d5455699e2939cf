import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Ladder, LadderDocument, ModelSpec, Result, Suite } from './schema-types.js';
import { validatorModuleSource, validatorsFile } from './schemas-compile.js';
import { type dtypeNames, schemaFileText, schemaNames } from './schemas.js';
import { parseValidated } from './yaml.js';

describe('schemas', () => {
  it('the JSON copies editors read are the schemas the code validates with (run `pnpm run docs` after changing src/schemas/)', () => {
    for (const name of schemaNames) expect(readFileSync(join(import.meta.dirname, '../schemas', `${name}.schema.json`), 'utf8'), name).toBe(schemaFileText(name));
  });

  it('the validators a run loads are ajv\'s compile of these schemas (run `pnpm run docs` after changing src/schemas/)', () => {
    expect(readFileSync(join(import.meta.dirname, '..', validatorsFile), 'utf8')).toBe(validatorModuleSource());
  });

  it('parseValidated returns the type of the schema it validated against', () => {
    const suite = parseValidated('name: s\nseed: 1\nn: 2\ntasks:\n  - task: icl/induction\n', 's.yaml', 'suite');
    expectTypeOf(suite).toEqualTypeOf<Suite>();
    // shots has a default in the schema: a file may leave it out, so the type must too.
    expect(suite.shots).toBeUndefined();
    expectTypeOf(suite.shots).toEqualTypeOf<number[] | undefined>();
    expectTypeOf<ReturnType<typeof parseValidated<'ladder'>>>().toEqualTypeOf<LadderDocument>();
    expectTypeOf<ReturnType<typeof parseValidated<'result'>>>().toEqualTypeOf<Result>();
  });

  it('a written-out model has every key the schema requires of one; dtypes are the schema\'s', () => {
    expectTypeOf<ModelSpec['id']>().toEqualTypeOf<string>();
    expectTypeOf<ModelSpec['dtypes'][number]>().toEqualTypeOf<(typeof dtypeNames)[number]>();
    expectTypeOf<Ladder['models'][number]>().toEqualTypeOf<ModelSpec>();
    expectTypeOf<Result['tasks'][number]['models'][number]['metrics']['exactMatch']>().toEqualTypeOf<{ value: number; low: number; high: number } | undefined>();
  });
});
