/** Words the generator draws titles, messages and review text from. */
export const FEATURES = [
  'add retry budget to webhook sender', 'paginate the audit log view', 'cache team settings lookups',
  'support SSO group sync', 'export usage report as CSV', 'add dark mode tokens',
  'stream large query results', 'batch notification emails', 'introduce feature flag service',
  'rate-limit public search', 'add billing proration preview', 'index events by tenant',
  'migrate session store to redis', 'add health endpoint details', 'split onboarding wizard',
];
export const BUGS = [
  'null pointer when profile has no avatar', 'timezone drift in weekly digest', 'double charge on retry',
  'race in token refresh', 'off-by-one in pagination', 'memory leak in websocket handler',
  'stale cache after settings update', 'broken link in invite email', 'crash on empty search query',
  'wrong rounding of invoice totals',
];
export const CHORES = ['bump dependencies', 'update changelog', 'tidy lint warnings', 'regenerate lockfile'];
export const APPROVE_BODIES = ['LGTM', 'Looks good to me.', 'Nice cleanup, ship it.', 'Approved with minor nits.'];
export const CHANGE_BODIES = [
  'Please address the comments before merging.', 'A few issues need fixing first.',
  'This needs tests for the failure path.', 'Can we simplify this?',
];
export const COMMENT_BODIES = [
  'This branch is never reached; can it go?', 'Missing error handling here.', 'Please add a test for this case.',
  'Consider extracting this into a helper.', 'Is this query indexed?', 'Naming: this is not a list.',
  'Could this overflow for large inputs?', 'Nit: typo in the comment.',
];

export function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 32);
}
