/**
 * The console in a real browser: Debian's Chromium driven by playwright-core against the console served on
 * 127.0.0.1 over a seeded SQLite database. Skipped when /usr/bin/chromium is missing, except under CI=true.
 * Screenshots of every page go to $CLAW_TEST_ARTIFACTS (default: <tmp>/claw-console-screenshots).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConsole, type ServedConsole } from '../../src';
import { consoleFixture, PAYMENTS, type ConsoleFixture } from '../support/console-fixture';

const CHROMIUM = process.env.CLAW_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const ARTIFACTS = process.env.CLAW_TEST_ARTIFACTS ?? join(tmpdir(), 'claw-console-screenshots');
/** The flags this machine's Chromium needs: no sandbox as root, no GPU, and no background network at all. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe.runIf(hasChromium || !!process.env.CI)('@claw/console in Chromium', () => {
  let f: ConsoleFixture;
  let served: ServedConsole;
  let browser: Browser;
  const dialogs: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    f = await consoleFixture();
    served = await serveConsole(f.console, { port: 0 });
    // playwright-core gives every launch a fresh, empty profile directory of its own.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await f?.close();
  });

  async function as(user: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.addCookies([{ name: 'test_user', value: user, url: served.url }]);
    const page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    return { context, page };
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('priya sees her own usage, charts drawn from the bundled uPlot, and only herself', async () => {
    const { context, page } = await as('priya');
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${served.url}/usage`);
    await expect.poll(() => page.locator('html').getAttribute('data-charts-drawn')).toBe('2');
    expect(await page.locator('.uplot canvas').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('h1').textContent()).toBe('My usage');
    await shot(page, 'usage-priya');
    await page.goto(`${served.url}/team`);
    expect(await page.locator('tr[data-person]').count()).toBe(0);
    const refused = await page.goto(`${served.url}/usage?person=raj`);
    expect(refused!.status()).toBe(403);
    expect(violations).toEqual([]);
    await context.close();
  });

  it("raj sees his reports and not his peer's, and a report's record derivation", async () => {
    const { context, page } = await as('raj');
    await page.goto(`${served.url}/team`);
    const people = await page.locator('tr[data-person]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-person')));
    expect([...people].sort()).toEqual([...PAYMENTS].sort());
    await shot(page, 'team-raj');
    await page.click('tr[data-person="priya"] a');
    expect(await page.locator('h1').textContent()).toBe('Usage of Priya Sharma');
    await page.locator('#records a').first().click();
    await expect.poll(() => page.locator('#derivation li').count()).toBeGreaterThan(4);
    await shot(page, 'record');
    await context.close();
  });

  it("a peer gets a refusal page for priya's usage and the attempt is audited", async () => {
    const before = (await f.db.audit.list({ type: 'access.denied', principalId: 'mei' })).length;
    const { context, page } = await as('mei');
    const response = await page.goto(`${served.url}/usage?person=priya`);
    expect(response!.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Not yours to see');
    await shot(page, 'refusal');
    expect((await f.db.audit.list({ type: 'access.denied', principalId: 'mei' })).length).toBe(before + 1);
    await context.close();
  });

  it('raj approves a pending email_send whose subject is markup: shown as text, the run resumes, the message is delivered; a replay is refused', async () => {
    const subject = '<img src=x onerror=alert(1)>';
    const run = await f.pendingSend(subject);
    const request = run.pending![0]!;
    const { context, page } = await as('raj');
    await page.goto(`${served.url}/approvals`);
    const card = page.locator(`article[data-request="${request.id}"]`);
    expect(await card.locator('.preview-summary').textContent()).toContain(subject);
    expect(await card.locator('pre.input').textContent()).toContain(subject);
    expect(await page.locator('main img').count()).toBe(0);
    await shot(page, 'approvals');
    const form = { csrf: await card.locator('input[name="csrf"]').inputValue(), inputHash: await card.locator('input[name="inputHash"]').inputValue(), decision: 'approve' };
    await card.locator('button.approve').click();
    await expect.poll(() => page.locator('#run-outcome').getAttribute('data-stop-reason')).toBe('final');
    await shot(page, 'approved');
    expect(f.mailbox.outbox.map((m) => m.source.toString('utf8')).some((s) => s.includes('Subject: <img src=x onerror=alert(1)>'))).toBe(true);
    const replay = await page.request.post(`${served.url}/approvals/${request.id}`, { form, headers: { origin: served.url } });
    expect(replay.status()).toBe(409);
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('a two-person request is approved by raj, then by dana: waiting for one more approver in between, then delivered once', async () => {
    const subject = '[board] Quarterly numbers';
    const request = (await f.pendingSend(subject)).pending![0]!;
    expect(request.approversRequired).toBe(2);
    const sent = f.mailbox.outbox.length;

    const raj = await as('raj');
    await raj.page.goto(`${served.url}/approvals`);
    await raj.page.locator(`article[data-request="${request.id}"] button.approve`).click();
    await expect.poll(() => raj.page.locator('#run-outcome').getAttribute('data-stop-reason')).toBe('awaiting');
    expect(await raj.page.locator('.decided .waiting-for').textContent()).toBe('waiting for one more approver');
    expect(await raj.page.locator('.decided').textContent()).toContain('Approved so far by Raj Patel');
    expect(f.mailbox.outbox.length).toBe(sent);
    await raj.page.goto(`${served.url}/approvals`);
    const rajCard = raj.page.locator(`article[data-request="${request.id}"]`);
    expect(await rajCard.locator('.approved-so-far dd').textContent()).toContain('Raj Patel');
    expect(await rajCard.locator('form').count()).toBe(0);
    await shot(raj.page, 'approvals-two-person');
    await raj.context.close();

    const dana = await as('dana');
    await dana.page.goto(`${served.url}/approvals`);
    const danaCard = dana.page.locator(`article[data-request="${request.id}"]`);
    expect(await danaCard.locator('.waiting-for').textContent()).toBe('waiting for one more approver');
    await danaCard.locator('button.approve').click();
    await expect.poll(() => dana.page.locator('#run-outcome').getAttribute('data-stop-reason')).toBe('final');
    expect(await dana.page.locator('.decided').textContent()).toContain('Approved by Raj Patel, Dana Okafor');
    expect(f.mailbox.outbox.length).toBe(sent + 1);
    expect(f.mailbox.outbox.at(-1)!.source.toString('utf8')).toContain(`Subject: ${subject}`);
    const granted = await f.db.audit.list({ type: 'approval.granted', runId: request.runId });
    expect(granted[0]!.data).toMatchObject({ approvers: ['raj', 'dana'] });
    await dana.context.close();
  });

  it('an approval replayed after the input changed, or after expiry, is refused and nothing is sent', async () => {
    const sent = f.mailbox.outbox.length;
    const changed = (await f.pendingSend('Numbers v2')).pending![0]!;
    const expired = (await f.pendingSend('Stale numbers', { approvalTimeoutMs: 1 })).pending![0]!;
    const { context, page } = await as('raj');
    await page.goto(`${served.url}/approvals`);
    const csrf = await page.locator(`article[data-request="${changed.id}"] input[name="csrf"]`).inputValue();
    const post = (id: string, inputHash: string) => page.request.post(`${served.url}/approvals/${id}`, { form: { csrf, inputHash, decision: 'approve' }, headers: { origin: served.url } });
    const other = await post(changed.id, expired.inputHash);
    expect(other.status()).toBe(409);
    expect(await other.text()).toContain('different input');
    expect(await page.locator(`article[data-request="${expired.id}"] form`).count()).toBe(0);
    const late = await post(expired.id, expired.inputHash);
    expect(late.status()).toBe(410);
    expect(f.mailbox.outbox.length).toBe(sent);
    expect(await f.db.runStates.load(changed.runId)).toBeDefined();
    await page.goto(`${served.url}/audit`);
    expect(await page.locator('#chain-status').getAttribute('data-valid')).toBe('true');
    await shot(page, 'audit');
    await context.close();
  });
});
