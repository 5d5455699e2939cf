// A model that cannot be used, with the fix; journaled as a failure, then the run goes on.
export class ModelError extends Error {
  constructor(
    readonly model: string,
    readonly detail: string,
    readonly fix: string,
  ) {
    super(`${model}: ${detail} — fix: ${fix}`);
    this.name = 'ModelError';
  }
}
