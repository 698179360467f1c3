/**
 * The routes of test links (core/test-link-model.ts), part of the REST contract
 * (`core/rest-contract.ts` lists them in `REST`). In a module of its own, like the directory
 * routes, so the HttpAdapter's chunk carries none of it: its test-link methods load it on their
 * first call, with the panel that uses them.
 */
import * as v from 'valibot';
import { IdSchema } from './model.js';
import { defineRoutes } from './rest-routes.js';
import { INVALID, object } from './schema-helpers.js';
import { TestLinkInputSchema, TestLinkSchema, TestLinkWithUrlSchema } from './test-link-model.js';

export const TEST_LINK_REST = /* @__PURE__ */ defineRoutes({
  listTestLinks: {
    method: 'GET',
    path: '/api/portal/connections/:id/test-links',
    auth: 'portal',
    request: { params: object({ id: IdSchema }) },
    response: v.array(TestLinkSchema, INVALID),
    status: 200,
  },
  createTestLink: {
    method: 'POST',
    path: '/api/portal/connections/:id/test-links',
    auth: 'portal',
    request: { params: object({ id: IdSchema }), body: TestLinkInputSchema, what: 'Test link', optionalBody: true },
    response: TestLinkWithUrlSchema,
    status: 201,
  },
  revokeTestLink: {
    method: 'DELETE',
    path: '/api/portal/test-links/:linkId',
    auth: 'portal',
    request: { params: object({ linkId: IdSchema }) },
    response: TestLinkSchema,
    status: 200,
  },
  listOrganizationTestLinks: {
    method: 'GET',
    path: '/api/admin/organizations/:orgId/test-links',
    auth: 'admin',
    request: { params: object({ orgId: IdSchema }) },
    response: v.array(TestLinkSchema, INVALID),
    status: 200,
  },
});
