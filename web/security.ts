// The security headers of every page and asset under /callback (and the pages to come): a strict
// Content-Security-Policy, with scripts and styles from this origin only (no inline code), and
// frame-ancestors from the API's CORS allow-list, which so decides the sites that may embed the page.
import type { MiddlewareHandler } from 'hono';

export function contentSecurityPolicy(corsOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    `frame-ancestors ${["'self'", ...corsOrigins].join(' ')}`,
  ].join('; ');
}

export function pageHeaders(corsOrigins: readonly string[]): MiddlewareHandler {
  const csp = contentSecurityPolicy(corsOrigins);
  return async (c, next) => {
    await next();
    c.header('content-security-policy', csp);
    c.header('x-content-type-options', 'nosniff');
    // The self-service link carries the customer's token: no page of ours tells another site where it was.
    c.header('referrer-policy', 'no-referrer');
    c.header('cross-origin-opener-policy', 'same-origin');
  };
}
