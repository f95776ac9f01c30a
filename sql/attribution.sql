-- Attributed revenue by period × channel / campaign / lifecycle stage (metrics.md section 3).
-- Returns one JSON document shaped like the engine's `attribution` result (null where it has NaN).
--
-- Parameters:
--   $tz                 reporting time zone (IANA)
--   $from, $to          inclusive local dates, or NULL for the data bounds
--   $model              last_touch | first_touch | linear | time_decay | position_based
--   $basis              send | open | click
--   $default_window_ms  attribution window for channels not in $windows_json (5 days = 432000000)
--   $windows_json       per-channel windows in ms as JSON ({"sms": 86400000}), or NULL
--   $half_life_ms       time_decay half-life, or NULL for a quarter of the touch's window
--   $period             day | week | month | quarter
--   $week_start         ISO weekday weeks start on (1 = Monday)
--   $dimension          channel | campaign | stage
--   $reactivation_ms    gap after which a purchase is 'reactivated' (180 days = 15552000000)
--   $filter_attribute   a customers column to filter on, or NULL
--   $filter_values      the values that pass (VARCHAR[])
WITH
bounds AS (
  SELECT * FROM crm_range($tz, $from, $to)
),
allowed AS (SELECT customer_id FROM crm_filtered_customers($filter_attribute, $filter_values)),
orders_in_range AS (
  SELECT o.*, crm_period_index(o.day, $period, $week_start) AS p,
    CASE
      WHEN NOT o.is_purchase THEN NULL
      WHEN o.prev_purchase_at IS NULL THEN 'new'
      WHEN epoch_ms(o.ordered_at) - epoch_ms(o.prev_purchase_at) > $reactivation_ms THEN 'reactivated'
      ELSE 'returning'
    END AS stage
  FROM crm_orders($tz) o, bounds b
  WHERE o.day BETWEEN b.from_day AND b.to_day
    AND ($filter_attribute IS NULL OR o.customer_id IN (SELECT customer_id FROM allowed))
),
credits AS (
  SELECT * FROM crm_credits($tz, $model, $basis, $default_window_ms, $windows_json, $half_life_ms)
  WHERE order_key IN (SELECT order_key FROM orders_in_range)
),
keys AS (
  SELECT key, key_channel, row_number() OVER (ORDER BY ord1, ord2 NULLS FIRST, ord3) - 1 AS k FROM (
    SELECT DISTINCT channel AS key, channel AS key_channel, channel AS ord1, NULL::VARCHAR AS ord2, 0 AS ord3
    FROM (SELECT channel FROM crm_touches($tz) UNION SELECT channel FROM crm_costs())
    WHERE $dimension = 'channel'
    UNION ALL
    SELECT DISTINCT coalesce(campaign, '(none)'), channel, channel, campaign, 0 FROM crm_touches($tz) WHERE $dimension = 'campaign'
    UNION ALL
    SELECT * FROM (VALUES ('new', '', '', NULL::VARCHAR, 0), ('returning', '', '', NULL, 1), ('reactivated', '', '', NULL, 2)) s WHERE $dimension = 'stage'
  )
),
credited AS (
  SELECT o.p, k.k, sum(o.revenue * c.w) AS revenue, sum(o.margin * c.w) AS margin, sum(c.w) AS purchases
  FROM credits c
  JOIN orders_in_range o ON o.order_key = c.order_key
  JOIN keys k ON k.key = CASE $dimension WHEN 'channel' THEN c.channel WHEN 'campaign' THEN coalesce(c.campaign, '(none)') ELSE o.stage END
    AND ($dimension <> 'campaign' OR k.key_channel = c.channel)
  WHERE c.w <> 0
  GROUP BY o.p, k.k
),
per_period AS (
  SELECT p,
    sum(revenue) AS net_revenue,
    sum(CASE WHEN is_purchase THEN revenue ELSE 0 END) AS purchase_revenue,
    count(*) FILTER (WHERE is_purchase) AS purchase_count,
    CASE WHEN count(*) FILTER (WHERE is_purchase) = 0 THEN 0 ELSE sum(CASE WHEN is_purchase THEN margin END) END AS purchase_margin,
    sum(CASE WHEN non_crm THEN revenue ELSE 0 END) AS non_crm_revenue,
    -- NULL (unknown) when the non-CRM purchases all lack a margin, 0 when there are none
    CASE WHEN count(*) FILTER (WHERE non_crm) = 0 THEN 0 ELSE sum(CASE WHEN non_crm THEN margin END) END AS non_crm_margin,
    count(*) FILTER (WHERE non_crm) AS non_crm_purchases
  FROM (SELECT *, is_purchase AND order_key NOT IN (SELECT order_key FROM credits) AS non_crm FROM orders_in_range) GROUP BY p
),
periods AS (
  SELECT range AS p FROM bounds, range(crm_period_index(from_day, $period, $week_start), crm_period_index(to_day, $period, $week_start) + 1)
),
per_key AS (
  -- the cells' margins: NULL cells (unknown) skipped, NULL when all of a key's are
  SELECT k, sum(revenue) AS revenue, sum(margin) AS margin FROM credited GROUP BY k
),
grid AS (
  -- margin as sum() gives it: NULL (unknown) where every credited purchase lacks one, 0 where none has credit
  SELECT pe.p, k.k, coalesce(c.revenue, 0) AS revenue, CASE WHEN c.k IS NULL THEN 0 ELSE c.margin END AS margin, coalesce(c.purchases, 0) AS purchases
  FROM periods pe CROSS JOIN keys k LEFT JOIN credited c ON c.p = pe.p AND c.k = k.k
)
SELECT json_object(
  'kind', 'attribution',
  'range', (SELECT json_object('from', strftime(from_day, '%Y-%m-%d'), 'to', strftime(to_day, '%Y-%m-%d')) FROM bounds),
  'model', $model,
  'basis', $basis,
  'dimension', $dimension,
  'periods', json_object(
    'period', $period,
    'start', (SELECT coalesce(list(date_diff('day', DATE '1970-01-01', crm_period_start(p, $period, $week_start)) ORDER BY p), []) FROM periods),
    'labels', (SELECT coalesce(list(strftime(crm_period_start(p, $period, $week_start), '%Y-%m-%d') ORDER BY p), []) FROM periods),
    'partial', (SELECT coalesce(list(crm_partial(p, $period, $week_start, from_day, to_day, first_order_day, last_order_day) ORDER BY p), []) FROM periods, bounds)
  ),
  'keys', (SELECT coalesce(list(key ORDER BY k), []) FROM keys),
  'keyChannels', (SELECT coalesce(list(key_channel ORDER BY k), []) FROM keys),
  'revenue', (SELECT coalesce(list(revenue ORDER BY p, k), []) FROM grid),
  'margin', (SELECT coalesce(list(margin ORDER BY p, k), []) FROM grid),
  'purchases', (SELECT coalesce(list(purchases ORDER BY p, k), []) FROM grid),
  'nonCrmRevenue', (SELECT coalesce(list(coalesce(x.non_crm_revenue, 0) ORDER BY pe.p), []) FROM periods pe LEFT JOIN per_period x USING (p)),
  'nonCrmMargin', (SELECT coalesce(list(CASE WHEN x.p IS NULL THEN 0 ELSE x.non_crm_margin END ORDER BY pe.p), []) FROM periods pe LEFT JOIN per_period x USING (p)),
  'nonCrmPurchases', (SELECT coalesce(list(coalesce(x.non_crm_purchases, 0) ORDER BY pe.p), []) FROM periods pe LEFT JOIN per_period x USING (p)),
  'keyRevenue', (SELECT coalesce(list(coalesce(x.revenue, 0) ORDER BY k.k), []) FROM keys k LEFT JOIN per_key x USING (k)),
  'keyMargin', (SELECT coalesce(list(CASE WHEN x.k IS NULL THEN 0 ELSE x.margin END ORDER BY k.k), []) FROM keys k LEFT JOIN per_key x USING (k)),
  'netRevenue', (SELECT coalesce(list(coalesce(x.net_revenue, 0) ORDER BY pe.p), []) FROM periods pe LEFT JOIN per_period x USING (p)),
  'purchaseRevenue', (SELECT coalesce(list(coalesce(x.purchase_revenue, 0) ORDER BY pe.p), []) FROM periods pe LEFT JOIN per_period x USING (p)),
  'purchaseMargin', (SELECT coalesce(list(CASE WHEN x.p IS NULL THEN 0 ELSE x.purchase_margin END ORDER BY pe.p), []) FROM periods pe LEFT JOIN per_period x USING (p)),
  'purchaseCount', (SELECT coalesce(list(coalesce(x.purchase_count, 0) ORDER BY pe.p), []) FROM periods pe LEFT JOIN per_period x USING (p))
) AS result;
