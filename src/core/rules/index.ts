/**
 * The domain rules of an organization as pure functions over its state (see `state.ts`): the
 * MemoryAdapter runs them in the browser, the server over its database. This index is for
 * servers and tests; the browser code imports the files it needs (`domains.ts` carries the
 * list of public email providers and loads lazily there).
 */
export * from './state.js';
export * from './connections.js';
export * from './tests.js';
export * from './domains.js';
export * from './links.js';
export * from './changes.js';
export * from './staging.js';
