-- Holdout lift per scope: all CRM, each channel, each campaign (metrics.md section 4).
-- Returns one JSON document shaped like the engine's `incrementality` result (null where it has NaN).
-- Parameters: $tz, $from, $to, $filter_attribute, $filter_values,
--   $lift_window_ms  outcome window after assignment (14 days = 1209600000)
--   $min_holdout     scopes with fewer holdout customers report no numbers
WITH
bounds AS (
  SELECT * FROM crm_range($tz, $from, $to)
),
allowed AS (SELECT customer_id FROM crm_filtered_customers($filter_attribute, $filter_values)),
t AS (
  SELECT tt.* FROM crm_touches($tz) tt, bounds b
  WHERE tt.day BETWEEN b.from_day AND b.to_day
    AND ($filter_attribute IS NULL OR tt.customer_id IN (SELECT customer_id FROM allowed))
),
scoped AS (
  SELECT 'all' AS scope, 'all' AS name, 0 AS kind_order, * FROM t
  UNION ALL SELECT 'channel', channel, 1, * FROM t
  UNION ALL SELECT 'campaign', campaign, 2, * FROM t WHERE campaign IS NOT NULL
),
assignments AS (
  SELECT scope, name, kind_order, customer_id, min(sent_at) AS assigned_at, count(DISTINCT grp) AS groups, min(grp) AS grp
  FROM scoped GROUP BY scope, name, kind_order, customer_id
),
outcomes AS (
  SELECT a.scope, a.name, a.grp, a.customer_id,
    coalesce(sum(o.revenue), 0) AS revenue,
    coalesce(bool_or(o.is_purchase), false) AS bought
  FROM assignments a
  LEFT JOIN crm_orders($tz) o ON o.customer_id = a.customer_id
    AND epoch_ms(o.ordered_at) >= epoch_ms(a.assigned_at)
    AND epoch_ms(o.ordered_at) < epoch_ms(a.assigned_at) + $lift_window_ms
  WHERE a.groups = 1
  GROUP BY a.scope, a.name, a.grp, a.customer_id
),
by_group AS (
  SELECT scope, name,
    count(*) FILTER (WHERE grp = 'treatment') AS nt,
    count(*) FILTER (WHERE grp = 'holdout') AS nh,
    coalesce(sum(revenue) FILTER (WHERE grp = 'treatment'), 0) AS rev_t,
    coalesce(sum(revenue) FILTER (WHERE grp = 'holdout'), 0) AS rev_h,
    avg(revenue) FILTER (WHERE grp = 'treatment') AS rpc_t,
    avg(revenue) FILTER (WHERE grp = 'holdout') AS rpc_h,
    var_samp(revenue) FILTER (WHERE grp = 'treatment') AS var_t,
    var_samp(revenue) FILTER (WHERE grp = 'holdout') AS var_h,
    count(*) FILTER (WHERE grp = 'treatment' AND bought) AS conv_t,
    count(*) FILTER (WHERE grp = 'holdout' AND bought) AS conv_h
  FROM outcomes GROUP BY scope, name
),
scopes AS (
  SELECT 'all' AS scope, 'all' AS name, 0 AS kind_order, '' AS channel FROM bounds WHERE from_day IS NOT NULL
  UNION
  SELECT scope, name, kind_order, CASE scope WHEN 'all' THEN '' WHEN 'channel' THEN name ELSE min(channel) END
  FROM scoped GROUP BY scope, name, kind_order
),
excluded AS (
  SELECT scope, name, count(*) AS excluded FROM assignments WHERE groups > 1 GROUP BY scope, name
),
spend AS (
  SELECT 'all' AS scope, 'all' AS name, c.amount FROM crm_costs() c, bounds b WHERE c.day BETWEEN b.from_day AND b.to_day
  UNION ALL SELECT 'channel', c.channel, c.amount FROM crm_costs() c, bounds b WHERE c.day BETWEEN b.from_day AND b.to_day
  UNION ALL SELECT 'campaign', c.campaign, c.amount FROM crm_costs() c, bounds b WHERE c.day BETWEEN b.from_day AND b.to_day AND c.campaign IS NOT NULL
  UNION ALL SELECT scope, name, cost FROM scoped WHERE grp = 'treatment' AND cost <> 0
),
cost AS (SELECT scope, name, crm_net(sum(amount), sum(abs(amount))) AS cost FROM spend GROUP BY scope, name),
rows AS (
  SELECT s.scope, s.name, s.kind_order, s.channel,
    coalesce(g.nt, 0) AS nt, coalesce(g.nh, 0) AS nh, coalesce(e.excluded, 0) AS excluded,
    coalesce(g.rev_t, 0) AS rev_t, coalesce(g.rev_h, 0) AS rev_h, g.rpc_t, g.rpc_h, g.var_t, g.var_h, g.conv_t, g.conv_h,
    coalesce(c.cost, 0) AS cost,
    coalesce(g.nh, 0) >= $min_holdout AND coalesce(g.nh, 0) > 0 AND coalesce(g.nt, 0) > 0 AS ok
  FROM scopes s
  LEFT JOIN by_group g USING (scope, name)
  LEFT JOIN excluded e USING (scope, name)
  LEFT JOIN cost c USING (scope, name)
),
lift AS (
  SELECT *,
    CASE WHEN ok THEN rpc_t - rpc_h END AS abs_lift,
    CASE WHEN ok THEN sqrt(var_t / nt + var_h / nh) END AS se
  FROM rows
)
SELECT json_object(
  'kind', 'incrementality',
  'range', (SELECT json_object('from', strftime(from_day, '%Y-%m-%d'), 'to', strftime(to_day, '%Y-%m-%d')) FROM bounds),
  'liftWindowDays', $lift_window_ms / 86400000,
  'minHoldout', $min_holdout,
  'scope', coalesce(list(scope ORDER BY kind_order, name), []),
  'name', coalesce(list(name ORDER BY kind_order, name), []),
  'channel', coalesce(list(channel ORDER BY kind_order, name), []),
  'treatment', coalesce(list(nt ORDER BY kind_order, name), []),
  'holdout', coalesce(list(nh ORDER BY kind_order, name), []),
  'excluded', coalesce(list(excluded ORDER BY kind_order, name), []),
  'sufficient', coalesce(list(CASE WHEN ok THEN 1 ELSE 0 END ORDER BY kind_order, name), []),
  'revenueTreatment', coalesce(list(rev_t ORDER BY kind_order, name), []),
  'revenueHoldout', coalesce(list(rev_h ORDER BY kind_order, name), []),
  'revenuePerCustomerTreatment', coalesce(list(CASE WHEN ok THEN rpc_t END ORDER BY kind_order, name), []),
  'revenuePerCustomerHoldout', coalesce(list(CASE WHEN ok THEN rpc_h END ORDER BY kind_order, name), []),
  'conversionTreatment', coalesce(list(CASE WHEN ok THEN conv_t / nt END ORDER BY kind_order, name), []),
  'conversionHoldout', coalesce(list(CASE WHEN ok THEN conv_h / nh END ORDER BY kind_order, name), []),
  'absoluteLift', coalesce(list(abs_lift ORDER BY kind_order, name), []),
  'relativeLift', coalesce(list(abs_lift / nullif(rpc_h, 0) ORDER BY kind_order, name), []),
  'incrementalRevenue', coalesce(list(abs_lift * nt ORDER BY kind_order, name), []),
  'liftLow', coalesce(list(abs_lift - 1.959963984540054 * se ORDER BY kind_order, name), []),
  'liftHigh', coalesce(list(abs_lift + 1.959963984540054 * se ORDER BY kind_order, name), []),
  'cost', coalesce(list(cost ORDER BY kind_order, name), []),
  'incrementalRoas', coalesce(list(crm_per_cost(abs_lift * nt, cost) ORDER BY kind_order, name), [])
) AS result
FROM lift;
