-- The KPI set of metrics.md section 3 for a range and for the equal-length range just before it.
-- Returns one JSON document shaped like the engine's `kpis` result (null where it has NaN).
-- Parameters: as attribution.sql ($tz, $from, $to, $model, $basis, $default_window_ms, $windows_json,
-- $half_life_ms, $filter_attribute, $filter_values).
WITH
bounds AS (
  SELECT * FROM crm_range($tz, $from, $to)
),
ranges AS (
  SELECT 'current' AS which, from_day, to_day, first_order_day, last_order_day FROM bounds
  UNION ALL
  SELECT 'previous', from_day - CAST(date_diff('day', from_day, to_day) + 1 AS INTEGER), from_day - 1, first_order_day, last_order_day FROM bounds
),
allowed AS (SELECT customer_id FROM crm_filtered_customers($filter_attribute, $filter_values)),
o AS (
  SELECT * FROM crm_orders($tz)
  WHERE $filter_attribute IS NULL OR customer_id IN (SELECT customer_id FROM allowed)
),
credits AS (
  SELECT order_key, sum(w) AS w FROM crm_credits($tz, $model, $basis, $default_window_ms, $windows_json, $half_life_ms) GROUP BY order_key
),
crm AS (
  SELECT r.which, sum(o.revenue * cc.w) AS crm_revenue, sum(o.margin * cc.w) AS crm_margin
  FROM ranges r JOIN o ON o.day BETWEEN r.from_day AND r.to_day
  JOIN crm_credits($tz, $model, $basis, $default_window_ms, $windows_json, $half_life_ms) cc ON cc.order_key = o.order_key
  GROUP BY r.which
),
orders_by_range AS (
  SELECT r.which,
    sum(o.revenue) AS net_revenue,
    count(*) FILTER (WHERE o.is_purchase) AS purchases,
    sum(CASE WHEN o.is_purchase THEN o.revenue ELSE 0 END) AS purchase_revenue
  FROM ranges r JOIN o ON o.day BETWEEN r.from_day AND r.to_day
  GROUP BY r.which
),
customer_purchases AS (
  SELECT r.which, o.customer_id, count(*) AS purchases, bool_or(c.order_key IS NOT NULL) AS converted
  FROM ranges r JOIN o ON o.day BETWEEN r.from_day AND r.to_day
  LEFT JOIN credits c ON c.order_key = o.order_key
  WHERE o.is_purchase
  GROUP BY r.which, o.customer_id
),
customers_by_range AS (
  SELECT which, count(*) AS customers, count(*) FILTER (WHERE purchases >= 2) AS repeat_customers FROM customer_purchases GROUP BY which
),
recipients AS (
  SELECT DISTINCT r.which, t.customer_id
  FROM ranges r JOIN crm_touches($tz) t ON t.day BETWEEN r.from_day AND r.to_day
  WHERE t.grp = 'treatment' AND ($filter_attribute IS NULL OR t.customer_id IN (SELECT customer_id FROM allowed))
),
recipients_by_range AS (
  SELECT rc.which, count(*) AS recipients, count(*) FILTER (WHERE cp.converted) AS converted
  FROM recipients rc LEFT JOIN customer_purchases cp ON cp.which = rc.which AND cp.customer_id = rc.customer_id
  GROUP BY rc.which
),
kpi AS (
  SELECT r.which,
    coalesce(ob.net_revenue, 0) AS net_revenue,
    coalesce(c.crm_revenue, 0) AS crm_revenue,
    -- NULL (unknown) when every credited purchase lacks a margin, 0 when none has credit
    CASE WHEN c.which IS NULL THEN 0 ELSE c.crm_margin END AS crm_margin,
    coalesce(ob.purchases, 0) AS purchases,
    coalesce(ob.purchase_revenue, 0) AS purchase_revenue,
    coalesce(cb.customers, 0) AS customers,
    coalesce(cb.repeat_customers, 0) AS repeat_customers,
    coalesce(rb.recipients, 0) AS recipients,
    coalesce(rb.converted, 0) AS converted_recipients
  FROM ranges r
  LEFT JOIN orders_by_range ob USING (which)
  LEFT JOIN crm c USING (which)
  LEFT JOIN customers_by_range cb USING (which)
  LEFT JOIN recipients_by_range rb USING (which)
),
kpi_json AS (
  SELECT which, json_object(
    'netRevenue', net_revenue,
    'crmRevenue', crm_revenue,
    'crmMargin', crm_margin,
    'crmShare', crm_revenue / nullif(net_revenue, 0),
    'purchases', purchases,
    'purchaseRevenue', purchase_revenue,
    'aov', purchase_revenue / nullif(purchases, 0),
    'customers', customers,
    'repeatCustomers', repeat_customers,
    'repeatRate', repeat_customers / nullif(customers, 0),
    'recipients', recipients,
    'revenuePerRecipient', crm_revenue / nullif(recipients, 0),
    'convertedRecipients', converted_recipients,
    'conversionRate', converted_recipients / nullif(recipients, 0)
  ) AS j FROM kpi
)
-- partial, previousPartial: 1 when the orders cover the range only in part (crm_span_partial, as for
-- periods: it starts before the first order day, or reaches the last one, not over yet)
SELECT json_object(
  'kind', 'kpis',
  'range', (SELECT json_object('from', strftime(from_day, '%Y-%m-%d'), 'to', strftime(to_day, '%Y-%m-%d')) FROM ranges WHERE which = 'current'),
  'previousRange', (SELECT json_object('from', strftime(from_day, '%Y-%m-%d'), 'to', strftime(to_day, '%Y-%m-%d')) FROM ranges WHERE which = 'previous'),
  'model', $model,
  'basis', $basis,
  'current', (SELECT j FROM kpi_json WHERE which = 'current'),
  'previous', (SELECT j FROM kpi_json WHERE which = 'previous'),
  'partial', (SELECT crm_span_partial(from_day, to_day + 1, from_day, to_day, first_order_day, last_order_day) FROM ranges WHERE which = 'current'),
  'previousPartial', (SELECT crm_span_partial(from_day, to_day + 1, from_day, to_day, first_order_day, last_order_day) FROM ranges WHERE which = 'previous')
) AS result;
