import { DEFAULT_PRICE_TABLE, InvalidArgumentError, explainUsage } from '@claw/core';
import { Hono, type Context } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { consoleAsset } from './console-assets';
import type { ConsoleOptions } from './console-options';
import { readConsoleCookie, setConsoleCookie } from './http/cookies';
import { CsrfTokens } from './http/csrf-token';
import { HttpProblem } from './http/http-problem';
import { approvalsPage, decideFromForm, visibleRequests } from './pages/approvals-page';
import { auditPage } from './pages/audit-page';
import type { PageContext, ResolvedConsoleOptions } from './pages/page-context';
import { recordPage } from './pages/record-page';
import { teamPage } from './pages/team-page';
import { usagePage } from './pages/usage-page';
import { layout, type Markup, type PageFrame } from './views/layout';
import { problemPage } from './views/problem-page';

/** A mounted console: a Web-standard handler, and the Hono app behind it for hosts that compose Hono apps. */
export interface ClawConsole {
  /** Answers one request: `fetch(request) → response`, as Node (via `@hono/node-server`), Bun, Deno and Next expect. */
  fetch(request: Request): Promise<Response>;
  /** The Hono app (mount it with `app.route(basePath, console.app)` only when its basePath is empty). */
  readonly app: Hono;
}

const CSRF_COOKIE = 'claw_console_csrf';
const FORM_LIMIT_BYTES = 16_384;

/** The Content-Security-Policy: scripts and styles from the console's own origin only, no inline code at all. */
const CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

/**
 * Creates the console: server-rendered pages for a person's usage, their team's (down the management chain only),
 * single usage records, pending approvals and the audit log, reading only through the given reports and stores.
 * Every page needs `authenticate` to name a viewer (401 otherwise); state changes are POSTs with a CSRF token.
 * @throws InvalidArgumentError when a store, `authenticate` or a long enough `secret` is missing.
 */
export function createConsole(options: ConsoleOptions): ClawConsole {
  for (const key of ['authenticate', 'reports', 'ledger', 'directory', 'approvals', 'runStates', 'audit'] as const) {
    if (!options?.[key]) throw new InvalidArgumentError(`createConsole needs \`${key}\`; pass the same store your agents use.`);
  }
  if (typeof options.secret !== 'string' || options.secret.length < 32) {
    throw new InvalidArgumentError('createConsole needs a `secret` of at least 32 characters to sign its CSRF tokens (e.g. 32 random bytes as hex).');
  }
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  if (base !== '' && !/^\/[A-Za-z0-9._~/-]*$/.test(base)) throw new InvalidArgumentError(`basePath "${options.basePath}" must be a plain path such as "/console".`);
  const resolved: ResolvedConsoleOptions = {
    clock: Date.now,
    formulaUrl: 'https://github.com/claw-sdk/claw/blob/main/docs/metering.md',
    auditWindowMs: 7 * 86_400_000,
    explain: (record) => explainUsage(record, options.prices ?? DEFAULT_PRICE_TABLE),
    ...stripUndefined(options),
  };
  const tokens = new CsrfTokens(options.secret);
  const app = new Hono<{ Variables: { viewer: string; page: PageContext } }>().basePath(base || '/');
  const cookiePath = base || '/';

  app.use('*', secureHeaders({ contentSecurityPolicy: CSP, referrerPolicy: 'same-origin', crossOriginEmbedderPolicy: false }));

  app.get('/assets/:name', (c) => {
    const asset = consoleAsset(c.req.param('name'));
    if (!asset) return c.text('No such asset.', 404);
    return c.body(asset.body, 200, { 'content-type': asset.contentType, 'cache-control': 'public, max-age=3600' });
  });

  app.use('*', async (c, next) => {
    c.header('cache-control', 'no-store');
    const viewer = await options.authenticate(c.req.raw);
    if (typeof viewer !== 'string' || viewer === '') {
      throw new HttpProblem(401, 'Sign in first', "This console shows private usage and approvals; sign in to your service, then open this page again.");
    }
    let browser = readConsoleCookie(c, CSRF_COOKIE);
    if (!browser || browser.length > 64) {
      browser = tokens.newBrowserValue();
      setConsoleCookie(c, CSRF_COOKIE, browser, { path: cookiePath, ...(options.secureCookies !== undefined ? { secure: options.secureCookies } : {}) });
    }
    const directory = resolved.directory;
    c.set('viewer', viewer);
    c.set('page', {
      options: resolved,
      viewer,
      base,
      now: resolved.clock(),
      csrfToken: tokens.tokenFor(browser, viewer),
      nameOf: async (id) => (id === '' ? '–' : ((await directory.displayNameOf?.(id)) ?? id)),
    });
    await next();
  });

  // Same-origin check first (Origin / Sec-Fetch-Site), then the synchroniser token bound to this browser and viewer.
  app.use('*', csrf());
  app.use('*', async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > FORM_LIMIT_BYTES) throw new HttpProblem(413, 'Form too large', 'A decision form is a few hundred bytes; reload the page and try again.');
    const form = await c.req.parseBody();
    const token = typeof form.csrf === 'string' ? form.csrf : undefined;
    if (!tokens.verify(readConsoleCookie(c, CSRF_COOKIE), c.get('viewer'), token)) {
      throw new HttpProblem(403, 'Form expired', 'This form was not issued to you in this browser (or the console restarted). Reload the page and decide again.');
    }
    await next();
  });

  const render = async (c: Context, section: PageFrame['section'], page: Promise<{ title: string; body: Markup; status?: number }>) => {
    const ctx = c.get('page') as PageContext;
    const { title, body, status } = await page;
    return c.html(layout(await frameOf(ctx, section, title), body), (status ?? 200) as 200);
  };

  app.get('/', (c) => c.redirect(`${base}/usage`, 303));
  app.get('/usage', (c) => render(c, 'usage', usagePage(c.get('page'), c.req.query())));
  app.get('/team', (c) => render(c, 'team', teamPage(c.get('page'), c.req.query())));
  app.get('/records/:id', (c) => render(c, 'usage', recordPage(c.get('page'), c.req.param('id'))));
  app.get('/approvals', (c) => render(c, 'approvals', approvalsPage(c.get('page'))));
  app.post('/approvals/:id', async (c) => render(c, 'approvals', decideFromForm(c.get('page'), c.req.param('id'), await c.req.parseBody())));
  app.get('/audit', (c) => render(c, 'audit', auditPage(c.get('page'))));

  app.notFound((c) => problemResponse(c, base, new HttpProblem(404, 'No such page', 'Use the navigation above to find your usage, team, approvals or audit log.')));
  app.onError((error, c) => {
    if (error instanceof HttpProblem) return problemResponse(c, base, error);
    if (error instanceof HTTPException && error.status === 403) {
      return problemResponse(c, base, new HttpProblem(403, 'Cross-site request refused', 'State changes are accepted only from the console\'s own pages; open the page here and try again.'));
    }
    console.error('[claw console]', error);
    return problemResponse(c, base, new HttpProblem(500, 'Something went wrong', 'The console could not answer this request; the server log has the details. Nothing was changed by this page.'));
  });

  return { fetch: (request) => Promise.resolve(app.fetch(request)), app: app as unknown as Hono };
}

async function frameOf(ctx: PageContext, section: PageFrame['section'], title: string): Promise<PageFrame> {
  const { toDecide } = await visibleRequests(ctx);
  const banner = ctx.options.banner;
  return { title, base: ctx.base, viewer: { id: ctx.viewer, name: await ctx.nameOf(ctx.viewer) }, ...(section ? { section } : {}), ...(banner ? { banner } : {}), pendingApprovals: toDecide.length };
}

async function problemResponse(c: Context, base: string, problem: HttpProblem): Promise<Response> {
  const ctx = c.get('page') as PageContext | undefined;
  const banner = ctx?.options.banner;
  const frame = { base, ...(banner ? { banner } : {}), ...(ctx ? { viewer: { id: ctx.viewer, name: await ctx.nameOf(ctx.viewer) } } : {}) };
  c.header('cache-control', 'no-store');
  return c.html(problemPage(frame, problem), problem.status);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
