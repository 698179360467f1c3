/**
 * The routes of login traces and diagnostic reports (issue 15, points 4 and 5), part of the REST
 * contract (`core/rest-contract.ts` spreads them into `REST`). In a module of its own, like the
 * directory routes, so the HttpAdapter's chunk carries none of it: the adapter's
 * `listLoginAttempts` loads it on its first call.
 */
import * as v from 'valibot';
import { LoginAttemptSchema } from './login-trace.js';
import { IdSchema, text } from './model.js';
import { defineRoutes } from './rest-routes.js';
import { INVALID, object } from './schema-helpers.js';

const AttemptList = v.array(LoginAttemptSchema, INVALID);
const AdminConnectionParams = object({ orgId: IdSchema, connectionId: IdSchema });

/** A report as the server builds it for the dashboard (`core/diagnostic-report.ts`): both files and what was redacted. */
export const DiagnosticReportAnswerSchema = object({
  fileName: text(200),
  redactions: v.array(text(1000), INVALID),
  html: v.string(INVALID),
  json: v.string(INVALID),
});

export const LOGIN_TRACE_REST = /* @__PURE__ */ defineRoutes({
  listLoginAttempts: {
    method: 'GET',
    path: '/api/portal/connections/:id/login-attempts',
    auth: 'portal',
    request: { params: object({ id: IdSchema }) },
    response: AttemptList,
    status: 200,
  },
  listConnectionLoginAttempts: {
    method: 'GET',
    path: '/api/admin/organizations/:orgId/connections/:connectionId/login-attempts',
    auth: 'admin',
    request: { params: AdminConnectionParams },
    response: AttemptList,
    status: 200,
  },
  getLoginAttemptReport: {
    method: 'GET',
    path: '/api/admin/organizations/:orgId/connections/:connectionId/login-attempts/:attemptId/report',
    auth: 'admin',
    request: { params: object({ orgId: IdSchema, connectionId: IdSchema, attemptId: IdSchema }) },
    response: DiagnosticReportAnswerSchema,
    status: 200,
  },
});
