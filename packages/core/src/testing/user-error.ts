// The UserError a function throws, for tests that check its file, line and pointer.
import { UserError } from '../errors.js';

export function userErrorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError, but nothing was thrown');
}
