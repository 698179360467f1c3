/**
 * The portal API of staged activation and the routing preview (issue 15), part of the REST
 * contract (`core/rest-contract.ts` re-exports it and lists it in `REST`). In a module of its own
 * so the HttpAdapter's chunk carries none of it: those methods import it on their first call.
 */
import * as v from 'valibot';
import { ConnectionSchema, IdSchema, ProtocolSchema } from './model.js';
import { VersionSchema, defineRoutes } from './rest-routes.js';
import { INVALID, object, withLengthChecks } from './schema-helpers.js';

/** An email as typed (the routing decides whether it is one). */
export const RoutingRequestSchema = object({
  email: withLengthChecks(v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty'), v.maxLength(320, 'must be at most 320 characters'))),
});

/** `core/routing.ts`'s `RoutingDecision`. */
export const RoutingDecisionSchema = object({
  email: v.string(INVALID),
  domain: v.optional(v.string(INVALID)),
  route: v.picklist(['sso', 'password', 'invalid'], INVALID),
  organization: v.optional(object({ id: IdSchema, name: v.string(INVALID) })),
  connection: v.optional(
    object({ id: IdSchema, protocol: ProtocolSchema, providerId: IdSchema, name: v.string(INVALID), stage: v.picklist(['everyone', 'test_users'], INVALID) }),
  ),
  reasons: v.array(object({ code: v.string(INVALID), message: v.string(INVALID) }), INVALID),
});

/** The test users of a staged activation, as typed: `rules/staging.ts` checks each (verified domains). */
export const TestUsersUpdateSchema = object({
  version: VersionSchema,
  testUsers: v.pipe(v.array(withLengthChecks(v.pipe(v.string('must be an email address'), v.maxLength(320, 'must be at most 320 characters'))), INVALID), v.maxLength(200, 'must list at most 200 entries')),
});

export const ROLLOUT_REST = /* @__PURE__ */ defineRoutes({
  stageConnection: {
    method: 'PUT',
    path: '/api/portal/connections/:id/test-users',
    auth: 'portal',
    request: { params: object({ id: IdSchema }), body: TestUsersUpdateSchema, what: 'Test users' },
    response: ConnectionSchema,
    status: 200,
  },
  previewRouting: {
    method: 'POST',
    path: '/api/portal/routing-preview',
    auth: 'portal',
    request: { body: RoutingRequestSchema, what: 'Routing preview' },
    response: RoutingDecisionSchema,
    status: 200,
  },
});
