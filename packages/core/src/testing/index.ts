// Test helpers other packages import as `@emergence/core/testing`.
export { FakeBackend, type FakeBackendScript } from './fake-backend.js';
export { userErrorOf } from './user-error.js';
