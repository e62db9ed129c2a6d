/**
 * GitHub-style endpoints (`/repos/*`, errors `{"message": "..."}`) and the
 * GitHub analytics endpoints (`/analytics/github/*`, errors `{"error": "..."}`).
 */
import type { ServerResponse } from 'node:http';
import { positiveInt, sendError, sendJson, sendMessage, slicePage } from './http-responses.js';
import { DAY_MS, parseDateOnly } from './timestamps.js';
import type { HandlerContext } from './handler-context.js';
import type { SimPullRequest } from './types.js';

/** `GET /repos`: every repository with pull requests, in a new random order each time. */
export function handleRepos(ctx: HandlerContext, res: ServerResponse): void {
  sendJson(res, 200, ctx.orderRng.shuffle(ctx.data.repos));
}

/** `GET /repos/{o}/{r}/pulls`: shuffled on every request, so paging it loses and duplicates rows. */
export function handlePulls(ctx: HandlerContext, repo: string, params: URLSearchParams, res: ServerResponse): void {
  const state = params.get('state') ?? '';
  const all = ctx.index.prsByRepo.get(repo) ?? [];
  const filtered = state === '' || state === 'all' ? all : all.filter((p) => p.state === state);
  // Lenient like the real server: a bad page or per_page falls back to the default; per_page caps at 100.
  const pageParsed = positiveInt(params, 'page', 1);
  const page = Number.isNaN(pageParsed) ? 1 : pageParsed;
  const perParsed = positiveInt(params, 'per_page', 30);
  const perPage = Number.isNaN(perParsed) ? 30 : Math.min(100, perParsed);
  sendJson(res, 200, slicePage(ctx.orderRng.shuffle(filtered), page, perPage));
}

/** `GET /repos/{o}/{r}`: the repository's /repos entry, or 404 `{"message":"Not Found"}`. */
export function handleRepo(ctx: HandlerContext, repo: string, res: ServerResponse): void {
  const found = ctx.data.repos.find((r) => r.full_name === repo);
  if (!found) return sendMessage(res, 404, 'Not Found');
  sendJson(res, 200, found);
}

function findPr(ctx: HandlerContext, repo: string, number: number): SimPullRequest | undefined {
  return (ctx.index.prsByRepo.get(repo) ?? []).find((p) => p.number === number);
}

/** `GET /repos/{o}/{r}/pulls/{n}`. */
export function handlePull(ctx: HandlerContext, repo: string, numberText: string, res: ServerResponse): void {
  if (!/^\d+$/.test(numberText) || Number(numberText) === 0) return sendMessage(res, 400, 'invalid pull request number');
  const pr = findPr(ctx, repo, Number(numberText));
  if (!pr) return sendMessage(res, 404, 'pull request not found');
  sendJson(res, 200, pr);
}

/** `GET /repos/{o}/{r}/pulls/{n}/reviews`: unpaged; an unknown PR answers `200 []`. */
export function handlePullReviews(ctx: HandlerContext, repo: string, numberText: string, res: ServerResponse): void {
  if (!/^\d+$/.test(numberText) || Number(numberText) === 0) return sendMessage(res, 400, 'invalid pull request number');
  const pr = findPr(ctx, repo, Number(numberText));
  sendJson(res, 200, pr ? ctx.index.reviewsByPrId.get(pr.id) ?? [] : []);
}

/** page / page_size of the analytics endpoints: 400 on nonsense, page_size capped at 100, default 20. */
function analyticsPaging(params: URLSearchParams, res: ServerResponse): { page: number; pageSize: number } | undefined {
  const page = positiveInt(params, 'page', 1);
  if (Number.isNaN(page)) return void sendError(res, 400, 'invalid page parameter');
  const size = positiveInt(params, 'page_size', 20);
  if (Number.isNaN(size)) return void sendError(res, 400, 'invalid page_size parameter');
  return { page, pageSize: Math.min(100, size) };
}

/**
 * `GET /analytics/github/prs`. The real server walks its repositories in
 * map order, which changes between requests: without a `status` or `author`
 * filter the repository groups come back in a new order each time, so only a
 * filtered result that fits on one page (or a status/author filter) is safe
 * to page through.
 */
export function handleAnalyticsPrs(ctx: HandlerContext, params: URLSearchParams, res: ServerResponse): void {
  const paging = analyticsPaging(params, res);
  if (!paging) return;
  const status = params.get('status') ?? '';
  const author = params.get('author') ?? '';
  const startText = params.get('start_date') ?? '';
  const endText = params.get('end_date') ?? '';
  const start = startText ? parseDateOnly(startText) : undefined;
  if (startText && start === undefined) return sendError(res, 400, 'invalid start_date format (use YYYY-MM-DD)');
  const endDay = endText ? parseDateOnly(endText) : undefined;
  if (endText && endDay === undefined) return sendError(res, 400, 'invalid end_date format (use YYYY-MM-DD)');
  // The end day is included except its last second: the server compares against 23:59:59.
  const end = endDay === undefined ? undefined : endDay + DAY_MS - 1000;

  const matched = ctx.data.pullRequests.filter((p) => {
    const ms = ctx.index.prCreatedMsById.get(p.id)!;
    return (!status || p.state === status) && (!author || p.author_email === author)
      && (start === undefined || ms >= start) && (end === undefined || ms < end);
  });
  // The server iterates a hash map: a new order on every request unless filtered by author.
  const ordered = author ? matched : ctx.orderRng.shuffle(matched);
  const echo: Record<string, string> = {};
  if (status) echo.status = status;
  if (author) echo.author = author;
  if (startText) echo.start_date = startText;
  if (endText) echo.end_date = endText;
  sendJson(res, 200, {
    data: slicePage(ordered, paging.page, paging.pageSize),
    pagination: { page: paging.page, page_size: paging.pageSize, total: matched.length },
    params: echo,
  });
}

/** `GET /analytics/github/reviews`: random order without a filter, stable with `reviewer`; filters `pr_id` and `reviewer`. */
export function handleAnalyticsReviews(ctx: HandlerContext, params: URLSearchParams, res: ServerResponse): void {
  const paging = analyticsPaging(params, res);
  if (!paging) return;
  const prIdText = params.get('pr_id') ?? '';
  if (prIdText && !/^\d+$/.test(prIdText)) return sendError(res, 400, 'invalid pr_id parameter');
  const prId = prIdText ? Number(prIdText) : undefined;
  const reviewer = params.get('reviewer') ?? '';
  const source = prId === undefined ? ctx.data.reviews : ctx.index.reviewsByPrId.get(prId) ?? [];
  const matched = reviewer ? source.filter((r) => r.reviewer === reviewer) : ctx.orderRng.shuffle(source);
  const echo: Record<string, string | number> = {};
  if (prId !== undefined) echo.pr_id = prId;
  if (reviewer) echo.reviewer = reviewer;
  sendJson(res, 200, {
    data: slicePage(matched, paging.page, paging.pageSize),
    pagination: { page: paging.page, page_size: paging.pageSize, total: matched.length },
    params: echo,
  });
}
