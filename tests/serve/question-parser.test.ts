import { describe, expect, it } from 'vitest';
import type { Catalog, CatalogMetric } from '../../src/serve/backend.js';
import { parseQuestion } from '../../src/serve/nl/question-parser.js';

const metric = (name: string, label: string, synonyms: string[] = []): CatalogMetric => ({
  name, label, description: label, type: 'simple', unit: null, category: null, tags: [], synonyms, dimensions: [],
});
/** The shape of the Cursor catalog's metrics and dimensions. */
const CATALOG: Catalog = {
  metrics: [
    metric('prs_merged', 'PRs merged', ['merged prs', 'merged pull requests', 'merges']),
    metric('prs_opened', 'PRs opened', ['opened prs', 'new prs']),
    metric('active_developers', 'Active developers', ['active devs']),
    metric('ai_code_share', 'AI code share', ['share of ai code']),
    metric('revert_rate', 'Revert rate', ['reverts']),
    metric('review_cycle_time_p50', 'Median review cycle time', ['review time']),
    metric('commits', 'Commits'),
    metric('approval_rate', 'Approval rate'),
  ],
  dimensions: [
    { name: 'metric_time', type: 'time', description: '', label: null, granularities: ['day', 'week', 'month', 'quarter', 'year'], valueType: 'time' },
    { name: 'pull_request__repo_name', type: 'categorical', description: '', label: 'Repository', granularities: [], valueType: 'string' },
    { name: 'developer__developer_email', type: 'categorical', description: '', label: 'Developer', granularities: [], valueType: 'string' },
    { name: 'developer__team', type: 'categorical', description: '', label: 'Team', granularities: [], valueType: 'string' },
  ],
  entities: [],
  savedQueries: [],
};
const NOW = () => new Date('2025-06-18T15:00:00Z'); // a Wednesday

describe('questions in plain language → specs', () => {
  const cases: [string, unknown][] = [
    ['How many PRs were merged per week by repo in the last 8 weeks?', {
      metrics: ['prs_merged'], group_by: [{ field: 'metric_time', interval: 'week' }, { field: 'pull_request__repo_name' }],
      dates: { start: '2025-04-23', end: '2025-06-18' }, sort_by: [{ field: 'metric_time', direction: 'asc' }],
    }],
    ['weekly merged pull requests', { metrics: ['prs_merged'], group_by: [{ field: 'metric_time', interval: 'week' }], sort_by: [{ field: 'metric_time', direction: 'asc' }] }],
    ['active developers per month since March', {
      metrics: ['active_developers'], group_by: [{ field: 'metric_time', interval: 'month' }], dates: { start: '2025-03-01', end: '2025-06-18' }, sort_by: [{ field: 'metric_time', direction: 'asc' }],
    }],
    ['AI code share by team in 2024', { metrics: ['ai_code_share'], group_by: [{ field: 'developer__team' }], dates: { start: '2024-01-01', end: '2024-12-31' } }],
    ['top 5 repos by merges', { metrics: ['prs_merged'], group_by: [{ field: 'pull_request__repo_name' }], limit: 5, sort_by: [{ field: 'prs_merged', direction: 'desc' }] }],
    ['revert rate daily over the past 30 days', {
      metrics: ['revert_rate'], group_by: [{ field: 'metric_time', interval: 'day' }], dates: { start: '2025-05-19', end: '2025-06-18' }, sort_by: [{ field: 'metric_time', direction: 'asc' }],
    }],
    ['median review cycle time by developer this month', { metrics: ['review_cycle_time_p50'], group_by: [{ field: 'developer__developer_email' }], dates: { start: '2025-06-01', end: '2025-06-18' } }],
    ['commits and PRs opened per quarter', {
      metrics: ['commits', 'prs_opened'], group_by: [{ field: 'metric_time', interval: 'quarter' }], sort_by: [{ field: 'metric_time', direction: 'asc' }],
    }],
    ['approval rate by repository last month', { metrics: ['approval_rate'], group_by: [{ field: 'pull_request__repo_name' }], dates: { start: '2025-05-18', end: '2025-06-18' } }],
    ['top three teams by active devs in the last 2 quarters', {
      metrics: ['active_developers'], group_by: [{ field: 'developer__team' }], dates: { start: '2024-12-18', end: '2025-06-18' }, limit: 3, sort_by: [{ field: 'active_developers', direction: 'desc' }],
    }],
    ['yearly reverts since 2023', {
      metrics: ['revert_rate'], group_by: [{ field: 'metric_time', interval: 'year' }], dates: { start: '2023-01-01', end: '2025-06-18' }, sort_by: [{ field: 'metric_time', direction: 'asc' }],
    }],
  ];
  it.each(cases)('%s', (question, spec) => {
    expect(parseQuestion(question, CATALOG, NOW).spec).toEqual(spec);
  });

  it('says which words it matched and which it did not', () => {
    const r = parseQuestion('weekly merged prs for the frobnicator', CATALOG, NOW);
    expect(r.matched).toEqual([{ text: 'weekly', as: 'group by metric_time__week' }, { text: 'merged prs', as: 'metric prs_merged' }]);
    expect(r.unmatched).toEqual(['frobnicator']);
    expect(r.explanation).toBe('prs_merged by metric_time__week');
  });

  it('answers no spec, not a guess, when no metric is named', () => {
    const r = parseQuestion('what is the weather in Lisbon?', CATALOG, NOW);
    expect(r.spec).toBeNull();
    expect(r.explanation).toBe('No metric of the catalog is named in the question.');
    expect(r.unmatched).toEqual(['weather', 'lisbon']);
  });
});
