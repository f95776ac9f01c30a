// Loaded first, as a classic script from the page's own origin (a CSP without 'unsafe-inline' allows
// nothing else): records every CSP violation and every uncaught error on the page for the test.
window.__violations = [];
window.__errors = [];
document.addEventListener(
  'securitypolicyviolation',
  (event) => window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`),
  true,
);
window.addEventListener('error', (event) => window.__errors.push(String(event.message)));
window.addEventListener('unhandledrejection', (event) => window.__errors.push(String(event.reason)));
