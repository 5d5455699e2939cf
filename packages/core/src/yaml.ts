// YAML text in and out, with no file system: parse + validate with errors that
// name file, line, JSON pointer and fix; deterministic output. The Node-only
// file side (load, atomic write) is in yaml-io.ts.
import { LineCounter, isMap, isSeq, parseDocument, stringify, type Node as YamlNode } from 'yaml';
import type { ErrorObject } from 'ajv';
import { UserError, suggest } from './errors.js';
import type { SchemaTypes } from './schema-types.js';
import { primaryError, validator, type SchemaName } from './schemas.js';

/** Locate the YAML node at a JSON pointer path; for a missing key, its parent. */
function nodeAt(root: unknown, path: string[], key?: string): { range?: [number, number, number] } | undefined {
  let node = root as YamlNode | undefined;
  for (const part of path) {
    if (isMap(node)) node = node.get(part, true) as YamlNode | undefined;
    else if (isSeq(node)) node = node.get(Number(part), true) as YamlNode | undefined;
    else return node as { range?: [number, number, number] } | undefined;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
    if (pair?.key) return pair.key as { range?: [number, number, number] };
  }
  return node as { range?: [number, number, number] } | undefined;
}

function pointerParts(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Words for one ajv error: what was expected and the allowed values. */
function describeError(e: ErrorObject, schemaName: SchemaName): { message: string; pointer: string; key?: string; hint?: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: Record<string, unknown> }).properties ?? {});
      const near = suggest(key, known);
      return {
        message: `unknown key "${key}"`,
        pointer: `${e.instancePath}/${key}`,
        key,
        hint: near ? `did you mean "${near}"? allowed keys: ${known.join(', ')}` : `allowed keys: ${known.join(', ')}`,
      };
    }
    case 'required':
      return { message: `missing required key "${String(p.missingProperty)}"`, pointer: e.instancePath, hint: `add "${String(p.missingProperty)}:" here` };
    case 'enum':
      return { message: `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, pointer: e.instancePath };
    case 'const':
      return { message: `must be ${JSON.stringify(p.allowedValue)}`, pointer: e.instancePath };
    case 'type':
      return { message: `expected ${String(p.type)}`, pointer: e.instancePath };
    default:
      return { message: `${e.message ?? 'is invalid'} (${schemaName} schema: ${e.schemaPath})`, pointer: e.instancePath };
  }
}

/** Parse YAML text and validate it; throws UserError naming file, line and pointer. */
export function parseValidated<N extends SchemaName>(text: string, file: string, schemaName: N): SchemaTypes[N] {
  if (text.trim() === '') throw new UserError(`file is empty; expected a ${schemaName} YAML document`, { file });
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = lineCounter.linePos(err.pos[0]).line;
    throw new UserError(`invalid YAML: ${err.message.split('\n')[0]}`, { file, line });
  }
  const value = doc.toJS() as unknown;
  const validate = validator(schemaName);
  if (!validate(value)) {
    const e = primaryError(validate.errors ?? []);
    const d = describeError(e, schemaName);
    const node = nodeAt(doc.contents, pointerParts(e.instancePath), d.key);
    const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    throw new UserError(d.message, { file, line, pointer: d.pointer || '/', hint: d.hint });
  }
  return value;
}

/** Round floats to a fixed number of decimals so the same numbers always print the same. */
export function roundNumbers(value: unknown, decimals = 6): unknown {
  if (typeof value === 'number') {
    if (Number.isInteger(value) || !Number.isFinite(value)) return value;
    const r = Number(value.toFixed(decimals));
    return Object.is(r, -0) ? 0 : r;
  }
  if (Array.isArray(value)) return value.map((v) => roundNumbers(v, decimals));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, roundNumbers(v, decimals)]),
    );
  }
  return value;
}

/**
 * Deterministic YAML: keys in the order the object was built (callers build
 * in a fixed order), floats rounded, no line folding.
 */
export function toYaml(value: unknown, header?: string): string {
  const body = stringify(roundNumbers(value), { lineWidth: 0, indent: 2, aliasDuplicateObjects: false });
  return header ? `${header.trimEnd()}\n${body}` : body;
}

/** Parse YAML that no schema of ours describes (an imported lm-evaluation-harness task); a syntax error names the line. */
export function parseYaml(text: string, file: string): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const err = doc.errors[0];
  if (err) throw new UserError(`invalid YAML: ${err.message.split('\n')[0]}`, { file, line: lines.linePos(err.pos[0]).line });
  return doc.toJS();
}
