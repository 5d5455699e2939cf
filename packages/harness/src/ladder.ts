// A validated ladder made ready to run: duplicate ids and impossible default
// dtypes rejected against the file, models sorted by size.
// Portable (the page bundles it): Node's fs and path are reached through
// process.getBuiltinModule, so the browser bundle never imports them.
import { UserError, parseValidated, scaleOf, type Ladder, type LadderDocument, type ModelSpec, type ScaleAxis } from '@emergence/core';

/** A ladder with the file it was read from: relative model folders and error messages refer to it. The file is the harness's business, not the ladder contract's. */
export type LoadedLadder = Ladder & { file: string };

/** Reads a ladder file's text, or null when there is none; the page passes one that serves what it fetched. */
export type ReadLadder = (file: string) => string | null;

function nodeRead(): ReadLadder | null {
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (!node) return null;
  const { existsSync, readFileSync } = node('node:fs') as typeof import('node:fs');
  return (f) => (existsSync(f) ? readFileSync(f, 'utf8') : null);
}

/** `a/b/../c` → `a/c`; POSIX paths, portable (no node:path in the page). */
function normalize(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out.at(-1) !== '..') out.pop();
    else if (part !== '..' || !absolute) out.push(part);
  }
  return `${absolute ? '/' : ''}${out.join('/')}` || '.';
}

const dirOf = (file: string) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.');
const isAbsolutePath = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

/** The file a `from: <ladder>#<id>` names: a ladder name beside this file, or a path relative to it. */
export function referencedLadderFile(ref: string, file: string): string {
  const ladder = ref.slice(0, ref.lastIndexOf('#'));
  const path = /\.ya?ml$/.test(ladder) ? ladder : `${ladder}.yaml`;
  return isAbsolutePath(path) ? normalize(path) : normalize(`${dirOf(file)}/${path}`);
}

/**
 * Models given as `from: <ladder>#<id>` become copies of that ladder's model
 * (its own references resolved first), with the keys given beside `from`
 * replacing the copied ones and a local folder made relative to this file.
 */
export function resolveReferences(ladder: LadderDocument, file: string, read: ReadLadder | null = nodeRead(), seen: string[] = []): Ladder {
  const entries = ladder.models as (ModelSpec & { from?: string })[];
  if (!entries.some((m) => m.from)) return { ...ladder, models: entries };
  const cache = new Map<string, Ladder>();
  const models = entries.map((entry, i) => {
    if (!entry.from) return entry;
    const pointer = `/models/${i}/from`;
    const target = referencedLadderFile(entry.from, file);
    const id = entry.from.slice(entry.from.lastIndexOf('#') + 1);
    // Another model of this same ladder: copied as written (a copy of a copy would need its own resolution first).
    if (normalize(file) === target) {
      const own = entries.find((m) => m.id === id);
      if (!own || own === entry || own.from) {
        const why = !own ? `this ladder has no model "${id}"` : own === entry ? 'a model cannot copy itself' : `"${id}" is itself a copy (from: ${own.from})`;
        throw new UserError(`"${entry.from}": ${why}`, { file, pointer, hint: 'copy a model of this ladder that is written out, or name the original ladder' });
      }
      const { from: _, ...given } = entry;
      return { ...own, ...(given as Partial<ModelSpec>) } as ModelSpec;
    }
    if (seen.includes(target)) {
      throw new UserError(`ladders refer to each other in a circle (${[...seen, normalize(file), target].join(' → ')})`, { file, pointer });
    }
    let other = cache.get(target);
    if (!other) {
      const text = read?.(target) ?? null;
      if (text === null) throw new UserError(`"${entry.from}" names ladder file ${target}, which ${read ? 'does not exist' : 'cannot be read here'}`, { file, pointer, hint: 'give a ladder name in this folder or a path relative to this file, then #<model id>' });
      other = resolveReferences(parseValidated(text, target, 'ladder'), target, read, [...seen, normalize(file)]);
      cache.set(target, other);
    }
    const found = other.models.find((m) => m.id === id);
    if (!found) throw new UserError(`ladder ${other.name} has no model "${id}"`, { file, pointer, hint: `its models: ${other.models.map((m) => m.id).join(', ')}` });
    const { from: _, ...given } = entry;
    const overrides: Partial<ModelSpec> = given;
    const source = 'folder' in found.source && !isAbsolutePath(found.source.folder) ? { folder: normalize(`${relativeDir(dirOf(file), dirOf(target))}/${found.source.folder}`) } : found.source;
    return { ...found, source, ...overrides } as ModelSpec;
  });
  return { ...ladder, models };
}

/** The folder `to` as seen from the folder `from` (both normalized the same way). */
function relativeDir(from: string, to: string): string {
  const a = normalize(from).split('/').filter((x) => x && x !== '.');
  const b = normalize(to).split('/').filter((x) => x && x !== '.');
  if (normalize(from).startsWith('/') !== normalize(to).startsWith('/')) return normalize(to);
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return [...a.slice(k).map(() => '..'), ...b.slice(k)].join('/') || '.';
}

export function prepareLadder(raw: LadderDocument, file: string, axis: ScaleAxis = 'nonEmbeddingParams', read?: ReadLadder): LoadedLadder {
  const ladder = resolveReferences(raw, file, read ?? nodeRead());
  const ids = new Set<string>();
  ladder.models.forEach((m, i) => {
    if (ids.has(m.id)) throw new UserError(`model id "${m.id}" appears twice`, { file, pointer: `/models/${i}/id` });
    ids.add(m.id);
    if (m.nonEmbeddingParams > m.params) {
      throw new UserError(`nonEmbeddingParams (${m.nonEmbeddingParams}) is larger than params (${m.params})`, {
        file,
        pointer: `/models/${i}/nonEmbeddingParams`,
        hint: 'params counts every parameter, nonEmbeddingParams those outside the embedding and unembedding',
      });
    }
    if (m.defaultDtype && !m.dtypes.includes(m.defaultDtype)) {
      throw new UserError(`defaultDtype "${m.defaultDtype}" is not in dtypes [${m.dtypes.join(', ')}]`, { file, pointer: `/models/${i}/defaultDtype` });
    }
  });
  // Seeds of one size must be one size: a group with different parameter counts is a typo.
  const firstOf = new Map<string, number>();
  ladder.models.forEach((m, i) => {
    if (m.group === undefined) return;
    const j = firstOf.get(m.group);
    if (j === undefined) return void firstOf.set(m.group, i);
    const first = ladder.models[j]!;
    if (first.params !== m.params || first.nonEmbeddingParams !== m.nonEmbeddingParams) {
      throw new UserError(`group "${m.group}" holds seeds of one size, but ${m.id} and ${first.id} have different parameter counts`, {
        file,
        pointer: `/models/${i}/params`,
        hint: 'give seeds the same params and nonEmbeddingParams, or different groups',
      });
    }
  });
  // Checked in file order, so pointers name the lines of the file.
  checkScaleAxis({ ...ladder, file }, axis);
  checkContextWindows({ ...ladder, file });
  // The ladder is evaluated, tabled and plotted in order of size on the default
  // axis (non-embedding parameters); a wide one-layer model can have more
  // embedding, hence more total parameters, than a narrower two-layer one.
  return { ...ladder, file, models: [...ladder.models].sort((a, b) => a.nonEmbeddingParams - b.nonEmbeddingParams || a.params - b.params) };
}

const axisField: Record<ScaleAxis, string> = { params: 'params', nonEmbeddingParams: 'nonEmbeddingParams', trainingFlops: 'trainingTokens' };

/**
 * The ladder can be plotted on `axis`: every model has a value there, and
 * rungs (models outside one seed group) differ in size — two rungs of one
 * size cannot show a change with scale, and the analysis would fail on them
 * only after every model ran.
 */
export function checkScaleAxis(ladder: LoadedLadder, axis: ScaleAxis): void {
  const file = ladder.file;
  const at = (id: string) => `/models/${ladder.models.findIndex((m) => m.id === id)}`;
  if (axis === 'trainingFlops') {
    const missing = ladder.models.filter((m) => !m.trainingTokens);
    if (missing.length) {
      throw new UserError(`--scale trainingFlops needs trainingTokens for every model; ${missing.map((m) => m.id).join(', ')} ${missing.length > 1 ? 'have' : 'has'} none`, {
        file,
        pointer: `${at(missing[0]!.id)}/trainingTokens`,
        hint: 'add trainingTokens (tokens seen in training), or use --scale params or nonEmbeddingParams',
      });
    }
  }
  const seen = new Map<number, { id: string; group: string }>();
  for (const m of ladder.models) {
    const value = scaleOf(m, axis);
    const other = seen.get(value);
    const group = m.group ?? m.id;
    if (other && other.group !== group) {
      throw new UserError(`${m.id} and ${other.id} have the same ${axisField[axis] === 'trainingTokens' ? 'training compute' : axis} (${value}); rungs of a ladder must differ in size`, {
        file,
        pointer: `${at(m.id)}/${axisField[axis]}`,
        hint: 'correct the count, or give seeds of one size the same group',
      });
    }
    seen.set(value, { id: m.id, group });
  }
}

/**
 * A model's contextLength fits the window its config.json declares. Local
 * folders are checked when the ladder loads; a Hub model's snapshot (given by
 * `hubFolder`) once it is downloaded — both before any model loads.
 */
export function checkContextWindows(ladder: LoadedLadder, hubFolder?: (spec: ModelSpec) => string | null): void {
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  // In a browser there is no disk to read; the page's server checked its ladders with loadLadder.
  if (!node) return;
  const { existsSync, readFileSync } = node('node:fs') as typeof import('node:fs');
  const { dirname, isAbsolute, join, resolve } = node('node:path') as typeof import('node:path');
  ladder.models.forEach((m) => {
    if (m.contextLength === undefined) return;
    const base = ladder.file ? dirname(ladder.file) : process.cwd();
    const folder = 'folder' in m.source ? (isAbsolute(m.source.folder) ? m.source.folder : resolve(base, m.source.folder)) : (hubFolder?.(m) ?? null);
    if (!folder) return;
    const config = join(folder, 'config.json');
    if (!existsSync(config)) return;
    let window: number;
    try {
      const c = JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
      window = Number(c.n_positions ?? c.max_position_embeddings ?? Number.NaN);
    } catch {
      return; // the backend reports an unreadable config when it loads the model
    }
    if (Number.isFinite(window) && m.contextLength > window) {
      const i = ladder.models.indexOf(m);
      throw new UserError(`contextLength ${m.contextLength} is larger than the ${window}-token window in ${config}`, {
        file: ladder.file,
        pointer: `/models/${i}/contextLength`,
        hint: `use at most ${window}`,
      });
    }
  });
}
