/**
 * The headers every page Warden serves to a browser carries (the console and GraphiQL): a strict Content
 * Security Policy — scripts, styles and fonts only from Warden itself, no inline script, no framing — and
 * the usual companions. Pages hold tokens in memory and send them as `Authorization` headers, never in
 * cookies or URLs, so a cross-site request carries no credential (CSRF has nothing to ride on).
 */
export interface PagePolicy {
  /** Other origins a page may call with fetch (e.g. the OpenID provider's token endpoint). */
  connectTo?: string[];
  /**
   * For a page whose scripts style it at run time (GraphiQL's Monaco editor adds <style> elements and
   * positions its lines with style attributes): <style> elements need this response's nonce, and style
   * attributes are allowed. Stylesheet files stay same-origin only; with images and fonts same-origin too,
   * such styles cannot load anything from elsewhere. Browsers without CSP 3 fall back to `style-src 'self'`.
   */
  scriptStyles?: { nonce: string };
}

export function pageSecurityHeaders(policy: PagePolicy = {}): Record<string, string> {
  const connect = ["'self'", ...(policy.connectTo ?? []).map((url) => new URL(url).origin)];
  return {
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      ...(policy.scriptStyles
        ? [`style-src-elem 'self' 'nonce-${policy.scriptStyles.nonce}'`, "style-src-attr 'unsafe-inline'"]
        : []),
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src ${[...new Set(connect)].join(' ')}`,
      "manifest-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}
