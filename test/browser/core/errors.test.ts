import { expect } from '@open-wc/testing';
import {
  ERROR_CODES,
  PORTAL_ERROR_CODES,
  PortalError,
  describeError,
  isPortalError,
  isPortalErrorCode,
  toPortalError,
  type PortalErrorCode,
} from '../../../src/core/errors.js';
import { TEST_FAILURES, TEST_FAILURE_CODES, isTestFailureCode } from '../../../src/core/test-failures.js';

describe('errors: ERROR_CODES', () => {
  it('lists every code in PORTAL_ERROR_CODES exactly once', () => {
    expect(PORTAL_ERROR_CODES).to.have.members(Object.keys(ERROR_CODES));
    expect(new Set(PORTAL_ERROR_CODES).size).to.equal(PORTAL_ERROR_CODES.length);
  });

  it('gives every code a non-empty title and action, a status and a retryable flag', () => {
    for (const code of PORTAL_ERROR_CODES) {
      const info = ERROR_CODES[code];
      expect(info.title.trim(), `${code}.title`).to.not.equal('');
      expect(info.action.trim(), `${code}.action`).to.not.equal('');
      expect(info.action, `${code}.action differs from its title`).to.not.equal(info.title);
      expect(info.status, `${code}.status`).to.be.a('number');
      expect(Number.isInteger(info.status) && info.status >= 0 && info.status < 600, `${code}.status`).to.equal(true);
      expect(info.retryable, `${code}.retryable`).to.be.a('boolean');
    }
  });

  it('never shows a raw snake_case code or a placeholder to the admin', () => {
    for (const code of PORTAL_ERROR_CODES) {
      const { title, action } = ERROR_CODES[code];
      for (const text of [title, action]) {
        if (code.includes('_')) expect(text, code).to.not.contain(code);
        expect(text, code).to.not.match(/\b(TODO|undefined|null)\b|\$\{|\{\w+\}/);
      }
    }
  });

  it('includes the codes the element and adapters rely on', () => {
    const required: PortalErrorCode[] = [
      'session_expired',
      'forbidden',
      'not_found',
      'conflict',
      'validation_failed',
      'rate_limited',
      'network',
      'aborted',
      'server_error',
      'not_configured',
      'test_required',
      'test_not_found',
      'domain_invalid',
      'domain_verification_failed',
      'unknown',
    ];
    for (const code of required) expect(ERROR_CODES, code).to.have.property(code);
  });

  it('marks transient failures retryable and caller mistakes not retryable', () => {
    for (const code of ['network', 'rate_limited', 'server_error', 'request_timeout', 'aborted'] as const) {
      expect(ERROR_CODES[code].retryable, code).to.equal(true);
    }
    for (const code of ['validation_failed', 'conflict', 'forbidden', 'session_expired', 'not_found', 'test_required'] as const) {
      expect(ERROR_CODES[code].retryable, code).to.equal(false);
    }
  });
});

describe('errors: isPortalErrorCode', () => {
  it('accepts every listed code', () => {
    for (const code of PORTAL_ERROR_CODES) expect(isPortalErrorCode(code), code).to.equal(true);
  });

  it('refuses unknown strings, inherited Object keys and non-strings', () => {
    for (const value of ['', 'NOT_FOUND', 'nope', 'toString', 'constructor', '__proto__', 'hasOwnProperty', 404, null, undefined, {}, ['conflict']]) {
      expect(isPortalErrorCode(value), String(value)).to.equal(false);
    }
  });
});

describe('errors: PortalError', () => {
  it('defaults its message, status and retryable flag from ERROR_CODES', () => {
    const error = new PortalError('conflict');
    expect(error).to.be.instanceOf(Error);
    expect(error.name).to.equal('PortalError');
    expect(error.code).to.equal('conflict');
    expect(error.message).to.equal(ERROR_CODES.conflict.title);
    expect(error.status).to.equal(409);
    expect(error.retryable).to.equal(false);
    expect(error.details).to.equal(undefined);
    expect(error.cause).to.equal(undefined);
  });

  it('reports no status for codes that have no HTTP status (status 0)', () => {
    expect(new PortalError('network').status).to.equal(undefined);
    expect(new PortalError('aborted').status).to.equal(undefined);
  });

  it('lets the caller override message, status, retryable, details and cause', () => {
    const cause = new Error('inner');
    const error = new PortalError('server_error', {
      message: 'Upstream failed',
      status: 503,
      retryable: false,
      details: { upstream: 'db' },
      cause,
    });
    expect(error.message).to.equal('Upstream failed');
    expect(error.status).to.equal(503);
    expect(error.retryable).to.equal(false);
    expect(error.details).to.deep.equal({ upstream: 'db' });
    expect(error.cause).to.equal(cause);
  });

  it('serialises to a plain object with code, message, status, retryable and details, but never the cause', () => {
    const error = new PortalError('validation_failed', {
      message: 'Connection is not valid: name: must not be empty',
      details: { issues: [{ path: 'name', message: 'must not be empty' }] },
      cause: new Error('database password is hunter2'),
    });
    const json = JSON.parse(JSON.stringify(error));
    expect(json).to.deep.equal({
      code: 'validation_failed',
      message: 'Connection is not valid: name: must not be empty',
      status: 422,
      retryable: false,
      details: { issues: [{ path: 'name', message: 'must not be empty' }] },
    });
    expect(JSON.stringify(error)).to.not.contain('hunter2');
  });

  it('toJSON returns a plain object, fit for postMessage and logs', () => {
    const json = new PortalError('rate_limited').toJSON();
    expect(Object.getPrototypeOf(json)).to.equal(Object.prototype);
    expect(json.code).to.equal('rate_limited');
    expect(json.retryable).to.equal(true);
  });

  it('isPortalError recognises PortalErrors only', () => {
    expect(isPortalError(new PortalError('unknown'))).to.equal(true);
    expect(isPortalError(new Error('x'))).to.equal(false);
    expect(isPortalError({ name: 'PortalError', code: 'unknown' })).to.equal(false);
    expect(isPortalError(undefined)).to.equal(false);
  });

  it('describeError gives the admin-facing title and action of the code, not the technical message', () => {
    const error = new PortalError('session_expired', { message: 'JWT exp claim in the past' });
    expect(describeError(error)).to.deep.equal({
      title: ERROR_CODES.session_expired.title,
      action: ERROR_CODES.session_expired.action,
    });
    for (const code of PORTAL_ERROR_CODES) {
      const described = describeError(new PortalError(code));
      expect(described.title, code).to.equal(ERROR_CODES[code].title);
      expect(described.action, code).to.equal(ERROR_CODES[code].action);
    }
  });
});

describe('errors: toPortalError', () => {
  it('returns a PortalError unchanged', () => {
    const original = new PortalError('forbidden', { details: { a: 1 } });
    expect(toPortalError(original)).to.equal(original);
  });

  it('maps an AbortError DOMException to aborted, keeping it as the cause', () => {
    const abort = new DOMException('The user aborted a request.', 'AbortError');
    const error = toPortalError(abort);
    expect(error).to.be.instanceOf(PortalError);
    expect(error.code).to.equal('aborted');
    expect(error.cause).to.equal(abort);
  });

  it('maps the reason of an aborted AbortController to aborted', () => {
    const controller = new AbortController();
    controller.abort();
    expect(toPortalError(controller.signal.reason).code).to.equal('aborted');
  });

  it('maps a real aborted fetch to aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let caught: unknown;
    try {
      // Aborted before it starts: no request is sent.
      await fetch('http://127.0.0.1:1/', { signal: controller.signal });
    } catch (error) {
      caught = error;
    }
    expect(toPortalError(caught).code).to.equal('aborted');
  });

  it('maps a fetch TypeError to network', () => {
    const typeError = new TypeError('Failed to fetch');
    const error = toPortalError(typeError);
    expect(error.code).to.equal('network');
    expect(error.retryable).to.equal(true);
    expect(error.cause).to.equal(typeError);
    expect(toPortalError(new TypeError('NetworkError when attempting to fetch resource.')).code).to.equal('network');
  });

  it('maps the TypeError of a real failed fetch to network', async () => {
    let caught: unknown;
    try {
      // Port 1 is on Chromium's blocked-port list: the fetch fails without any traffic.
      await fetch('http://127.0.0.1:1/');
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(TypeError);
    expect(toPortalError(caught).code).to.equal('network');
  });

  it('maps unrelated TypeErrors, Errors, strings and other values to unknown', () => {
    const values: unknown[] = [
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      new Error('boom'),
      new RangeError('out of range'),
      new DOMException('nope', 'NotAllowedError'),
      'a string',
      42,
      null,
      undefined,
      { code: 'conflict', message: 'looks like a PortalError but is not' },
    ];
    for (const value of values) {
      const error = toPortalError(value);
      expect(error, String(value)).to.be.instanceOf(PortalError);
      expect(error.code, String(value)).to.equal('unknown');
    }
  });

  it('does not leak the text of an unknown error into its message or JSON, but keeps it as the cause', () => {
    const secret = new Error('SELECT * FROM users WHERE password = "hunter2"');
    const error = toPortalError(secret);
    expect(error.code).to.equal('unknown');
    expect(error.message).to.equal(ERROR_CODES.unknown.title);
    expect(error.message).to.not.contain('hunter2');
    expect(JSON.stringify(error)).to.not.contain('hunter2');
    expect(error.details).to.equal(undefined);
    expect(error.cause).to.equal(secret);
  });

  it('does not leak the text of a network TypeError either', () => {
    const error = toPortalError(new TypeError('Failed to fetch https://internal.corp/secret-token=abc'));
    expect(error.code).to.equal('network');
    expect(error.message).to.equal(ERROR_CODES.network.title);
    expect(JSON.stringify(error)).to.not.contain('secret-token');
  });
});

describe('test failures: TEST_FAILURES', () => {
  it('lists every code in TEST_FAILURE_CODES exactly once', () => {
    expect(TEST_FAILURE_CODES).to.have.members(Object.keys(TEST_FAILURES));
    expect(new Set(TEST_FAILURE_CODES).size).to.equal(TEST_FAILURE_CODES.length);
  });

  it('gives every failure code a distinct non-empty message and remedy', () => {
    const messages = new Set<string>();
    for (const code of TEST_FAILURE_CODES) {
      const { message, remedy } = TEST_FAILURES[code];
      expect(message.trim(), `${code}.message`).to.not.equal('');
      expect(remedy.trim(), `${code}.remedy`).to.not.equal('');
      expect(remedy, code).to.not.equal(message);
      expect(messages.has(message), `${code} message is duplicated`).to.equal(false);
      messages.add(message);
    }
  });

  it('covers the SAML and OIDC failures the guide explains', () => {
    for (const code of ['signature_invalid', 'certificate_mismatch', 'audience_mismatch', 'missing_email', 'oidc_invalid_client', 'timeout']) {
      expect(TEST_FAILURE_CODES, code).to.include(code);
    }
  });

  it('isTestFailureCode accepts every listed code and refuses portal error codes, inherited keys and non-strings', () => {
    for (const code of TEST_FAILURE_CODES) expect(isTestFailureCode(code), code).to.equal(true);
    for (const value of ['', 'conflict', 'unknown', 'toString', '__proto__', 'TIMEOUT', 1, null, undefined, {}]) {
      expect(isTestFailureCode(value), String(value)).to.equal(false);
    }
  });

  it('keeps test failure codes and portal error codes apart', () => {
    for (const code of TEST_FAILURE_CODES) expect(isPortalErrorCode(code), code).to.equal(false);
  });
});

describe('errors: toPortalError (timeouts and other browsers)', () => {
  it('maps an AbortSignal.timeout() error to request_timeout', () => {
    expect(toPortalError(new DOMException('signal timed out', 'TimeoutError')).code).to.equal('request_timeout');
  });

  it("maps Safari's and Firefox's fetch failures to network", () => {
    expect(toPortalError(new TypeError('Load failed')).code).to.equal('network');
    expect(toPortalError(new TypeError('NetworkError when attempting to fetch resource.')).code).to.equal('network');
  });
});
