// Posts the page's form on load (a SAML message on its way to the identity provider or to the
// ACS). Without scripts, the form's Continue button does the same.
document.querySelector('form[data-autosubmit]')?.submit();
