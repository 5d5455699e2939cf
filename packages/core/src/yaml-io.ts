// YAML files: load with validation, write deterministically and atomically,
// never clobbering a valid file with one that does not validate.
import * as nodeFs from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { UserError, fileError } from './errors.js';
import type { SchemaTypes } from './schema-types.js';
import type { SchemaName } from './schemas.js';
import { parseValidated, toYaml } from './yaml.js';

export function loadYaml<N extends SchemaName>(file: string, schemaName: N): SchemaTypes[N] {
  let bytes: Buffer;
  try {
    bytes = nodeFs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw code === 'ENOENT' ? new UserError('file does not exist', { file }) : fileError(err, file, 'read');
  }
  return parseValidated(decodeUtf8(bytes, file), file, schemaName);
}

/**
 * Text of a file that must be UTF-8. Invalid bytes are an error naming the
 * line, not U+FFFD characters that end up in prompts and hashes.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Find the first bad line: decode line by line (a multi-byte character never spans a newline).
    let start = 0;
    let line = 1;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, i));
        } catch {
          break;
        }
        start = i + 1;
        line++;
      }
    }
    throw new UserError('the file is not valid UTF-8', { file, line, hint: 'save it as UTF-8' });
  }
}

/** The file-system calls writeAtomic makes; tests inject failures (a full disk) through it. */
export type WriteFs = Pick<typeof nodeFs, 'mkdirSync' | 'openSync' | 'writeFileSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'rmSync'>;

/**
 * Write a file atomically: temp file in the same folder, fsync, rename. On any
 * failure the temp file is removed (a full disk stays no fuller) and the
 * error is one line saying what to do; the old file is untouched.
 */
export function writeAtomic(file: string, text: string, fs: WriteFs = nodeFs): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    fs.mkdirSync(dirname(file), { recursive: true });
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw fileError(err, file, 'write');
  }
}

/** An existing output path must be a regular file: a folder, a device (/dev/full reads forever) or a pipe is refused. */
function checkOutputPath(file: string, fs: Pick<typeof nodeFs, 'existsSync' | 'statSync'>): void {
  if (!fs.existsSync(file)) return;
  const stat = fs.statSync(file);
  if (stat.isDirectory()) throw new UserError('the output path is a folder', { file, hint: `give a file name, e.g. ${join(file, 'result.yaml')}` });
  if (!stat.isFile()) throw new UserError('the output path is not a regular file (a device, pipe or socket)', { file, hint: 'give a file name' });
}

/**
 * Before a run: the result can be written to `file` (not a folder, the folder
 * creatable and writable, `bytes` of free space). A probe file is created and
 * removed, so a read-only or full disk is found before any model runs.
 */
export function checkWritable(file: string, bytes: number, fs: Pick<typeof nodeFs, 'existsSync' | 'statSync' | 'mkdirSync' | 'writeFileSync' | 'rmSync' | 'statfsSync'> = nodeFs): void {
  checkOutputPath(file, fs);
  const dir = dirname(file);
  const probe = join(dir, `.${basename(file)}.${process.pid}.probe`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(probe, '');
  } catch (err) {
    throw fileError(err, dir, 'write');
  } finally {
    try {
      fs.rmSync(probe, { force: true });
    } catch {
      // Nothing was created where the path is unusable.
    }
  }
  const stats = fs.statfsSync(dir);
  const free = stats.bavail * stats.bsize;
  if (free < bytes) {
    throw new UserError(`cannot write: ${Math.ceil(bytes / 1024)} KiB are needed and ${Math.floor(free / 1024)} KiB are free`, { file: dir, hint: 'free some space, or write elsewhere with --out' });
  }
}

export interface WriteYamlOptions {
  /** Overwrite an existing file even when it does not validate. */
  force?: boolean;
  header?: string;
}

/**
 * An existing file at `file` that does not validate against its schema is
 * kept (it may be hand-edited data worth keeping) unless `force`: checked
 * before a run as well as at the write.
 */
export function checkOverwrite(file: string, schemaName: SchemaName, force = false): void {
  if (force || !nodeFs.existsSync(file)) return;
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

/**
 * Validate `value` against its schema and write it atomically. Refuses to
 * overwrite an existing file that fails validation (it may be hand-edited
 * data worth keeping) unless `force` is set.
 */
export function writeValidatedYaml(file: string, value: unknown, schemaName: SchemaName, options: WriteYamlOptions = {}): void {
  const text = toYaml(value, options.header);
  // Validate what will actually be on disk, after rounding.
  parseValidated(text, `${file} (about to be written)`, schemaName);
  checkOutputPath(file, nodeFs);
  checkOverwrite(file, schemaName, options.force);
  writeAtomic(file, text);
}
