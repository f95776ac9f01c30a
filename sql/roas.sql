-- ROAS per period × channel (or campaign within channel), and blended (metrics.md section 7).
-- Returns one JSON document shaped like the engine's `roas` result (null where it has NaN).
-- Parameters: as attribution.sql, plus $by_campaign (1 to break down by campaign). Cost is the
-- costs table's rows dated in the period plus the per-touch cost of treatment touches sent in it;
-- the customer filter applies to per-touch costs, not to the costs table (which has no customers).
WITH
bounds AS (
  SELECT * FROM crm_range($tz, $from, $to)
),
allowed AS (SELECT customer_id FROM crm_filtered_customers($filter_attribute, $filter_values)),
keys AS (
  SELECT channel, campaign, CASE WHEN $by_campaign = 1 THEN coalesce(campaign, '(none)') ELSE channel END AS key,
    row_number() OVER (ORDER BY channel, campaign NULLS FIRST) - 1 AS k
  FROM (
    SELECT DISTINCT channel, CASE WHEN $by_campaign = 1 THEN campaign END AS campaign FROM (
      SELECT channel, campaign FROM crm_touches($tz) UNION ALL SELECT channel, campaign FROM crm_costs()
    )
  )
),
periods AS (
  SELECT range AS p FROM bounds, range(crm_period_index(from_day, $period, $week_start), crm_period_index(to_day, $period, $week_start) + 1)
),
spend AS (
  SELECT crm_period_index(c.day, $period, $week_start) AS p, c.channel, CASE WHEN $by_campaign = 1 THEN c.campaign END AS campaign, c.amount
  FROM crm_costs() c, bounds b WHERE c.day BETWEEN b.from_day AND b.to_day
  UNION ALL
  SELECT crm_period_index(t.day, $period, $week_start), t.channel, CASE WHEN $by_campaign = 1 THEN t.campaign END, t.cost
  FROM crm_touches($tz) t, bounds b
  WHERE t.grp = 'treatment' AND t.cost <> 0 AND t.day BETWEEN b.from_day AND b.to_day
    AND ($filter_attribute IS NULL OR t.customer_id IN (SELECT customer_id FROM allowed))
),
cost AS (
  SELECT p, k.k, crm_net(sum(amount), sum(abs(amount))) AS cost, sum(abs(amount)) AS size FROM spend s JOIN keys k ON k.channel = s.channel AND k.campaign IS NOT DISTINCT FROM s.campaign GROUP BY p, k.k
),
purchases AS (
  SELECT o.order_key, o.revenue, o.margin, crm_period_index(o.day, $period, $week_start) AS p
  FROM crm_orders($tz) o, bounds b
  WHERE o.is_purchase AND o.day BETWEEN b.from_day AND b.to_day
    AND ($filter_attribute IS NULL OR o.customer_id IN (SELECT customer_id FROM allowed))
),
credited AS (
  SELECT pu.p, k.k, sum(pu.revenue * c.w) AS revenue, sum(pu.margin * c.w) AS margin
  FROM crm_credits($tz, $model, $basis, $default_window_ms, $windows_json, $half_life_ms) c
  JOIN purchases pu ON pu.order_key = c.order_key
  JOIN keys k ON k.channel = c.channel AND k.campaign IS NOT DISTINCT FROM CASE WHEN $by_campaign = 1 THEN c.campaign END
  WHERE c.w <> 0
  GROUP BY pu.p, k.k
),
-- margin as sum() gives it: NULL (unknown) where every credited purchase lacks one, 0 where none has credit
grid AS (
  SELECT pe.p, k.k, coalesce(co.cost, 0) AS cost, coalesce(co.size, 0) AS size, coalesce(cr.revenue, 0) AS revenue,
    CASE WHEN cr.k IS NULL THEN 0 ELSE cr.margin END AS margin, cr.k IS NOT NULL AS credited
  FROM periods pe CROSS JOIN keys k
  LEFT JOIN cost co ON co.p = pe.p AND co.k = k.k
  LEFT JOIN credited cr ON cr.p = pe.p AND cr.k = k.k
),
blended AS (
  SELECT p, crm_net(sum(cost), sum(size)) AS cost, sum(revenue) AS revenue,
    CASE WHEN bool_or(credited) THEN sum(margin) FILTER (WHERE credited) ELSE 0 END AS margin
  FROM grid GROUP BY p
),
per_key AS (
  SELECT k, crm_net(sum(cost), sum(size)) AS cost, sum(revenue) AS revenue,
    CASE WHEN bool_or(credited) THEN sum(margin) FILTER (WHERE credited) ELSE 0 END AS margin
  FROM grid GROUP BY k
),
whole AS (
  SELECT coalesce(crm_net(sum(cost), sum(size)), 0) AS cost, coalesce(sum(revenue), 0) AS revenue,
    CASE WHEN coalesce(bool_or(credited), false) THEN sum(margin) FILTER (WHERE credited) ELSE 0 END AS margin
  FROM grid
)
SELECT json_object(
  'kind', 'roas',
  'range', (SELECT json_object('from', strftime(from_day, '%Y-%m-%d'), 'to', strftime(to_day, '%Y-%m-%d')) FROM bounds),
  'model', $model,
  'basis', $basis,
  'periods', json_object(
    'period', $period,
    'start', (SELECT coalesce(list(date_diff('day', DATE '1970-01-01', crm_period_start(p, $period, $week_start)) ORDER BY p), []) FROM periods),
    'labels', (SELECT coalesce(list(strftime(crm_period_start(p, $period, $week_start), '%Y-%m-%d') ORDER BY p), []) FROM periods),
    'partial', (SELECT coalesce(list(crm_partial(p, $period, $week_start, from_day, to_day, first_order_day, last_order_day) ORDER BY p), []) FROM periods, bounds)
  ),
  'keys', (SELECT coalesce(list(key ORDER BY k), []) FROM keys),
  'keyChannels', (SELECT coalesce(list(channel ORDER BY k), []) FROM keys),
  'cost', (SELECT coalesce(list(cost ORDER BY p, k), []) FROM grid),
  'revenue', (SELECT coalesce(list(revenue ORDER BY p, k), []) FROM grid),
  'margin', (SELECT coalesce(list(margin ORDER BY p, k), []) FROM grid),
  'roas', (SELECT coalesce(list(crm_per_cost(revenue, cost) ORDER BY p, k), []) FROM grid),
  'marginRoas', (SELECT coalesce(list(crm_per_cost(margin, cost) ORDER BY p, k), []) FROM grid),
  'blendedCost', (SELECT coalesce(list(cost ORDER BY p), []) FROM blended),
  'blendedRevenue', (SELECT coalesce(list(revenue ORDER BY p), []) FROM blended),
  'blendedMargin', (SELECT coalesce(list(margin ORDER BY p), []) FROM blended),
  'blendedRoas', (SELECT coalesce(list(crm_per_cost(revenue, cost) ORDER BY p), []) FROM blended),
  'blendedMarginRoas', (SELECT coalesce(list(crm_per_cost(margin, cost) ORDER BY p), []) FROM blended),
  'keyCost', (SELECT coalesce(list(coalesce(x.cost, 0) ORDER BY k.k), []) FROM keys k LEFT JOIN per_key x USING (k)),
  'keyRevenue', (SELECT coalesce(list(coalesce(x.revenue, 0) ORDER BY k.k), []) FROM keys k LEFT JOIN per_key x USING (k)),
  'keyMargin', (SELECT coalesce(list(CASE WHEN x.k IS NULL THEN 0 ELSE x.margin END ORDER BY k.k), []) FROM keys k LEFT JOIN per_key x USING (k)),
  'keyRoas', (SELECT coalesce(list(crm_per_cost(x.revenue, x.cost) ORDER BY k.k), []) FROM keys k LEFT JOIN per_key x USING (k)),
  'keyMarginRoas', (SELECT coalesce(list(crm_per_cost(x.margin, x.cost) ORDER BY k.k), []) FROM keys k LEFT JOIN per_key x USING (k)),
  'rangeCost', (SELECT cost FROM whole),
  'rangeRevenue', (SELECT revenue FROM whole),
  'rangeMargin', (SELECT margin FROM whole),
  'rangeRoas', (SELECT crm_per_cost(revenue, cost) FROM whole),
  'rangeMarginRoas', (SELECT crm_per_cost(margin, cost) FROM whole)
) AS result;
