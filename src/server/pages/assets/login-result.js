// The test login's result page, in the popup the portal opened: tells the portal (only the
// origin that started the test, never '*') that the result is in, then closes. The message holds
// no result data: the portal reads the result through its API.
const { openerOrigin, testId, status } = document.body.dataset;
if (window.opener && openerOrigin && testId) {
  window.opener.postMessage({ type: 'sso-admin-portal:test-result', testId, status }, openerOrigin);
  window.close();
}
