/**
 * The Content-Security-Policy of every page of the app: the web-mode server sends it with
 * the built renderer, and the Electron shell sends the same one for its `app://` pages.
 * A tiny module of its own so that the Electron bundle does not pull in the HTTP server.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
