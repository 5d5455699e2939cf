// YAML files: load with validation, write deterministically and atomically,
// never clobbering a valid file with one that does not validate.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { UserError } from './errors.js';
import type { SchemaName } from './schemas.js';
import { parseValidated, toYaml } from './yaml.js';

export function loadYaml<T>(file: string, schemaName: SchemaName): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? 'file does not exist' : `cannot read file (${code ?? String(err)})`, { file });
  }
  return parseValidated<T>(text, file, schemaName);
}

/** Write a file atomically: temp file in the same folder, fsync, rename. */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export interface WriteYamlOptions {
  /** Overwrite an existing file even when it does not validate. */
  force?: boolean;
  header?: string;
}

/**
 * Validate `value` against its schema and write it atomically. Refuses to
 * overwrite an existing file that fails validation (it may be hand-edited
 * data worth keeping) unless `force` is set.
 */
export function writeValidatedYaml(file: string, value: unknown, schemaName: SchemaName, options: WriteYamlOptions = {}): void {
  const text = toYaml(value, options.header);
  // Validate what will actually be on disk, after rounding.
  parseValidated(text, `${file} (about to be written)`, schemaName);
  if (existsSync(file) && !options.force) {
    try {
      loadYaml(file, schemaName);
    } catch (err) {
      if (err instanceof UserError) {
        throw new UserError(`refusing to overwrite: the existing file does not validate (${err.format()})`, {
          file,
          hint: 'move it away, fix it, or pass --force',
        });
      }
      throw err;
    }
  }
  writeAtomic(file, text);
}
