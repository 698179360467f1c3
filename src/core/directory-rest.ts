/**
 * The portal API of directory sync (core/directory-model.ts), part of the REST contract
 * (`core/rest-contract.ts` re-exports it and lists it in `REST`). In a module of its own so the
 * HttpAdapter's chunk carries none of it: its directory methods import it on their first call.
 */
import * as v from 'valibot';
import { DirectoryInputSchema, DirectoryRequestSchema, DirectorySchema, DirectoryWithTokenSchema } from './directory-model.js';
import { IdSchema } from './model.js';
import { EnabledUpdateSchema, VersionOnlySchema, defineRoutes } from './rest-routes.js';
import { INVALID, object } from './schema-helpers.js';

const DirectoryIdParams = object({ id: IdSchema });

export const DIRECTORY_REST = /* @__PURE__ */ defineRoutes({
  listDirectories: { method: 'GET', path: '/api/portal/directories', auth: 'portal', response: v.array(DirectorySchema, INVALID), status: 200 },
  createDirectory: {
    method: 'POST',
    path: '/api/portal/directories',
    auth: 'portal',
    request: { body: DirectoryInputSchema, what: 'Directory' },
    response: DirectoryWithTokenSchema,
    status: 201,
  },
  getDirectory: {
    method: 'GET',
    path: '/api/portal/directories/:id',
    auth: 'portal',
    request: { params: DirectoryIdParams },
    response: DirectorySchema,
    status: 200,
  },
  regenerateDirectoryToken: {
    method: 'POST',
    path: '/api/portal/directories/:id/token',
    auth: 'portal',
    request: { params: DirectoryIdParams, body: VersionOnlySchema, what: 'Token' },
    response: DirectoryWithTokenSchema,
    status: 200,
  },
  setDirectoryEnabled: {
    method: 'PUT',
    path: '/api/portal/directories/:id/enabled',
    auth: 'portal',
    request: { params: DirectoryIdParams, body: EnabledUpdateSchema, what: 'Activation' },
    response: DirectorySchema,
    status: 200,
  },
  deleteDirectory: {
    method: 'DELETE',
    path: '/api/portal/directories/:id',
    auth: 'portal',
    request: { params: DirectoryIdParams },
    status: 204,
  },
  listDirectoryRequests: {
    method: 'GET',
    path: '/api/portal/directories/:id/requests',
    auth: 'portal',
    request: { params: DirectoryIdParams },
    response: v.array(DirectoryRequestSchema, INVALID),
    status: 200,
  },

});

