import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Synchroniser tokens for the console's forms: a random per-browser value kept in an HttpOnly cookie, and a form
 * token that is the HMAC of that value and the viewer's id under the console's secret. A forged request from
 * another site has neither the cookie's value (it cannot read it) nor the secret.
 */
export class CsrfTokens {
  constructor(private readonly secret: string) {}

  /** A new browser value for the cookie. */
  newBrowserValue(): string {
    return randomBytes(18).toString('base64url');
  }

  /** The form token for a browser value and a viewer. */
  tokenFor(browserValue: string, viewer: string): string {
    return createHmac('sha256', this.secret).update(`csrf\n${browserValue}\n${viewer}`).digest('base64url');
  }

  /** True when the token was issued for this browser value and viewer. */
  verify(browserValue: string | undefined, viewer: string, token: string | undefined): boolean {
    if (!browserValue || !token) return false;
    const expected = Buffer.from(this.tokenFor(browserValue, viewer));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
