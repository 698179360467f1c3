export * from './store.js';
export * from './json-file-store.js';
export * from './sql-store.js';
