/**
 * The texts of the codes raised in the host's code by `verifyWebhook` (`HostErrorCode` in
 * `core/errors.ts`): never answered by the server (status 0); the host answers such a request
 * with 400. Here, not in `ERROR_CODES`, so the element's bundle does not carry them; importing
 * this module (the admin entry does) adds them.
 */
import { defineHostErrorCodes, type ErrorCodeInfo, type HostErrorCode } from '../core/errors.js';

export const HOST_ERROR_CODES = {
  webhook_headers_missing: {
    status: 0,
    retryable: false,
    title: 'The webhook is not signed',
    action: 'Ignore it. Pass the request’s headers as they arrived.',
  },
  webhook_timestamp_out_of_range: {
    status: 0,
    retryable: false,
    title: 'The webhook’s timestamp is out of range',
    action: 'Ignore it: it may be replayed. If all fail, check the clock.',
  },
  webhook_signature_invalid: {
    status: 0,
    retryable: false,
    title: 'The webhook’s signature does not match',
    action: 'Ignore it. If all fail, verify the body as it arrived, with this endpoint’s secret.',
  },
  webhook_payload_invalid: {
    status: 0,
    retryable: false,
    title: 'The webhook is not JSON',
    action: 'Ignore it.',
  },
  webhook_secret_invalid: {
    status: 0,
    retryable: false,
    title: 'The webhook secret is not valid',
    action: 'Use the endpoint’s secret as it was shown: whsec_ and base64.',
  },
} as const satisfies Record<HostErrorCode, ErrorCodeInfo>;

defineHostErrorCodes(HOST_ERROR_CODES);
