import type { ClawConsole } from '../../src';

const ORIGIN = 'http://127.0.0.1';

/** A page as a test reads it. */
export interface Page {
  status: number;
  html: string;
  headers: Headers;
}

/** A signed-in browser talking to a console through its fetch handler: keeps the console's cookie, posts its forms. */
export class TestBrowser {
  private cookie = '';

  constructor(
    private readonly console: ClawConsole,
    readonly user: string | undefined,
  ) {}

  async get(path: string): Promise<Page> {
    return this.send(new Request(`${ORIGIN}${path}`, { headers: this.headers() }));
  }

  /** POSTs a form as the console's own page would (same origin, its cookie, `csrf` as given). */
  async post(path: string, form: Record<string, string>, options: { origin?: string } = {}): Promise<Page> {
    const headers = this.headers();
    headers.set('content-type', 'application/x-www-form-urlencoded');
    headers.set('origin', options.origin ?? ORIGIN);
    return this.send(new Request(`${ORIGIN}${path}`, { method: 'POST', headers, body: new URLSearchParams(form).toString() }));
  }

  private headers(): Headers {
    const headers = new Headers();
    if (this.user !== undefined) headers.set('x-test-user', this.user);
    if (this.cookie) headers.set('cookie', this.cookie);
    return headers;
  }

  private async send(request: Request): Promise<Page> {
    const response = await this.console.fetch(request);
    const set = response.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    return { status: response.status, html: await response.text(), headers: response.headers };
  }
}

/** The value of a form field in a page (`name="…" value="…"`), unescaped. */
export function formValue(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`No form field ${name} in the page`);
  return match[1]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
