/**
 * How the element gets the HttpAdapter class (a page that configures it by `api-base` and
 * `token`) without the class in the element's entry: from its chunk on first use, or at once
 * when the page already ran that chunk. The hosted portal page runs it as a module script
 * before the element's, so the element's first render is the overview from the page's first
 * answers, not a "Loading" frame while a chunk that is already there is imported again
 * (`import()` resolves a task later even then).
 */
import type { HttpAdapter } from './http-adapter.js';

type HttpAdapterClass = typeof HttpAdapter;
let evaluated: HttpAdapterClass | undefined;

/** Called by http-adapter.ts as it is evaluated. */
export function httpAdapterEvaluated(adapter: HttpAdapterClass): void {
  evaluated = adapter;
}

/** The HttpAdapter class: itself when its module already ran, else a promise of its chunk. */
export function loadHttpAdapter(): HttpAdapterClass | Promise<HttpAdapterClass> {
  return evaluated ?? import('./http-adapter.js').then((module) => module.HttpAdapter);
}
