-- RFM grid and segment summary (metrics.md section 6).
-- Returns one JSON document shaped like the engine's `rfm` result (null where it has NaN).
-- Parameters: $tz, $from, $to, $filter_attribute, $filter_values,
--   $bins (3, 4 or 5), $scoring (percentile | ntile | thresholds),
--   $thresholds_json ({"r": [B − 1 cuts], "f": [...], "m": [...]} for thresholds scoring, else NULL),
--   $monetary (net | aov), $as_of (a day, an instant with offset, or NULL),
--   $segments_json (the segment map; sql-params.ts fills in the default map for B)
WITH
bounds AS (
  SELECT * FROM crm_range($tz, $from, $to)
),
rfm AS (
  SELECT r.* FROM bounds b, crm_rfm($tz, b.from_day, b.to_day, $filter_attribute, $filter_values, $bins, $scoring,
    $thresholds_json, $monetary, $as_of, $segments_json) r
),
totals AS (SELECT count(*) AS n, coalesce(sum(revenue), 0) AS total_revenue FROM rfm),
as_of AS (
  -- the as-of time even when no customer qualifies (then only an explicit as_of gives one)
  SELECT as_of_at, epoch_ms(as_of_at) AS ms, timezone($tz, as_of_at) AS local
  FROM (SELECT coalesce(crm_as_of($tz, $as_of), (SELECT max(as_of_at) FROM rfm)) AS as_of_at)
),
as_of_label AS (
  SELECT CASE WHEN as_of_at IS NULL THEN ''
    WHEN local = date_trunc('day', local) THEN strftime(local, '%Y-%m-%d')
    WHEN millisecond(local) % 1000 = 0 THEN strftime(local, '%Y-%m-%dT%H:%M:%S')
    ELSE strftime(local, '%Y-%m-%dT%H:%M:%S.%g')
  END AS label
  FROM as_of
),
segs AS (SELECT * FROM crm_segment_map($segments_json)),
cells AS (
  SELECT rr.range + 1 AS r, ff.range + 1 AS f, rr.range * $bins + ff.range AS cell
  FROM range($bins) rr CROSS JOIN range($bins) ff
),
cell_values AS (
  SELECT c.cell, count(x.customer_id) AS customers, coalesce(sum(x.revenue), 0) AS revenue, sum(x.monetary) AS monetary
  FROM cells c LEFT JOIN rfm x ON x.r = c.r AND x.f = c.f
  GROUP BY c.cell
),
cell_segments AS (
  -- the segment of each cell from the map itself, −1 when M splits the cell
  SELECT cell, CASE WHEN count(DISTINCT s) = 1 THEN min(s) ELSE -1 END AS segment FROM (
    SELECT c.cell, mm.range + 1 AS m,
      (SELECT min(g.s) FROM segs g WHERE c.r BETWEEN g.r_lo AND g.r_hi AND c.f BETWEEN g.f_lo AND g.f_hi
        AND (g.m_lo IS NULL OR mm.range + 1 BETWEEN g.m_lo AND g.m_hi)) AS s
    FROM cells c CROSS JOIN range($bins) mm
  ) GROUP BY cell
),
segment_values AS (
  SELECT g.s, g.name, count(x.customer_id) AS customers, coalesce(sum(x.revenue), 0) AS revenue
  FROM segs g LEFT JOIN rfm x ON x.segment = g.s
  GROUP BY g.s, g.name
)
SELECT json_object(
  'kind', 'rfm',
  'range', (SELECT json_object('from', strftime(from_day, '%Y-%m-%d'), 'to', strftime(to_day, '%Y-%m-%d')) FROM bounds),
  'bins', $bins,
  'scoring', $scoring,
  'monetary', $monetary,
  'asOf', (SELECT ms FROM as_of),
  'asOfLabel', (SELECT label FROM as_of_label),
  'customers', (SELECT n FROM totals),
  'totalRevenue', (SELECT total_revenue FROM totals),
  'cellCustomers', (SELECT list(customers ORDER BY cell) FROM cell_values),
  'cellRevenue', (SELECT list(revenue ORDER BY cell) FROM cell_values),
  'cellCustomerShare', (SELECT list(customers / nullif(t.n, 0) ORDER BY cell) FROM cell_values, totals t),
  'cellRevenueShare', (SELECT list(revenue / nullif(t.total_revenue, 0) ORDER BY cell) FROM cell_values, totals t),
  'cellMeanMonetary', (SELECT list(monetary / nullif(customers, 0) ORDER BY cell) FROM cell_values),
  'cellSegment', (SELECT list(segment ORDER BY cell) FROM cell_segments),
  'segments', (SELECT list(name ORDER BY s) FROM segment_values),
  'segmentCustomers', (SELECT list(customers ORDER BY s) FROM segment_values),
  'segmentRevenue', (SELECT list(revenue ORDER BY s) FROM segment_values),
  'segmentCustomerShare', (SELECT list(customers / nullif(t.n, 0) ORDER BY s) FROM segment_values, totals t),
  'segmentRevenueShare', (SELECT list(revenue / nullif(t.total_revenue, 0) ORDER BY s) FROM segment_values, totals t)
) AS result;
