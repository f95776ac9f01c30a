// The requests the SQL pack is checked with: every query kind, each model, basis, period, dimension,
// measure and scoring, per-channel windows, filters, ranges, as-of times and a custom segment map.
// The oracle test runs them against the engine; the core-dialect test against the pack as written.
import type { QueryRequest } from '../../src/core/queries.js';

export const PACK_REQUESTS: QueryRequest[] = [
  { kind: 'attribution', params: {} },
  { kind: 'attribution', params: { model: 'linear', basis: 'open', period: 'week', dimension: 'campaign', range: { from: '2023-06-01', to: '2024-03-31' } } },
  { kind: 'attribution', params: { model: 'time_decay', window: { email: '7d', sms: '1d', default: '3d' }, period: 'quarter', dimension: 'stage' } },
  { kind: 'attribution', params: { model: 'position_based', window: '30d', filter: { attribute: 'country', values: ['DE', 'FR', 'US'] } } },
  { kind: 'attribution', params: { model: 'position_based', basis: 'open', window: '45d', dimension: 'campaign' } },
  { kind: 'attribution', params: { model: 'linear', basis: 'click', window: '60d', halfLife: '1d' } },
  { kind: 'attribution', params: { model: 'time_decay', basis: 'click', window: '60d', halfLife: '2d', period: 'week' } },
  { kind: 'attribution', params: { period: 'week', weekStart: 'saturday', range: { from: '2024-02-07', to: '2024-03-20' } } },
  { kind: 'attribution', params: { model: 'first_touch', period: 'day', range: { from: '2024-11-20', to: '2024-12-10' } } },
  { kind: 'kpis', params: {} },
  { kind: 'kpis', params: { model: 'linear', range: { from: '2024-01-01', to: '2024-06-30' }, filter: { attribute: 'acquisition_source', values: ['organic'] } } },
  { kind: 'kpis', params: { model: 'time_decay', basis: 'open', window: '14d', range: { from: '2024-11-01', to: '2024-11-30' } } },
  // the oracle's orders have no margin in May 2024: CRM margin unknown, and in the previous range partly known
  { kind: 'kpis', params: { range: { from: '2024-05-06', to: '2024-05-19' } } },
  { kind: 'incrementality', params: {} },
  { kind: 'incrementality', params: { liftWindow: '7d', minHoldout: 20, range: { from: '2024-01-01', to: '2024-06-30' } } },
  { kind: 'incrementality', params: { filter: { attribute: 'country', values: ['US', 'GB'] }, minHoldout: 5 } },
  { kind: 'retention', params: {} },
  { kind: 'retention', params: { period: 'week', offsets: 8, measure: 'rolling', range: { from: '2024-09-01', to: '2024-12-31' } } },
  { kind: 'retention', params: { period: 'quarter', offsets: 4, measure: 'revenue_retention', breakdown: 'country' } },
  { kind: 'retention', params: { period: 'day', offsets: 10, measure: 'cumulative_revenue', range: { from: '2024-12-01', to: '2024-12-31' }, filter: { attribute: 'acquisition_source', values: ['organic', 'referral'] } } },
  { kind: 'retention', params: { measure: 'revenue', breakdown: 'acquisition_source', offsets: 6 } },
  // weeks from Sunday, and a range from a Wednesday to a Wednesday: whole cohort weeks at both ends
  { kind: 'retention', params: { period: 'week', weekStart: 'sunday', offsets: 6, range: { from: '2024-10-02', to: '2024-11-13' } } },
  { kind: 'retention', params: { period: 'month', offsets: 4, measure: 'revenue_retention', range: { from: '2024-03-15', to: '2024-05-10' } } },
  { kind: 'rfm', params: {} },
  { kind: 'rfm', params: { bins: 3, scoring: 'ntile', monetary: 'aov', range: { from: '2024-01-01', to: '2024-12-31' } } },
  { kind: 'rfm', params: { bins: 4, scoring: 'ntile', asOf: '2025-02-01', filter: { attribute: 'country', values: ['US', 'DE'] } } },
  { kind: 'rfm', params: { scoring: 'thresholds', thresholds: { r: [30, 90, 180, 365], f: [2, 3, 5, 8], m: [50, 150, 400, 1000] }, asOf: '2025-01-15T12:30:00Z' } },
  {
    kind: 'rfm',
    params: {
      bins: 3,
      segments: [
        { name: 'Stars', r: [3, 3], f: [2, 3], m: [3, 3] },
        { name: 'Rising', r: [3, 3], f: [2, 3], m: [1, 2] },
        { name: 'New', r: [3, 3], f: [1, 1] },
        { name: 'Fading', r: [1, 2], f: [1, 3] },
      ],
    },
  },
  { kind: 'rfm-customers', params: {} },
  // as of a past day, and of a past instant with an offset: the orders after it left out
  { kind: 'rfm-customers', params: { asOf: '2024-06-15', sort: { by: 'recency' }, limit: 50 } },
  { kind: 'rfm', params: { asOf: '2024-03-10T08:00:00-05:00', range: { from: '2024-01-01', to: '2024-12-31' } } },
  { kind: 'rfm-customers', params: { cell: { r: 5, f: 1 }, sort: { by: 'recency', direction: 'desc' }, offset: 10, limit: 25 } },
  { kind: 'rfm-customers', params: { segment: "Can't lose them", sort: { by: 'customer' }, limit: Number.POSITIVE_INFINITY, csv: true } },
  { kind: 'rfm-customers', params: { bins: 3, scoring: 'ntile', segment: 'Champions', sort: { by: 'customer', direction: 'desc' }, limit: 40, csv: true } },
  { kind: 'rfm-customers', params: { monetary: 'aov', sort: { by: 'm', direction: 'asc' }, offset: 5, limit: 30, range: { from: '2024-06-01', to: '2024-12-31' } } },
  { kind: 'roas', params: {} },
  { kind: 'roas', params: { weekStart: 3 } },
  { kind: 'roas', params: { byCampaign: true, period: 'month', model: 'position_based', window: '30d' } },
  { kind: 'roas', params: { model: 'linear', basis: 'click', window: '7d', period: 'day', range: { from: '2024-11-25', to: '2024-12-05' }, filter: { attribute: 'country', values: ['US'] } } },
  // a range with one open end whose given end lies beyond the data: that one empty day, not an
  // inverted range (the engine's axis had a negative length and threw)
  { kind: 'attribution', params: { range: { from: '2026-03-01' } } },
  { kind: 'roas', params: { range: { to: '2021-06-30' } } },
  { kind: 'kpis', params: { range: { from: '2026-03-01' } } },
  { kind: 'incrementality', params: { range: { to: '2021-06-30' } } },
  { kind: 'retention', params: { range: { from: '2026-03-01' } } },
  { kind: 'rfm', params: { range: { to: '2021-06-30' } } },
];
