import { describe, expect, it } from 'vitest';
import { missingScopes, resolveScope, scopeMatches, scopeTemplateGrantable } from './scopes';

describe('scopes', () => {
  it.each([
    ['email:read', 'email:read', true],
    ['email:*', 'email:read', true],
    ['email:*', 'email:send:external', true],
    ['email:*', 'email', false],
    ['email:read', 'email:send', false],
    ['slack:write:#ops', 'slack:write:#ops', true],
    ['slack:write:#ops', 'slack:write:#general', false],
    ['deploy:staging-*', 'deploy:staging-eu', true],
    ['deploy:staging-*', 'deploy:production', false],
    ['*', 'anything:at:all', true],
  ])('grant %s covers %s: %s', (grant, scope, expected) => {
    expect(scopeMatches(grant, scope)).toBe(expected);
  });

  it('fills templates from input and never lets a value widen the scope', () => {
    expect(resolveScope('deploy:{environment}', { environment: 'staging' })).toBe('deploy:staging');
    expect(missingScopes(['deploy:staging'], ['deploy:{environment}'], { environment: 'production' })).toEqual(['deploy:production']);
    expect(missingScopes(['deploy:staging'], ['deploy:{environment}'], { environment: 'staging' })).toEqual([]);
    for (const evil of ['*', 'staging:x', '', 42, undefined]) {
      expect(missingScopes(['deploy:*'], ['deploy:{environment}'], { environment: evil })).toHaveLength(1);
    }
  });

  it('offers a templated tool when some grant could match', () => {
    expect(scopeTemplateGrantable(['deploy:staging'], 'deploy:{environment}')).toBe(true);
    expect(scopeTemplateGrantable(['email:read'], 'deploy:{environment}')).toBe(false);
    expect(scopeTemplateGrantable(['slack:write:#ops'], 'slack:write:{channel}')).toBe(true);
    expect(scopeTemplateGrantable(['slack:*'], 'slack:write:{channel}')).toBe(true);
    expect(scopeTemplateGrantable(['slack:read'], 'slack:write:{channel}')).toBe(false);
  });
});
