/**
 * The HttpAdapter's optional methods: directory sync (SCIM 2.0), staged activation and the routing
 * preview, test links for a colleague, login traces: which route of `DIRECTORY_REST`,
 * `ROLLOUT_REST`, `TEST_LINK_REST` or `LOGIN_TRACE_REST` each calls, with which parameters and
 * body (checked before it is sent, like a connection's). Loaded on the first such call, with the
 * routes and their schemas, so the HttpAdapter's chunk, which every hosted portal loads, carries
 * none of it.
 */
import { DIRECTORY_REST } from '../core/directory-rest.js';
import { LOGIN_TRACE_REST } from '../core/login-trace-rest.js';
import { ROLLOUT_REST } from '../core/rollout-rest.js';
import { TEST_LINK_REST } from '../core/test-link-rest.js';
import { parseOrThrow } from '../core/model.js';
import type { RestRoute } from '../core/rest-contract.js';
import type { Call } from './http-adapter.js';
import type { PortalAdapter, RequestOptions, VersionGuard } from './portal-adapter.js';

const ROUTES = { ...DIRECTORY_REST, ...ROLLOUT_REST, ...TEST_LINK_REST, listLoginAttempts: LOGIN_TRACE_REST.listLoginAttempts };

export type DirectoryMethod = keyof typeof ROUTES & keyof PortalAdapter;

interface Shape {
  params?: Record<string, string>;
  body?: unknown;
  what: string;
  options?: RequestOptions;
}

const id = (value: string) => ({ id: value });

/** Each method's arguments as a call (the adapter's signatures, in PortalAdapter). */
const SHAPES: { [K in DirectoryMethod]: (...args: Parameters<NonNullable<PortalAdapter[K]>>) => Shape } = {
  listDirectories: (options) => ({ what: 'Directories', options }),
  getDirectory: (directoryId, options) => ({ params: id(directoryId), what: 'Directory', options }),
  createDirectory: (input, options) => ({ body: input, what: 'Directory', options }),
  regenerateDirectoryToken: (directoryId, guard: VersionGuard, options) => ({ params: id(directoryId), body: { version: guard.version }, what: 'Token', options }),
  setDirectoryEnabled: (directoryId, enabled, guard, options) => ({ params: id(directoryId), body: { version: guard.version, enabled }, what: 'Directory', options }),
  deleteDirectory: (directoryId, options) => ({ params: id(directoryId), what: 'Deletion', options }),
  listDirectoryRequests: (directoryId, options) => ({ params: id(directoryId), what: 'Directory requests', options }),
  stageConnection: (connectionId, testUsers, guard, options) => ({ params: id(connectionId), body: { version: guard.version, testUsers }, what: 'Connection', options }),
  previewRouting: (email, options) => ({ body: { email }, what: 'Routing preview', options }),
  listTestLinks: (connectionId, options) => ({ params: id(connectionId), what: 'Test links', options }),
  createTestLink: (connectionId, input, options) => ({ params: id(connectionId), body: input, what: 'Test link', options }),
  revokeTestLink: (linkId, options) => ({ params: { linkId }, what: 'Test link', options }),
  listLoginAttempts: (connectionId, options) => ({ params: id(connectionId), what: 'Login attempts', options }),
};

/** The call the HttpAdapter makes for `method(...args)`; a body that does not fit the contract is `validation_failed`, unsent. */
export function directoryCall(method: DirectoryMethod, args: unknown[]): Call<RestRoute> {
  const route: RestRoute = ROUTES[method];
  const { params, body, what, options } = (SHAPES[method] as (...args: unknown[]) => Shape)(...args);
  const schema = route.request?.body;
  return { route, params, body: schema ? parseOrThrow(schema, body, route.request?.what ?? what) : body, what, signal: options?.signal };
}
