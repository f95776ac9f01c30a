-- Cohort × offset retention matrix (metrics.md section 5). Cohorts are periods of each customer's
-- first purchase in the whole dataset, selected by the range; cells use all later data.
-- Returns one JSON document shaped like the engine's `retention` result (null where it has NaN).
-- Parameters: $tz, $from, $to, $filter_attribute, $filter_values,
--   $period, $week_start, $offsets (K), $measure (customers | rolling | revenue |
--   cumulative_revenue | revenue_retention), $breakdown (a customers column, or NULL)
WITH
bounds AS (
  SELECT * FROM crm_range($tz, $from, $to)
),
allowed AS (SELECT customer_id FROM crm_filtered_customers($filter_attribute, $filter_values)),
attribute_values AS (
  SELECT customer_id, value FROM (UNPIVOT (SELECT * FROM customers) ON COLUMNS(* EXCLUDE customer_id) INTO NAME name VALUE value)
  WHERE name = $breakdown AND trim(value) <> ''
),
groups AS (
  SELECT g, row_number() OVER (ORDER BY o, g) - 1 AS gi FROM (
    SELECT 'all' AS g, 0 AS o WHERE $breakdown IS NULL
    UNION ALL SELECT DISTINCT trim(value), 0 FROM attribute_values WHERE $breakdown IS NOT NULL
    UNION ALL SELECT '(none)', 1 WHERE $breakdown IS NOT NULL
  )
),
o AS (SELECT * FROM crm_orders($tz)),
last_order AS (SELECT max(day) AS last_day FROM o),
members AS (
  SELECT o.customer_id, crm_period_index(CAST(timezone($tz, min(o.first_purchase_at)) AS DATE), $period, $week_start) AS cohort
  FROM o, bounds b
  WHERE o.first_purchase_at IS NOT NULL
    AND ($filter_attribute IS NULL OR o.customer_id IN (SELECT customer_id FROM allowed))
  GROUP BY o.customer_id, b.from_day, b.to_day
  -- whole cohorts: the periods the range touches (metrics.md section 5)
  HAVING crm_period_index(CAST(timezone($tz, min(o.first_purchase_at)) AS DATE), $period, $week_start)
    BETWEEN crm_period_index(b.from_day, $period, $week_start) AND crm_period_index(b.to_day, $period, $week_start)
),
member_groups AS (
  SELECT m.customer_id, m.cohort, gr.gi
  FROM members m
  LEFT JOIN attribute_values a ON a.customer_id = m.customer_id
  JOIN groups gr ON gr.g = CASE WHEN $breakdown IS NULL THEN 'all' ELSE coalesce(trim(a.value), '(none)') END
),
activity AS (
  SELECT mg.gi, mg.cohort, mg.customer_id, crm_period_index(o.day, $period, $week_start) - mg.cohort AS k, o.revenue, o.is_purchase
  FROM member_groups mg JOIN o ON o.customer_id = mg.customer_id
  WHERE crm_period_index(o.day, $period, $week_start) >= mg.cohort
),
last_purchase AS (
  SELECT gi, cohort, customer_id, max(k) FILTER (WHERE is_purchase) AS last_k FROM activity GROUP BY gi, cohort, customer_id
),
cohorts AS (
  SELECT gr.gi, pe.range AS cohort, row_number() OVER (ORDER BY gr.gi, pe.range) - 1 AS row_id
  FROM groups gr, bounds b, range(crm_period_index(b.from_day, $period, $week_start), crm_period_index(b.to_day, $period, $week_start) + 1) pe
),
sizes AS (SELECT gi, cohort, count(*) AS size FROM member_groups GROUP BY gi, cohort),
cells AS (
  SELECT c.row_id, c.gi, c.cohort, k.range AS k, coalesce(s.size, 0) AS size,
    crm_period_start(c.cohort + k.range, $period, $week_start) AS cell_start,
    crm_period_start(c.cohort + k.range + 1, $period, $week_start) AS cell_end
  FROM cohorts c CROSS JOIN range(0, $offsets) k LEFT JOIN sizes s ON s.gi = c.gi AND s.cohort = c.cohort
),
cell_activity AS (
  SELECT gi, cohort, k, count(DISTINCT CASE WHEN is_purchase THEN customer_id END) AS active, sum(revenue) AS revenue
  FROM activity WHERE k < $offsets GROUP BY gi, cohort, k
),
cell_rolling AS (
  SELECT c.gi, c.cohort, c.k, count(lp.customer_id) AS rolling
  FROM cells c JOIN last_purchase lp ON lp.gi = c.gi AND lp.cohort = c.cohort AND lp.last_k >= c.k
  GROUP BY c.gi, c.cohort, c.k
),
valued AS (
  SELECT c.*,
    CASE WHEN c.cell_start > lo.last_day THEN 2 WHEN c.cell_end <= lo.last_day THEN 0 ELSE 1 END AS status,
    coalesce(a.active, 0) AS active,
    coalesce(r.rolling, 0) AS rolling,
    coalesce(a.revenue, 0) AS revenue,
    sum(coalesce(a.revenue, 0)) OVER (PARTITION BY c.row_id ORDER BY c.k) AS cumulative,
    first_value(coalesce(a.revenue, 0)) OVER (PARTITION BY c.row_id ORDER BY c.k) AS base
  FROM cells c CROSS JOIN last_order lo
  LEFT JOIN cell_activity a ON a.gi = c.gi AND a.cohort = c.cohort AND a.k = c.k
  LEFT JOIN cell_rolling r ON r.gi = c.gi AND r.cohort = c.cohort AND r.k = c.k
),
measured AS (
  SELECT *,
    CASE WHEN status = 2 THEN NULL ELSE CASE $measure
      WHEN 'customers' THEN active WHEN 'rolling' THEN rolling WHEN 'revenue' THEN revenue
      WHEN 'cumulative_revenue' THEN cumulative ELSE revenue END END AS cnt,
    CASE WHEN status = 2 OR size = 0 THEN NULL ELSE CASE $measure
      WHEN 'customers' THEN active / size WHEN 'rolling' THEN rolling / size WHEN 'revenue' THEN revenue / size
      WHEN 'cumulative_revenue' THEN cumulative / size ELSE CASE WHEN base > 0 THEN revenue / base END END END AS val
  FROM valued
),
means AS (
  SELECT gr.gi, k.range AS k,
    sum(m.val * m.size) / sum(m.size) AS weighted,
    avg(m.val) AS simple,
    count(m.val) AS cells
  FROM groups gr CROSS JOIN range(0, $offsets) k
  LEFT JOIN measured m ON m.gi = gr.gi AND m.k = k.range AND m.status = 0 AND m.size > 0 AND m.val IS NOT NULL
  GROUP BY gr.gi, k.range
)
SELECT json_object(
  'kind', 'retention',
  'range', (SELECT json_object('from', strftime(from_day, '%Y-%m-%d'), 'to', strftime(to_day, '%Y-%m-%d')) FROM bounds),
  'measure', $measure,
  'period', $period,
  'offsets', $offsets,
  'groups', (SELECT list(g ORDER BY gi) FROM groups),
  'breakdown', $breakdown,
  'cohortGroup', (SELECT coalesce(list(gi ORDER BY row_id), []) FROM cohorts),
  'cohortStart', (SELECT coalesce(list(date_diff('day', DATE '1970-01-01', crm_period_start(cohort, $period, $week_start)) ORDER BY row_id), []) FROM cohorts),
  'cohortLabels', (SELECT coalesce(list(strftime(crm_period_start(cohort, $period, $week_start), '%Y-%m-%d') ORDER BY row_id), []) FROM cohorts),
  'cohortSize', (SELECT coalesce(list(coalesce(s.size, 0) ORDER BY c.row_id), []) FROM cohorts c LEFT JOIN sizes s ON s.gi = c.gi AND s.cohort = c.cohort),
  'values', (SELECT coalesce(list(val ORDER BY row_id, k), []) FROM measured),
  'counts', (SELECT coalesce(list(cnt ORDER BY row_id, k), []) FROM measured),
  'status', (SELECT coalesce(list(status ORDER BY row_id, k), []) FROM measured),
  'weightedMean', (SELECT list(weighted ORDER BY gi, k) FROM means),
  'simpleMean', (SELECT list(simple ORDER BY gi, k) FROM means),
  'meanCells', (SELECT list(cells ORDER BY gi, k) FROM means)
) AS result;
