import { ExternalServiceError } from '@claw/core';
import { DeployTargetError } from '@claw/skills-deploy';
import { MailboxError } from '@claw/skills-email';
import { SlackApiError } from '@claw/skills-slack';
import { describe, expect, it } from 'vitest';

describe("the built-in skills' failures of the service behind them", () => {
  it('are all ExternalServiceErrors with the service, the kind and the HTTP status', () => {
    const errors = [
      new MailboxError('auth', 'The IMAP server refused the login.', { protocol: 'imap' }),
      new DeployTargetError({ target: 'github-actions', kind: 'rate_limited', message: 'GitHub rate-limited the call.', status: 429 }),
      new SlackApiError({ method: 'chat.postMessage', kind: 'rate_limited', slackCode: 'ratelimited', status: 429 }),
    ];
    for (const error of errors) expect(error).toBeInstanceOf(ExternalServiceError);
    expect(errors.map(({ code, service, kind, status }) => ({ code, service, kind, status }))).toEqual([
      { code: 'EXTERNAL_SERVICE', service: 'imap', kind: 'auth', status: undefined },
      { code: 'EXTERNAL_SERVICE', service: 'github-actions', kind: 'rate_limited', status: 429 },
      { code: 'EXTERNAL_SERVICE', service: 'slack', kind: 'rate_limited', status: 429 },
    ]);
  });
});
