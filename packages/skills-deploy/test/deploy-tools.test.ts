import { decidePolicy, scopeMatches, toolInputJsonSchema, ToolInputError, type PolicyCall } from '@claw/core';
import { describe, expect, it } from 'vitest';
import {
  DEPLOY_SCOPES,
  DeployFrozenError,
  DeployTargetError,
  deployPolicyRules,
  deploySkill,
  type DeploySkillConfigInput,
  type InMemoryTarget,
} from '../src';
import { waitForFinal } from './support/deploy-target-suite';
import { memoryTarget, sha, toolContext, toolsOf } from './support/tool-harness';

const NOW = Date.parse('2026-11-25T10:00:00Z'); // a Wednesday

function config(target: InMemoryTarget, overrides: Partial<DeploySkillConfigInput> = {}): DeploySkillConfigInput {
  return {
    target,
    environments: [
      { name: 'staging', description: 'Pre-production' },
      {
        name: 'production',
        twoPersonRule: true,
        freezes: [{ type: 'once', from: '2026-12-20T00:00:00Z', until: '2027-01-04T00:00:00Z', reason: 'year-end freeze' }],
      },
    ],
    watch: { pollIntervalMs: 5, stuckAfterMs: 300, maxWatchMs: 5_000 },
    now: () => NOW,
    ...overrides,
  };
}

function setup(options: { live?: Record<string, string>; overrides?: Partial<DeploySkillConfigInput> } = {}) {
  const target = memoryTarget(options.live ? { live: options.live } : {});
  const skill = deploySkill.configure(config(target, options.overrides));
  return { target, skill, ...toolsOf(skill) };
}

const frozenClock = { now: () => Date.parse('2026-12-24T12:00:00Z') };

describe('deploySkill definition', () => {
  it('has the tools, scopes and effects of the scopes table', () => {
    const { skill } = setup();
    const table = Object.fromEntries(skill.tools.map((t) => [t.name, { scopes: [...t.scopes], effect: t.effect, preview: typeof t.preview === 'function' }]));
    expect(table).toEqual({
      deploy_list_environments: { scopes: ['deploy:read'], effect: 'read', preview: false },
      deploy_status: { scopes: ['deploy:read'], effect: 'read', preview: false },
      deploy_history: { scopes: ['deploy:read'], effect: 'read', preview: false },
      deploy_plan: { scopes: ['deploy:read'], effect: 'read', preview: false },
      deploy_start: { scopes: ['deploy:{environment}'], effect: 'deploy', preview: true },
      deploy_rollback: { scopes: ['deploy:{environment}'], effect: 'deploy', preview: true },
      deploy_watch: { scopes: ['deploy:read'], effect: 'read', preview: false },
    });
    expect(Object.keys(skill.scopes)).toEqual(Object.keys(DEPLOY_SCOPES));
  });

  it('offers the configured environments as an enum and rejects any other name', () => {
    const { tool, execute } = setup();
    const schema = toolInputJsonSchema(tool('deploy_start')) as { properties: { environment: { enum: string[] } } };
    expect(schema.properties.environment.enum).toEqual(['staging', 'production']);
    return expect(execute('deploy_start', { environment: 'prod', ref: 'main', reason: 'ship it' })).rejects.toSatisfy(
      (e) => e instanceof ToolInputError && /staging|production/.test(e.message),
    );
  });

  it('refuses configurations with duplicate, reserved or malformed environments', () => {
    const target = memoryTarget();
    expect(() => deploySkill.configure(config(target, { environments: [{ name: 'staging' }, { name: 'staging' }] }))).toThrow(/unique/);
    expect(() => deploySkill.configure(config(target, { environments: [{ name: 'read' }] }))).toThrow(/reserved/);
    expect(() => deploySkill.configure(config(target, { environments: [{ name: 'Prod Env' }] }))).toThrow(/lower-case/);
    expect(() => deploySkill.configure(config(target, { environments: [] }))).toThrow(/at least one/);
    expect(() => deploySkill.configure({ ...config(target), target: { kind: 'nope' } as never })).toThrow(/DeployTarget/);
  });
});

describe('read tools', () => {
  it('deploy_list_environments shows live releases, freezes and approvers', async () => {
    const { execute } = setup({ live: { production: sha(1) }, overrides: frozenClock });
    const result = (await execute('deploy_list_environments', {})) as { environments: unknown[] };
    expect(result.environments).toEqual([
      { name: 'staging', description: 'Pre-production', defaultRef: 'main', live: null, approversNeeded: 1, frozen: null },
      {
        name: 'production',
        defaultRef: 'main',
        live: { sha: sha(1), ref: 'v1', deploymentId: expect.any(String), since: expect.any(String) },
        approversNeeded: 2,
        frozen: { reason: 'year-end freeze', until: '2027-01-04T00:00:00.000Z' },
      },
    ]);
  });

  it('deploy_plan resolves the default ref and lists the commits since the live release', async () => {
    const { execute } = setup({ live: { production: sha(1) } });
    const plan = (await execute('deploy_plan', { environment: 'production' })) as Record<string, unknown>;
    expect(plan).toMatchObject({
      summary: `Deploying main (${sha(2).slice(0, 7)}) to production would ship 1 commit on top of ${sha(1).slice(0, 7)}.`,
      ref: 'main',
      sha: sha(2),
      commitCount: 1,
      commits: [{ sha: sha(2), subject: 'Add greeting', author: 'Priya' }],
      frozen: null,
      approversNeeded: 2,
    });
  });

  it('deploy_plan reports an unknown ref as a target error', async () => {
    const { execute } = setup();
    await expect(execute('deploy_plan', { environment: 'staging', ref: 'nope' })).rejects.toMatchObject({ kind: 'unknown_ref' });
  });

  it('deploy_status and deploy_history report deployments of configured environments only', async () => {
    const { execute, target } = setup();
    const started = await target.start({ environment: 'staging', ref: 'main', idempotencyKey: 'k1' });
    await waitForFinal(target, started.id);
    const status = (await execute('deploy_status', { deploymentId: started.id })) as { deployment: Record<string, unknown> };
    expect(status.deployment).toMatchObject({ id: started.id, status: 'succeeded', sha: sha(2), startedAt: expect.stringMatching(/Z$/) });
    const overview = (await execute('deploy_status', {})) as { environments: { environment: string; live: unknown; latest: unknown }[] };
    expect(overview.environments.map((e) => [e.environment, e.live !== null, e.latest !== null])).toEqual([
      ['staging', true, true],
      ['production', false, false],
    ]);
    const qa = await target.start({ environment: 'qa', ref: 'main', idempotencyKey: 'k2' });
    await expect(execute('deploy_status', { deploymentId: qa.id })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(execute('deploy_watch', { deploymentId: qa.id })).rejects.toBeInstanceOf(DeployTargetError);
    const history = (await execute('deploy_history', { environment: 'staging', limit: 5 })) as { deployments: { id: string }[] };
    expect(history.deployments.map((d) => d.id)).toEqual([started.id]);
  });
});

describe('deploy_start', () => {
  it('previews what would ship without starting anything', async () => {
    const { preview, target } = setup({ live: { production: sha(1) } });
    const result = await preview('deploy_start', { environment: 'production', reason: 'ship the greeting' });
    expect(result.summary).toBe(
      `Deploying main (${sha(2).slice(0, 7)}) to production would ship 1 commit on top of ${sha(1).slice(0, 7)}. Needs two approvers. Reason given: ship the greeting`,
    );
    expect(result.details).toMatchObject({ sha: sha(2), commitCount: 1 });
    // Only the release that was live from the start.
    expect((await target.history('production')).map((d) => d.sha)).toEqual([sha(1)]);
  });

  it('starts once per run and request: a repeated call returns the same deployment', async () => {
    const { execute, target } = setup();
    const input = { environment: 'staging', ref: 'main', reason: 'ship it' };
    const first = (await execute('deploy_start', input)) as { deployment: { id: string }; idempotencyKey: string };
    const again = (await execute('deploy_start', input, toolContext({ toolCallId: 'call-2' }))) as { deployment: { id: string } };
    expect(again.deployment.id).toBe(first.deployment.id);
    expect(first.idempotencyKey).toBe('claw:run-1:deploy:staging:main');
    const otherRun = (await execute('deploy_start', input, toolContext({ runId: 'run-2' }))) as { deployment: { id: string } };
    expect(otherRun.deployment.id).not.toBe(first.deployment.id);
    const explicit = { ...input, idempotencyKey: 'redeploy-2026-11-25' };
    const a = (await execute('deploy_start', explicit)) as { deployment: { id: string } };
    const b = (await execute('deploy_start', explicit, toolContext({ runId: 'run-3' }))) as { deployment: { id: string } };
    expect(b.deployment.id).toBe(a.deployment.id);
    expect(await target.history('staging')).toHaveLength(3);
  });

  it('records who asked and why', async () => {
    const { execute, target } = setup();
    const result = (await execute('deploy_start', { environment: 'staging', reason: 'ship the greeting' }, toolContext({ principal: { id: 'sam' } }))) as {
      deployment: { id: string; ref: string; requestedBy: string; requestReason: string };
    };
    expect(result.deployment).toMatchObject({ ref: 'main', requestedBy: 'sam', requestReason: 'ship the greeting' });
    expect(await target.status(result.deployment.id)).toMatchObject({ requestedBy: 'sam', requestReason: 'ship the greeting' });
  });

  it('is blocked inside a freeze window, with the reason and end, and starts nothing', async () => {
    const { execute, preview, target } = setup({ overrides: frozenClock });
    const input = { environment: 'production', ref: 'main', reason: 'hotfix' };
    const error = await execute('deploy_start', input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployFrozenError);
    expect(error).toMatchObject({ code: 'POLICY_DENIED', environment: 'production', until: Date.parse('2027-01-04T00:00:00Z') });
    expect((error as Error).message).toContain('year-end freeze');
    expect((await preview('deploy_start', input)).summary).toMatch(/^Blocked: production is frozen until 2027-01-04T00:00:00.000Z \(year-end freeze\)/);
    expect(await target.history('production')).toEqual([]);
    // Other environments are not frozen.
    await expect(execute('deploy_start', { ...input, environment: 'staging' })).resolves.toBeDefined();
  });
});

describe('deploy_rollback', () => {
  async function brokenProduction(overrides: Partial<DeploySkillConfigInput> = {}) {
    const s = setup({ overrides });
    for (const ref of ['v1', 'main', 'broken-smoke']) {
      await waitForFinal(s.target, (await s.target.start({ environment: 'production', ref, idempotencyKey: `k-${ref}` })).id);
    }
    return s;
  }

  it('previews and performs a rollback to the last good release after a broken one went live', async () => {
    const { execute, preview, target } = await brokenProduction();
    expect((await target.current('production'))?.sha).toBe(sha(4));
    const input = { environment: 'production', reason: 'smoke test failing' };
    const shown = await preview('deploy_rollback', input);
    expect(shown.summary).toMatch(new RegExp(`^Would roll production back to ${sha(2).slice(0, 7)} \\(main, deployed .*\\); the target reports ${sha(4).slice(0, 7)} as live`));
    const result = (await execute('deploy_rollback', input)) as { deployment: { id: string; kind: string } };
    expect(result.deployment.kind).toBe('rollback');
    expect((await waitForFinal(target, result.deployment.id)).sha).toBe(sha(2));
    expect((await target.current('production'))?.sha).toBe(sha(2));
  });

  it('rolls back to a named release and refuses when there is none', async () => {
    const { execute, preview } = setup();
    expect((await preview('deploy_rollback', { environment: 'staging', reason: 'why not' })).summary).toMatch(/^Nothing to roll back to/);
    await expect(execute('deploy_rollback', { environment: 'staging', reason: 'why not' })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(execute('deploy_rollback', { environment: 'staging', toSha: 'xyz', reason: 'why not' })).rejects.toBeInstanceOf(ToolInputError);
  });

  it('may run during a freeze unless the environment says otherwise', async () => {
    const allowed = await brokenProduction(frozenClock);
    await expect(allowed.execute('deploy_rollback', { environment: 'production', reason: 'repair' })).resolves.toBeDefined();
    const strict = await brokenProduction({
      ...frozenClock,
      environments: [
        {
          name: 'production',
          rollbackDuringFreeze: false,
          freezes: [{ type: 'once', from: '2026-12-20T00:00:00Z', until: '2027-01-04T00:00:00Z', reason: 'year-end freeze' }],
        },
      ],
    });
    await expect(strict.execute('deploy_rollback', { environment: 'production', reason: 'repair' })).rejects.toBeInstanceOf(DeployFrozenError);
  });
});

describe('deploy_watch', () => {
  it('follows a deployment to success without alerting', async () => {
    const { execute, target } = setup();
    const started = await target.start({ environment: 'staging', ref: 'main', idempotencyKey: 'w1' });
    const ctx = toolContext();
    const result = (await execute('deploy_watch', { deploymentId: started.id }, ctx)) as { outcome: string; transitions: { status: string }[]; alerted: null };
    expect(result.outcome).toBe('succeeded');
    expect(result.transitions.at(-1)!.status).toBe('succeeded');
    expect(result.alerted).toBeNull();
    expect(ctx.alerts).toEqual([]);
  });

  it('raises a critical deploy-failed alert when the deployment fails', async () => {
    const { execute, target } = setup();
    const started = await target.start({ environment: 'staging', ref: 'broken-health', idempotencyKey: 'w2' });
    const ctx = toolContext();
    const result = (await execute('deploy_watch', { deploymentId: started.id }, ctx)) as { outcome: string; alerted: string; deployment: { reason: string } };
    expect(result).toMatchObject({ outcome: 'failed', alerted: 'deploy-failed' });
    expect(ctx.alerts).toEqual([
      expect.objectContaining({ kind: 'deploy-failed', severity: 'critical', details: expect.objectContaining({ deploymentId: started.id, environment: 'staging' }) }),
    ]);
    expect(ctx.alerts[0]!.message).toContain('health check failed');
  });

  it('raises deploy-stuck when a deployment stops making progress', async () => {
    const { execute, target } = setup();
    const started = await target.start({ environment: 'staging', ref: 'slow', idempotencyKey: 'w3' });
    const ctx = toolContext();
    const result = (await execute('deploy_watch', { deploymentId: started.id }, ctx)) as { outcome: string };
    expect(result.outcome).toBe('stuck');
    expect(ctx.alerts).toEqual([expect.objectContaining({ kind: 'deploy-stuck', severity: 'warning' })]);
  });

  it('raises deploy-stuck when the watch runs out of time first', async () => {
    const { execute, target } = setup({ overrides: { watch: { pollIntervalMs: 5, stuckAfterMs: 60_000, maxWatchMs: 5_000 } } });
    const started = await target.start({ environment: 'staging', ref: 'slow', idempotencyKey: 'w4' });
    const ctx = toolContext();
    const result = (await execute('deploy_watch', { deploymentId: started.id, timeoutMs: 1_000 }, ctx)) as { outcome: string };
    expect(result.outcome).toBe('still-running');
    expect(ctx.alerts).toEqual([expect.objectContaining({ kind: 'deploy-stuck', message: expect.stringContaining('still in_progress') })]);
  });

  it('stops when the run is aborted', async () => {
    const { execute, target } = setup({ overrides: { watch: { pollIntervalMs: 5, stuckAfterMs: 60_000, maxWatchMs: 5_000 } } });
    const started = await target.start({ environment: 'staging', ref: 'slow', idempotencyKey: 'w5' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(execute('deploy_watch', { deploymentId: started.id }, toolContext({ signal: controller.signal }))).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('deployPolicyRules', () => {
  const call = (toolName: string, input: Record<string, unknown>): PolicyCall => ({
    toolName,
    effect: 'deploy',
    environment: 'production',
    scopes: [`deploy:${input.environment as string}`],
    input,
    tainted: false,
  });

  it('asks two approvers for production and one for staging', () => {
    const rules = deployPolicyRules(config(memoryTarget()));
    expect(decidePolicy(call('deploy_start', { environment: 'production', reason: 'x' }), { rules })).toMatchObject({ type: 'approval', approversRequired: 2 });
    expect(decidePolicy(call('deploy_rollback', { environment: 'production', reason: 'x' }), { rules })).toMatchObject({ type: 'approval', approversRequired: 2 });
    expect(decidePolicy(call('deploy_start', { environment: 'staging', reason: 'x' }), { rules })).toMatchObject({ type: 'approval', approversRequired: 1 });
    // An operator's allow rule cannot lift the approval.
    const lenient = [...rules, { tool: 'deploy_start', verdict: 'allow' as const }];
    expect(decidePolicy({ ...call('deploy_start', { environment: 'staging' }), environment: 'sandbox' }, { rules: lenient }).type).toBe('approval');
  });

  it('denies deploys in a freeze window before anyone is asked, but not rollbacks', () => {
    const rules = deployPolicyRules(config(memoryTarget(), frozenClock));
    expect(decidePolicy(call('deploy_start', { environment: 'production' }), { rules })).toMatchObject({ type: 'deny', reason: expect.stringContaining('freeze') });
    expect(decidePolicy(call('deploy_rollback', { environment: 'production' }), { rules }).type).toBe('approval');
    expect(decidePolicy(call('deploy_start', { environment: 'staging' }), { rules }).type).toBe('approval');
  });

  it('a grant of one environment never covers another, nor the read scope', () => {
    expect(scopeMatches('deploy:staging', 'deploy:production')).toBe(false);
    expect(scopeMatches('deploy:staging', 'deploy:read')).toBe(false);
    expect(scopeMatches('deploy:read', 'deploy:staging')).toBe(false);
  });
});
