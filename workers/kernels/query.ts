/**
 * Runs a query request against a dataset's kernel context: resolves the parameters (failing with
 * `bad-option` on a bad one) and calls the kernel.
 */
import { CrmError } from '../../src/core/errors.js';
import {
  resolveAttribution,
  resolveIncrementality,
  resolveRetention,
  resolveRfm,
  type QueryRequest,
} from '../../src/core/queries.js';
import type { QueryResult } from '../../src/core/results.js';
import { attributionResult } from './attribution.js';
import type { KernelContext } from './context.js';
import { incrementalityResult } from './incrementality.js';
import { kpiResult } from './kpis.js';
import { retentionResult } from './retention.js';
import { rfmCustomers, rfmResult } from './rfm.js';
import { roasResult } from './roas.js';

/** The result of a request. */
export function runQuery(ctx: KernelContext, request: QueryRequest): QueryResult {
  const params = request.params ?? {};
  const days = ctx.days(params.range);
  const mask = ctx.customerMask(params.filter);
  const maskKey = params.filter === undefined ? '' : JSON.stringify([params.filter.attribute, [...params.filter.values].sort()]);
  switch (request.kind) {
    case 'attribution':
      return attributionResult(ctx, resolveAttribution(request.params, 'month'), days, mask, maskKey);
    case 'kpis':
      return kpiResult(ctx, resolveAttribution(request.params, 'month'), days, mask, maskKey);
    case 'roas':
      return roasResult(ctx, resolveAttribution(request.params, 'week'), request.params?.byCampaign === true, days, mask, maskKey);
    case 'incrementality':
      return incrementalityResult(ctx, resolveIncrementality(request.params), days, mask, maskKey);
    case 'retention':
      return retentionResult(ctx, resolveRetention(request.params), days, mask);
    case 'rfm':
      return rfmResult(ctx, resolveRfm(request.params), days, mask, maskKey);
    case 'rfm-customers':
      return rfmCustomers(ctx, resolveRfm(request.params), request.params ?? {}, days, mask, maskKey);
    default:
      throw new CrmError('bad-option', `Unknown query "${String((request as { kind: unknown }).kind)}".`, {
        hint: 'Queries are kpis, attribution, incrementality, retention, rfm, rfm-customers and roas.',
      });
  }
}
