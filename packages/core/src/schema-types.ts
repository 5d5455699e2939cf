// The contracts that are files — suite, ladder, result — as types derived
// from their JSON Schemas (src/schemas/*.ts) by json-schema-to-ts, so a type
// cannot promise what validation does not check. Descriptions of every field
// are in the schemas (and docs/formats.md).
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { MetricName } from './metric-registry.js';
import type { ladderSchema } from './schemas/ladder.js';
import type { resultSchema } from './schemas/result.js';
import type { suiteSchema } from './schemas/suite.js';

// A key with a `default` stays optional: the file may leave it out, and the code fills it in.
type Of<S extends JSONSchema> = FromSchema<S, { keepDefaultedPropertiesOptional: true }>;

// ---------------------------------------------------------------- suite

/** A suite file as written (`shots` may be left out: [0]). */
export type Suite = Of<typeof suiteSchema>;
export type SuiteTaskEntry = Suite['tasks'][number];

// ---------------------------------------------------------------- ladder

/** A ladder file as written: a model may be `from: <ladder>#<id>`, a copy of another ladder's model. */
export type LadderDocument = Of<typeof ladderSchema>;
type ModelEntry = LadderDocument['models'][number];
// json-schema-to-ts leaves out the schema's if/then/else, which makes these keys required on every model that is not a copy.
type WrittenOutKeys = (typeof ladderSchema)['$defs']['model']['else']['required'][number];

/** A model of a ladder once copies are resolved: every key its schema requires of a written-out model is there. */
export type ModelSpec = Omit<ModelEntry, 'from' | WrittenOutKeys> & { [K in WrittenOutKeys]-?: Exclude<ModelEntry[K], undefined> };

/** A ladder ready to run: every model written out (harness `prepareLadder`). */
export type Ladder = Omit<LadderDocument, 'models'> & { models: ModelSpec[] };

export type Dtype = ModelSpec['dtypes'][number];

// ---------------------------------------------------------------- result

// The schema keys metric maps by `propertyNames: metricName`, which
// json-schema-to-ts reads as any string: put the metric names back.
type MetricKeyed<T> = T extends readonly (infer U)[]
  ? MetricKeyed<U>[]
  : T extends object
    ? string extends keyof T
      ? T[string] extends Interval
        ? Partial<Record<MetricName, Interval>>
        : T
      : { [K in keyof T]: MetricKeyed<T[K]> }
    : T;

export type Interval = Of<(typeof resultSchema)['$defs']['interval']>;

export type Result = MetricKeyed<Of<typeof resultSchema>>;
export type ResultModel = Result['ladder']['models'][number];
export type TaskResult = Result['tasks'][number];
export type ModelTaskResult = TaskResult['models'][number];
export type SeedGroupResult = NonNullable<TaskResult['groups']>[number];
export type TaskAnalysis = TaskResult['analysis'];
export type CurveAnalysis = TaskAnalysis['discrete'];
export type Threshold = NonNullable<CurveAnalysis['threshold']>;
export type PowerLawFit = NonNullable<TaskAnalysis['powerLaw']>;
export type Verdict = TaskAnalysis['verdict'];
export type ScaleAxis = TaskAnalysis['scaleAxis'];

/** The type of each schema's documents: what `parseValidated(text, file, name)` returns. */
export interface SchemaTypes {
  suite: Suite;
  ladder: LadderDocument;
  result: Result;
}
