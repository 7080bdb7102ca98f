import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsole } from '../src';
import { consoleFixture, PAYMENTS, PLATFORM, type ConsoleFixture } from './support/console-fixture';
import { formValue, TestBrowser } from './support/http-client';

let f: ConsoleFixture;
beforeAll(async () => {
  f = await consoleFixture();
});
afterAll(async () => {
  await f?.close();
});

const as = (user?: string) => new TestBrowser(f.console, user);
const rowsOf = (html: string) => [...html.matchAll(/<tr data-person="([^"]+)"/g)].map((m) => m[1]);
const deniedCount = async () => (await f.db.audit.list({ type: 'access.denied' })).length;

describe('console pages', () => {
  it('answers 401 with a sign-in page when authenticate names nobody', async () => {
    const page = await as(undefined).get('/usage');
    expect(page.status).toBe(401);
    expect(page.html).toContain('Sign in first');
  });

  it('sends a CSP without unsafe-inline and loads only its own scripts and styles', async () => {
    const page = await as('priya').get('/usage');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.html).not.toMatch(/\sstyle=/);
    expect(page.html).not.toMatch(/\son[a-z]+=/);
    for (const asset of ['uplot.js', 'uplot.css', 'console.js', 'console.css']) {
      const response = await f.console.fetch(new Request(`http://127.0.0.1/assets/${asset}`));
      expect(response.status).toBe(200);
      expect((await response.text()).length).toBeGreaterThan(100);
    }
  });

  it('sets its cookie HttpOnly and SameSite=Lax, and Secure outside localhost', async () => {
    const local = await f.console.fetch(new Request('http://127.0.0.1/usage', { headers: { 'x-test-user': 'priya' } }));
    expect(local.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(local.headers.get('set-cookie')).toMatch(/SameSite=Lax/);
    expect(local.headers.get('set-cookie')).not.toMatch(/Secure/);
    const remote = await f.console.fetch(new Request('https://console.acme.example/usage', { headers: { 'x-test-user': 'priya' } }));
    expect(remote.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it("priya's usage page shows her own numbers, with a table beside each chart", async () => {
    const page = await as('priya').get('/usage');
    expect(page.html).toContain('My usage');
    const report = await f.console.fetch(new Request('http://127.0.0.1/usage', { headers: { 'x-test-user': 'priya' } }));
    expect(report.status).toBe(200);
    const charts = page.html.match(/class="chart" data-chart=/g)!.length;
    expect(page.html.match(/Table of this chart/g)!.length).toBe(charts);
    expect(page.html).toContain('Tokens per answered run');
    expect(page.html).toContain('skill_instructions');
    expect(page.html).toMatch(/of the tokens came from background triggers/);
    expect(page.html).toContain('#6-who-can-see-usage');
  });

  it("refuses priya her manager's usage (403, audited) and a forged id is refused the same way", async () => {
    const before = await deniedCount();
    const page = await as('priya').get('/usage?person=raj');
    expect(page.status).toBe(403);
    expect(page.html).toContain('Not yours to see');
    expect(await deniedCount()).toBe(before + 1);
    expect((await as('priya').get('/usage?person=nobody-at-all')).status).toBe(403);
  });

  it('priya has no team page rows: nobody reports to her', async () => {
    const page = await as('priya').get('/team');
    expect(page.status).toBe(200);
    expect(rowsOf(page.html)).toEqual([]);
    expect(page.html).toContain('Nobody reports to you');
  });

  it("raj's team page has one row per report, none of his peer's, ordered by tokens per outcome", async () => {
    const page = await as('raj').get('/team');
    expect(page.status).toBe(200);
    const rows = rowsOf(page.html);
    expect([...rows].sort()).toEqual([...PAYMENTS].sort());
    expect(rows.some((id) => PLATFORM.includes(id!) || id === 'mei')).toBe(false);
    const perAnswer = [...page.html.matchAll(/<tr data-person="[^"]+">.*?<\/td>\s*<td class="num">([\d,–]+)<\/td>/gs)].map((m) => Number(m[1]!.replace(/,/g, '')));
    expect(perAnswer).toEqual([...perAnswer].sort((a, b) => b - a));
    expect(page.html).toContain('data-team="payments"');
    expect(page.html).not.toContain('data-team="leads"');
    expect(page.html).not.toMatch(/sort=tokens|value="tokens"/);
  });

  it('the director sees both managers and all of their reports', async () => {
    const rows = rowsOf((await as('dana').get('/team')).html);
    expect(rows).toHaveLength(19);
  });

  it("raj's peer mei gets a refusal page for priya's usage, and the attempt is audited", async () => {
    const before = await deniedCount();
    const page = await as('mei').get('/usage?person=priya');
    expect(page.status).toBe(403);
    const denied = await f.db.audit.list({ type: 'access.denied', principalId: 'mei' });
    expect(await deniedCount()).toBe(before + 1);
    expect(denied.at(-1)!.data).toMatchObject({ viewer: 'mei', target: 'priya' });
    expect((await as('raj').get('/usage?person=priya')).status).toBe(200);
  });

  it("shows a record's derivation as the meter explains it, and refuses it to a peer", async () => {
    const [record] = await f.db.ledger.query({ principalIds: ['priya'], limit: 1 });
    const page = await as('raj').get(`/records/${encodeURIComponent(record!.id)}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Counting rule 1');
    expect(page.html).toMatch(/Counted: [\d,]+ input/);
    expect((await as('mei').get(`/records/${encodeURIComponent(record!.id)}`)).status).toBe(403);
  });

  it('answers bad input with clear 4xx pages and writes nothing', async () => {
    const before = (await f.db.audit.list()).length;
    const cases: [string, number, string][] = [
      ['/records/no-such-run%3A1%3A1', 404, 'No such usage record'],
      ['/records/garbage', 400, 'Malformed record id'],
      ['/usage?from=2026-02-30', 400, 'Malformed date'],
      ['/usage?from=yesterday', 400, 'Malformed date'],
      ['/usage?from=2026-05-02&to=2026-05-01', 400, 'Empty date range'],
      ['/usage?from=2020-01-01&to=2026-01-01', 400, 'Date range too long'],
      ['/usage?person=%00raj', 400, 'Malformed person id'],
      ['/team?sort=tokens', 400, 'Unknown order'],
      ['/nowhere', 404, 'No such page'],
    ];
    for (const [path, status, title] of cases) {
      const page = await as('raj').get(path);
      expect([path, page.status]).toEqual([path, status]);
      expect(page.html).toContain(title);
    }
    expect((await f.db.audit.list()).length).toBe(before);
  });

  it('escapes attacker-controlled text: an email subject with markup is shown as text', async () => {
    const subject = '<img src=x onerror=alert(1)>';
    const run = await f.pendingSend(subject);
    expect(run.stopReason).toBe('suspended');
    const page = await as('raj').get('/approvals');
    expect(page.html).not.toContain(subject);
    expect(page.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('approving in the console', () => {
  async function pending(subject: string, options?: { approvalTimeoutMs?: number }) {
    const run = await f.pendingSend(subject, options);
    const raj = as('raj');
    const page = await raj.get('/approvals');
    const request = run.pending![0]!;
    expect(page.html).toContain(`data-request="${request.id}"`);
    return { raj, request, csrf: formValue(page.html, 'csrf'), run };
  }

  it('raj approves a pending email_send: the run resumes and the message is delivered', async () => {
    const { raj, request, csrf } = await pending('Weekly report');
    const sent = f.mailbox.outbox.length;
    const page = await raj.post(`/approvals/${request.id}`, { csrf, inputHash: request.inputHash, decision: 'approve' });
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-stop-reason="final"');
    expect(f.mailbox.outbox.length).toBe(sent + 1);
    expect(f.mailbox.outbox.at(-1)!.envelope.to).toEqual(['raj@acme.example']);
    expect(await f.db.runStates.load(request.runId)).toBeUndefined();
    const granted = await f.db.audit.list({ type: 'approval.granted', runId: request.runId });
    expect(granted[0]!.data).toMatchObject({ approvers: ['raj'], inputHash: request.inputHash });

    const replay = await raj.post(`/approvals/${request.id}`, { csrf, inputHash: request.inputHash, decision: 'approve' });
    expect(replay.status).toBe(409);
    expect(replay.html).toContain('already decided');
    expect(f.mailbox.outbox.length).toBe(sent + 1);
  });

  it('collects a two-person request one approver at a time: raj, then dana; the requester never counts', async () => {
    const { raj, request, csrf } = await pending('[board] Plan');
    expect(request.approversRequired).toBe(2);
    const sent = f.mailbox.outbox.length;
    const first = await raj.post(`/approvals/${request.id}`, { csrf, inputHash: request.inputHash, decision: 'approve' });
    expect(first.status).toBe(200);
    expect(first.html).toContain('data-outcome="awaiting_more_approvers"');
    expect(first.html).toContain('waiting for one more approver');
    expect(f.mailbox.outbox.length).toBe(sent);
    const again = await raj.post(`/approvals/${request.id}`, { csrf, inputHash: request.inputHash, decision: 'approve' });
    expect(again.status).toBe(409);
    const dana = as('dana');
    const page = await dana.get('/approvals');
    expect(page.html).toMatch(/Approved so far by<\/dt><dd>Raj Patel/);
    const second = await dana.post(`/approvals/${request.id}`, { csrf: formValue(page.html, 'csrf'), inputHash: request.inputHash, decision: 'approve' });
    expect(second.status).toBe(200);
    expect(second.html).toContain('data-stop-reason="final"');
    expect(f.mailbox.outbox.length).toBe(sent + 1);
  });

  it('refuses a decision bound to other input, writing nothing', async () => {
    const { raj, request, csrf } = await pending('Numbers v1');
    const other = 'f'.repeat(64);
    const page = await raj.post(`/approvals/${request.id}`, { csrf, inputHash: other, decision: 'approve' });
    expect(page.status).toBe(409);
    expect(page.html).toContain('different input');
    expect((await f.db.approvals.listPending('priya')).some((r) => r.id === request.id)).toBe(true);
    expect(await f.db.runStates.load(request.runId)).toBeDefined();
  });

  it('refuses an approval after the request expired', async () => {
    const { raj, request, csrf } = await pending('Late numbers', { approvalTimeoutMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const page = await raj.post(`/approvals/${request.id}`, { csrf, inputHash: request.inputHash, decision: 'approve' });
    expect(page.status).toBe(410);
    expect(page.html).toContain('expired');
    expect(await f.db.runStates.load(request.runId)).toBeDefined();
  });

  it('refuses POSTs without the CSRF token, from another origin, or from someone outside the chain', async () => {
    const { raj, request, csrf } = await pending('Guarded');
    const sent = f.mailbox.outbox.length;
    expect((await raj.post(`/approvals/${request.id}`, { inputHash: request.inputHash, decision: 'approve' })).status).toBe(403);
    expect((await raj.post(`/approvals/${request.id}`, { csrf, inputHash: request.inputHash, decision: 'approve' }, { origin: 'https://evil.example' })).status).toBe(403);
    const mei = as('mei');
    const meiCsrf = formValue((await mei.get('/usage')).html.replace(/^[\s\S]*$/, `name="csrf" value="${csrf}"`), 'csrf');
    expect((await mei.post(`/approvals/${request.id}`, { csrf: meiCsrf, inputHash: request.inputHash, decision: 'approve' })).status).toBe(403);
    const priya = as('priya');
    await priya.get('/approvals');
    expect(f.mailbox.outbox.length).toBe(sent);
    expect((await raj.post(`/approvals/${request.id}`, { csrf, inputHash: request.inputHash, decision: 'maybe' })).status).toBe(400);
    expect((await raj.post('/approvals/unknown-id', { csrf, inputHash: request.inputHash, decision: 'approve' })).status).toBe(404);
    expect(await f.db.runStates.load(request.runId)).toBeDefined();
  });

  it('raj denies: the run resumes with the call refused and nothing is sent', async () => {
    const { raj, request, csrf } = await pending('Do not send');
    const sent = f.mailbox.outbox.length;
    const page = await raj.post(`/approvals/${request.id}`, { csrf, inputHash: request.inputHash, decision: 'deny', reason: 'not now' });
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-outcome="denied"');
    expect(f.mailbox.outbox.length).toBe(sent);
  });

  it('the audit page shows entries of the chain only and the verification status', async () => {
    const raj = await as('raj').get('/audit');
    expect(raj.html).toContain('data-valid="true"');
    expect(raj.html).toContain('approval.granted');
    const sam = await as('sam').get('/audit');
    expect(sam.html).not.toContain('approval.granted');
  });
});

describe('createConsole', () => {
  it('refuses a missing store or a short secret with a message that says what to pass', () => {
    expect(() => createConsole({} as never)).toThrow(/authenticate/);
    expect(() => createConsole({ ...stores(), secret: 'short' } as never)).toThrow(/32 characters/);
  });
});

function stores() {
  return { authenticate: () => null, reports: {}, ledger: {}, directory: {}, approvals: {}, runStates: {}, audit: {} };
}
