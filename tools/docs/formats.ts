// docs/formats.md — "Writing suites and ladders" — generated from the JSON
// Schemas (every key: type, constraints, default, description, example) and
// the task registry (each task's options and defaults). The schemas are the
// one source: editors show the same descriptions through yaml-language-server.
// `pnpm run docs` rewrites the page, the schemas' JSON copies for editors
// (packages/core/schemas/*.json, from packages/core/src/schemas/*.ts) and
// their compiled validators (packages/core/src/schemas/validators.generated.ts);
// formats.test.ts fails when the page is stale or a schema key has no
// description or example, core's schemas test when a JSON copy or the
// validators are stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { schemaFileText, schemaNames, schemaObject, toYaml, type SchemaName } from '@emergence/core';
import { validatorModuleSource, validatorsFile } from '@emergence/core/schemas-compile';
import { registry } from '@emergence/tasks';

export type SchemaNode = Record<string, unknown> & {
  type?: string | string[];
  description?: string;
  default?: unknown;
  examples?: unknown[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  enum?: unknown[];
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
};

/** One key of a file format, at its path (`models[].source.hub`). */
export interface Field {
  path: string;
  node: SchemaNode;
  required: boolean;
  /** The form it belongs to, when its parent is one of several (`source`: folder or hub). */
  form?: string;
  /** Keys of which exactly one must be given, this one among them (`task` or `import`). */
  choice?: string[];
  /** Required unless this key is given (`if: {required: [from]}, else: {required: […]}`). */
  requiredUnless?: string;
}

function deref(node: SchemaNode, root: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.replace('#/$defs/', '');
  const target = root.$defs?.[name];
  if (!target) throw new Error(`unresolved $ref ${node.$ref}`);
  // Annotations beside a $ref (description, default) win over the target's.
  const { $ref: _, ...rest } = node;
  return { ...deref(target, root), ...rest };
}

/** Every key of a schema, depth first, in the schema's order. */
export function fields(root: SchemaNode): Field[] {
  const out: Field[] = [];
  const walk = (node: SchemaNode, prefix: string, form?: string) => {
    const n = deref(node, root);
    const choice = (n.oneOf ?? []).every((alt) => !deref(alt, root).properties) ? (n.oneOf ?? []).flatMap((alt) => deref(alt, root).required ?? []) : [];
    const unless = ((n.if as SchemaNode | undefined)?.required ?? [])[0];
    const elseRequired = (n.else as SchemaNode | undefined)?.required ?? [];
    for (const [key, raw] of Object.entries(n.properties ?? {})) {
      const child = deref(raw, root);
      const path = prefix ? `${prefix}.${key}` : key;
      out.push({ path, node: child, required: (n.required ?? []).includes(key), ...(form ? { form } : {}), ...(choice.includes(key) ? { choice } : {}), ...(unless && elseRequired.includes(key) ? { requiredUnless: unless } : {}) });
      walk(child, path);
      if (child.items) walk(child.items, `${path}[]`);
      // `oneOf: [null, {…}]` is an optional object; other oneOfs are forms (source: folder or hub).
      const nullable = (child.oneOf ?? []).some((alt) => deref(alt, root).type === 'null');
      for (const alt of child.oneOf ?? []) {
        const d = deref(alt, root);
        if (d.properties) walk(d, path, nullable ? undefined : Object.keys(d.properties).find((k) => d.required?.includes(k)));
      }
    }
  };
  walk(root, '');
  return out;
}

/** Keys a reader would be left guessing about: no description, or (for a value a person types) no example. */
export function undocumented(root: SchemaNode, options: { examples: boolean } = { examples: true }): string[] {
  return fields(root).flatMap((f) => {
    const missing: string[] = [];
    if (!f.node.description?.trim()) missing.push('description');
    if (options.examples && (!Array.isArray(f.node.examples) || f.node.examples.length === 0)) missing.push('example');
    return missing.length ? [`${f.path}: no ${missing.join(' and no ')}`] : [];
  });
}

const code = (v: unknown) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;

function typeOf(node: SchemaNode, root: SchemaNode): string {
  const n = deref(node, root);
  if (n.enum) return `one of ${n.enum.map(code).join(', ')}`;
  if (n.const !== undefined) return `always ${code(n.const)}`;
  // oneOf over required keys only: one object that must have one of them.
  if (n.oneOf?.every((alt) => !deref(alt, root).properties)) {
    return `object with ${n.oneOf.map((alt) => (deref(alt, root).required ?? []).map((k) => `\`${k}\``).join(' and ')).join(' or ')}`;
  }
  const objectOrNull = n.oneOf?.length === 2 && n.oneOf.some((alt) => deref(alt, root).type === 'null') ? n.oneOf.find((alt) => deref(alt, root).type !== 'null') : undefined;
  if (objectOrNull) return `${typeOf(objectOrNull, root)} or null`;
  if (n.oneOf) return `one of ${n.oneOf.map((alt) => `{${Object.keys(deref(alt, root).properties ?? {}).join(', ')}}`).join(' or ')}`;
  if (n.type === 'array' && n.items) return `list of ${typeOf(n.items, root)}`;
  if (n.type === 'object' && typeof n.additionalProperties === 'object') {
    const keys = n.propertyNames ? typeOf(n.propertyNames as SchemaNode, root).replace(/^one of /, '') : 'name';
    return `map of ${keys} → ${typeOf(n.additionalProperties, root)}`;
  }
  if (Array.isArray(n.type)) return n.type.join(' | ');
  return n.type ?? 'any';
}

function constraints(n: SchemaNode): string[] {
  const c: string[] = [];
  if (typeof n.pattern === 'string') c.push(`matches \`${n.pattern}\``);
  if (typeof n.minimum === 'number' && typeof n.maximum === 'number') c.push(`${n.minimum.toLocaleString('en')} to ${n.maximum.toLocaleString('en')}`);
  else if (typeof n.minimum === 'number') c.push(`≥ ${n.minimum}`);
  if (typeof n.minLength === 'number') c.push('not empty');
  if (typeof n.minItems === 'number') c.push(`at least ${n.minItems} item${n.minItems === 1 ? '' : 's'}`);
  if (n.uniqueItems) c.push('no repeats');
  const items = n.items as SchemaNode | undefined;
  if (items && typeof items.minimum === 'number' && typeof items.maximum === 'number') c.push(`each ${items.minimum} to ${items.maximum}`);
  return c;
}

/** An example as the YAML a person would write after `key:`. */
function exampleYaml(key: string, value: unknown): string {
  return toYaml({ [key]: value }).trimEnd();
}

function fieldSection(f: Field, root: SchemaNode): string {
  const n = f.node;
  const key = f.path.split('.').at(-1)!.replace(/\[\]$/, '');
  const facts = [
    typeOf(n, root),
    f.requiredUnless ? `required unless \`${f.requiredUnless}\` is given` : f.choice ? `give exactly one of ${f.choice.map((k) => `\`${k}\``).join(', ')}` : f.required ? (f.form ? `required in the \`${f.form}\` form` : 'required') : 'optional',
    ...constraints(n),
  ];
  const lines = [`#### \`${f.path}\``, '', `*${facts.join(' · ')}*`, ''];
  if (n.description) lines.push(n.description, '');
  if (n.default !== undefined) lines.push(`Default: ${typeof n.default === 'string' && !/^[\w.-]+$/.test(n.default) ? n.default : code(n.default)}.`, '');
  for (const ex of n.examples ?? []) lines.push('```yaml', exampleYaml(key, ex), '```', '');
  return lines.join('\n');
}

function schemaSection(name: SchemaName, heading: string, intro: string): string {
  const root = schemaObject(name) as SchemaNode;
  const example = (root.examples as unknown[] | undefined)?.[0];
  const out = [`## ${heading}`, '', `${root.description ?? ''} ${intro}`.trim(), ''];
  if (example) {
    out.push(
      'A complete file:',
      '',
      '```yaml',
      `# yaml-language-server: $schema=../../packages/core/schemas/${name}.schema.json`,
      toYaml(example).trimEnd(),
      '```',
      '',
    );
  }
  out.push('### Keys', '');
  for (const f of fields(root)) out.push(fieldSection(f, root));
  return out.join('\n');
}

function tasksSection(): string {
  const out = [
    '## Tasks and their options',
    '',
    "Every registered task, as a suite's `task:` names it. `options` may set any option listed here; the value shown is its default. Chance is the discrete metric's score by guessing, at the default options.",
    '',
    '| task | kind | chance | options (default) | what it measures |',
    '|---|---|---|---|---|',
  ];
  for (const t of registry) {
    const options = Object.entries(t.defaults)
      .map(([k, v]) => `\`${k}: ${JSON.stringify(v)}\``)
      .join(', ');
    out.push(`| \`${t.id}\` | ${t.kind} | ${t.chance(t.defaults).toFixed(2)} | ${options || '—'} | ${t.description.replace(/\|/g, '\\|')} |`);
  }
  return `${out.join('\n')}\n`;
}

/** Result files are written by `bench`, not by hand: a reference of their keys, without examples. */
function resultSection(): string {
  const root = schemaObject('result') as SchemaNode;
  const out = [
    '## Reading result files',
    '',
    `${root.description ?? ''} \`bench report <file> --json\` prints the same as JSON. Keys, in the order they are written:`,
    '',
    '| key | type | what it holds |',
    '|---|---|---|',
  ];
  for (const f of fields(root)) out.push(`| \`${f.path}\` | ${typeOf(f.node, root).replace(/\|/g, '\\|')} | ${(f.node.description ?? '').replace(/\|/g, '\\|')} |`);
  return `${out.join('\n')}\n`;
}

export function renderFormatsDoc(): string {
  return [
    '<!-- Generated by `pnpm run docs` (tools/docs/formats.ts) from the JSON Schemas (packages/core/src/schemas/) and the task registry. Do not edit: change the schema\'s descriptions and examples, then run `pnpm run docs`. -->',
    '',
    '# Writing suites and ladders',
    '',
    'A **suite** says which tasks to run, on how many examples, with which shot counts and seed; a **ladder** lists models of one family from small to large. `bench --suite <file> --ladder <file>` runs any pair; files in `benchmarks/suites/` and `benchmarks/ladders/` are also known by name.',
    '',
    'Start each file with the schema comment, so editors with the YAML language server complete keys and show these descriptions:',
    '',
    '```yaml',
    '# yaml-language-server: $schema=../../packages/core/schemas/ladder.schema.json',
    '```',
    '',
    '(the path is relative to the file). `bench validate <files…>` checks files without running anything, naming the file, line and JSON pointer of every problem. Keys are camelCase; a key not listed here is an error.',
    '',
    schemaSection('suite', 'Suite files', 'Shipped suites are in `benchmarks/suites/`.'),
    schemaSection('ladder', 'Ladder files', 'Shipped ladders are in `benchmarks/ladders/`. `bench list --json` prints the shipped ladders with their exact parameter counts.'),
    tasksSection(),
    resultSection(),
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

export const formatsDocFile = fileURLToPath(new URL('../../docs/formats.md', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(formatsDocFile, renderFormatsDoc());
  console.log(`wrote ${formatsDocFile}`);
  for (const name of schemaNames) {
    const file = fileURLToPath(new URL(`../../packages/core/schemas/${name}.schema.json`, import.meta.url));
    writeFileSync(file, schemaFileText(name));
    console.log(`wrote ${file}`);
  }
  const validators = fileURLToPath(new URL(`../../packages/core/${validatorsFile}`, import.meta.url));
  writeFileSync(validators, validatorModuleSource());
  console.log(`wrote ${validators}`);
}
