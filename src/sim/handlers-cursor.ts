/**
 * Cursor-style endpoints: `/analytics/ai-code/commits`, `/teams/members`.
 * Errors here answer `{"error": "..."}`.
 */
import type { ServerResponse } from 'node:http';
import { positiveInt, sendError, sendJson, slicePage } from './http-responses.js';
import { DAY_MS, parseRangeBound } from './timestamps.js';
import type { HandlerContext } from './handler-context.js';

const DATE_FORMS = 'use YYYY-MM-DD, an RFC 3339 timestamp, <N>d, today or now';

export function handleCommits(ctx: HandlerContext, params: URLSearchParams, res: ServerResponse): void {
  const startRaw = params.get('startDate');
  const endRaw = params.get('endDate');
  // Without startDate the server answers only the last 30 days, whatever the data holds.
  const start = startRaw === null || startRaw === '' ? ctx.nowMs - 30 * DAY_MS : parseRangeBound(startRaw, ctx.nowMs, 'start');
  if (start === undefined) return sendError(res, 400, `invalid startDate "${startRaw}": ${DATE_FORMS}`);
  const end = endRaw === null || endRaw === '' ? ctx.nowMs : parseRangeBound(endRaw, ctx.nowMs, 'end');
  if (end === undefined) return sendError(res, 400, `invalid endDate "${endRaw}": ${DATE_FORMS}`);
  if (start > end) return sendError(res, 400, 'startDate must not be after endDate');

  const page = positiveInt(params, 'page', 1);
  if (Number.isNaN(page)) return sendError(res, 400, `invalid page "${params.get('page')}": must be an integer >= 1`);
  // `page_size` is not this endpoint's parameter and is ignored.
  const sizeRaw = params.get('pageSize');
  const pageSize = sizeRaw === null || sizeRaw === '' ? 100 : /^-?\d+$/.test(sizeRaw) ? Number(sizeRaw) : Number.NaN;
  if (!(pageSize >= 1 && pageSize <= 1000)) return sendError(res, 400, 'pageSize must be between 1 and 1000');

  const user = params.get('user') || undefined;
  const repoName = params.get('repoName') || undefined;
  const { commits } = ctx.data;
  const matched = commits.filter((c, i) => {
    const ms = ctx.index.commitMs[i]!;
    return ms >= start && ms <= end && (!user || c.userId === user) && (!repoName || c.repoName === repoName);
  });
  sendJson(res, 200, { items: slicePage(matched, page, pageSize), totalCount: matched.length, page, pageSize });
}

export function handleTeamMembers(ctx: HandlerContext, res: ServerResponse): void {
  sendJson(res, 200, { teamMembers: ctx.data.teamMembers });
}
