import { describe, expect, it } from 'vitest';
import { searchTerms, stemTerm } from './search-terms';
import { textSimilarity } from './text-similarity';

describe('searchTerms', () => {
  it('lowercases, splits on non-letters, drops stopwords and stems', () => {
    expect(searchTerms("The DEPLOYS weren't running; Priya's summaries!")).toEqual(['deploy', 'werent', 'run', 'priya', 'summary']);
  });

  it('gives every form of a word one stem', () => {
    for (const forms of [
      ['deploy', 'deploys', 'deployed', 'deploying'],
      ['summary', 'summaries'],
      ['prefer', 'prefers', 'preferred', 'preferring'],
      ['move', 'moves', 'moved', 'moving'],
    ]) {
      expect(new Set(forms.map(stemTerm)).size).toBe(1);
    }
    expect(stemTerm('class')).toBe('class');
    expect(stemTerm('status')).toBe('status');
  });

  it('keeps digits, accented letters and negations', () => {
    expect(searchTerms('Café 2026 not never')).toEqual(['café', '2026', 'not', 'never']);
  });
});

describe('textSimilarity', () => {
  it('treats rewordings of one fact as the same and a changed word or a negation as different', () => {
    expect(textSimilarity('Priya prefers short summaries.', 'priya prefers SHORT summary')).toBe(1);
    expect(textSimilarity('Priya prefers short summaries', 'Priya prefers long summaries')).toBeCloseTo(0.6);
    expect(textSimilarity('Priya wants daily digests', 'Priya does not want daily digests')).toBe(0);
    expect(textSimilarity('Priya never wants digests', 'Priya does not want digests')).toBeGreaterThan(0.5);
  });
});
