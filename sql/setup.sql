-- CRM analytics warehouse pack, DuckDB dialect: shared macros. Run once per connection, before the
-- queries. Input tables follow the data contract (README, "Data contract"):
--   orders(order_id, customer_id, ordered_at TIMESTAMPTZ, revenue, quantity, unit_price, margin, cost, discount)
--   touches(customer_id, channel, campaign, sent_at TIMESTAMPTZ, opened_at, clicked_at, "group", cost)
--   costs(date DATE, channel, campaign, amount, kind)
--   customers(customer_id, <attribute columns>)
-- Optional columns may be NULL. Every macro takes the reporting time zone (IANA name).

-- A sum of money (an order's lines, costs): 0 when at most a billionth of the sum of its amounts'
-- absolute values (size), the binary residue of amounts that cancel (0.10 + 0.20 - 0.30; metrics.md,
-- sections 1 and 7).
CREATE OR REPLACE MACRO crm_net(amount, size) AS CASE WHEN abs(amount) <= 1e-9 * size THEN 0 ELSE amount END;

-- A return on spend (ROAS, incremental ROAS): NULL (none) unless the cost is positive; a negative
-- cost (credit notes above the spend) has no meaningful return (metrics.md, section 7).
CREATE OR REPLACE MACRO crm_per_cost(x, cost) AS CASE WHEN cost > 0 THEN x / cost END;

-- Period index of a local date: consecutive periods differ by 1 (metrics.md section 1).
-- week_start is the ISO weekday the week starts on (1 = Monday).
CREATE OR REPLACE MACRO crm_period_index(d, period, week_start) AS
  CASE period
    WHEN 'day' THEN date_diff('day', DATE '1970-01-01', d)
    WHEN 'week' THEN floor((date_diff('day', DATE '1970-01-01', d) + 4 - week_start) / 7)::BIGINT
    WHEN 'month' THEN year(d) * 12 + month(d) - 1
    ELSE year(d) * 4 + (month(d) - 1) // 3
  END;

-- First local date of a period index.
CREATE OR REPLACE MACRO crm_period_start(idx, period, week_start) AS
  CASE period
    WHEN 'day' THEN DATE '1970-01-01' + CAST(idx AS INTEGER)
    WHEN 'week' THEN DATE '1970-01-01' + CAST(idx * 7 - 4 + week_start AS INTEGER)
    WHEN 'month' THEN make_date(CAST(idx // 12 AS BIGINT), CAST(idx % 12 + 1 AS BIGINT), 1)
    ELSE make_date(CAST(idx // 4 AS BIGINT), CAST((idx % 4) * 3 + 1 AS BIGINT), 1)
  END;

-- Orders after normalisation (metrics.md section 2): line items with the same order_id merged
-- (amounts summed, earliest time; an order naming two customers dropped), revenue = quantity ×
-- unit_price when absent, margin = revenue − cost when absent (unknown when any line's is),
-- purchases (net revenue > 0) told from adjustments, local day, the customer's first purchase and
-- the time of the previous purchase. `seq` is the canonical order within a customer.
CREATE OR REPLACE MACRO crm_orders(tz) AS TABLE
  WITH lines AS (
    SELECT
      order_id,
      customer_id,
      ordered_at,
      coalesce(revenue, quantity * unit_price) AS revenue,
      coalesce(margin, coalesce(revenue, quantity * unit_price) - cost) AS margin,
      coalesce(discount, 0) AS discount
    FROM orders
  ),
  keyed AS (
    SELECT
      order_id,
      min(customer_id) AS customer_id,
      count(DISTINCT customer_id) AS customers,
      min(ordered_at) AS ordered_at,
      -- lines that cancel leave binary residue, which must not make the order a purchase
      crm_net(sum(revenue), sum(abs(revenue))) AS revenue,
      CASE WHEN count(margin) = count(*) THEN sum(margin) END AS margin,
      sum(discount) AS discount,
      count(*) AS lines
    FROM lines
    WHERE order_id IS NOT NULL
    GROUP BY order_id
  ),
  merged AS (
    SELECT order_id, customer_id, ordered_at, revenue, margin, discount, lines FROM keyed WHERE customers = 1
    UNION ALL
    SELECT order_id, customer_id, ordered_at, revenue, margin, discount, 1 FROM lines WHERE order_id IS NULL
  ),
  ordered AS (
    SELECT
      *,
      revenue > 0 AS is_purchase,
      CAST(timezone(tz, ordered_at) AS DATE) AS day,
      row_number() OVER (
        PARTITION BY customer_id
        ORDER BY ordered_at, order_id NULLS LAST, revenue, margin NULLS LAST, discount
      ) AS seq
    FROM merged
  )
  SELECT
    *,
    customer_id || '#' || seq AS order_key,
    CASE WHEN is_purchase THEN
      lag(ordered_at) OVER (PARTITION BY customer_id, is_purchase ORDER BY seq)
    END AS prev_purchase_at,
    min(CASE WHEN is_purchase THEN ordered_at END) OVER (PARTITION BY customer_id) AS first_purchase_at
  FROM ordered;

-- A text value trimmed of what the engine trims at load (space, tab, LF, CR; trim() alone takes
-- Unicode spaces and leaves tabs), and whether it is blank: empty or a null token (null in any case,
-- n/a in any case, \N, #N/A), which the engine reads as no value.
CREATE OR REPLACE MACRO crm_trim(v) AS trim(v, ' ' || chr(9) || chr(10) || chr(13));
CREATE OR REPLACE MACRO crm_blank(v) AS v IS NULL OR lower(crm_trim(v)) IN ('', 'null', 'n/a') OR crm_trim(v) IN ('\N', '#N/A');

-- Touches: channel trimmed and lower-cased, campaign trimmed, group as 'treatment' / 'holdout'
-- (control counts as holdout, any case; a blank group is treatment), local day of sending. A touch
-- the engine rejects for a value the SQL can see is left out: one without a customer or channel
-- ('missing'), or of any other group ('bad-group'), since counting a 'vip' or 'test' touch as
-- treatment would move every figure that reads touches. The exact spellings are tested first: the
-- trimming and null-token tests on every one of 2M touches tripled the pack's time at 1m.
CREATE OR REPLACE MACRO crm_touches(tz) AS TABLE
  SELECT * FROM (
    SELECT
      customer_id,
      lower(trim(channel)) AS channel,
      nullif(trim(campaign), '') AS campaign,
      sent_at,
      opened_at,
      clicked_at,
      CASE
        WHEN "group" IS NULL OR "group" = 'treatment' THEN 'treatment'
        WHEN "group" = 'holdout' THEN 'holdout'
        WHEN crm_blank("group") OR lower(crm_trim("group")) = 'treatment' THEN 'treatment'
        WHEN lower(crm_trim("group")) IN ('holdout', 'control') THEN 'holdout'
      END AS grp,
      coalesce(cost, 0) AS cost,
      CAST(timezone(tz, sent_at) AS DATE) AS day
    FROM touches
    WHERE customer_id IS NOT NULL AND channel IS NOT NULL
  ) WHERE grp IS NOT NULL;

-- Costs: channel lower-cased, campaign trimmed.
CREATE OR REPLACE MACRO crm_costs() AS TABLE
  SELECT date AS day, lower(trim(channel)) AS channel, nullif(trim(campaign), '') AS campaign, amount
  FROM costs;

-- The data's first and last local day over orders, touches and costs: the default query range.
CREATE OR REPLACE MACRO crm_bounds(tz) AS TABLE
  SELECT min(d) AS first_day, max(d) AS last_day, min(d) FILTER (WHERE o) AS first_order_day, max(d) FILTER (WHERE o) AS last_order_day FROM (
    SELECT day AS d, true AS o FROM crm_orders(tz)
    UNION ALL SELECT day, false FROM crm_touches(tz)
    UNION ALL SELECT day, false FROM crm_costs()
  );

-- A query's range: the given local days, an open end at the data's bound, which never crosses the
-- given other end (a range from after the data is that one day, not an inverted range); with the
-- order days, for the partial flags.
CREATE OR REPLACE MACRO crm_range(tz, from_text, to_text) AS TABLE
  SELECT coalesce(CAST(from_text AS DATE), least(first_day, CAST(to_text AS DATE))) AS from_day,
    coalesce(CAST(to_text AS DATE), greatest(last_day, CAST(from_text AS DATE))) AS to_day, first_order_day, last_order_day
  FROM crm_bounds(tz);

-- 1 for the days [s, e) when the orders or the range cover them only in part, else 0 (0 for all without
-- orders): covered are the days from the later of from_day and the first order day up to the earlier
-- of the day after to_day and the last order day, which is not over yet (as for retention's
-- incomplete cells). crm_partial asks it of a period, the KPIs of their ranges.
CREATE OR REPLACE MACRO crm_span_partial(s, e, from_day, to_day, first_order_day, last_order_day) AS
  CASE
    WHEN first_order_day IS NULL THEN 0
    WHEN s < greatest(from_day, first_order_day) OR e > least(to_day + 1, last_order_day) THEN 1
    ELSE 0
  END;

CREATE OR REPLACE MACRO crm_partial(idx, period, week_start, from_day, to_day, first_order_day, last_order_day) AS
  crm_span_partial(crm_period_start(idx, period, week_start), crm_period_start(idx + 1, period, week_start), from_day, to_day, first_order_day, last_order_day);

-- Customers passing a filter on one attribute (all customers when attr is NULL). Attributes are the
-- customers table's columns other than customer_id.
CREATE OR REPLACE MACRO crm_filtered_customers(attr, vals) AS TABLE
  SELECT customer_id FROM (UNPIVOT (SELECT * FROM customers) ON COLUMNS(* EXCLUDE customer_id) INTO NAME name VALUE value)
  WHERE attr IS NOT NULL AND name = attr AND list_contains(vals, value);

-- Credit of every purchase over its eligible touches (metrics.md section 3): the customer's treatment
-- touches whose event (sent, opened or clicked at) is at or before the purchase and within the
-- channel's window, ordered by event time, channel, then campaign (no campaign first). Columns:
-- order_key, channel, campaign, w (the weight; rows with weight 0 are the eligible touches a
-- first- or last-touch model passes over).
CREATE OR REPLACE MACRO crm_credits(tz, model, basis, default_window_ms, windows_json, half_life_ms) AS TABLE
  WITH touch_events AS (
    SELECT *,
      CASE basis WHEN 'send' THEN sent_at WHEN 'open' THEN opened_at ELSE clicked_at END AS event_at,
      coalesce(CAST(json_extract(windows_json, '$."' || channel || '"') AS DOUBLE), default_window_ms) AS window_ms
    FROM crm_touches(tz)
    WHERE grp = 'treatment'
  ),
  eligible AS (
    SELECT o.order_key, o.ordered_at, t.channel, t.campaign, t.event_at, t.window_ms,
      row_number() OVER (PARTITION BY o.order_key ORDER BY t.event_at, t.channel, t.campaign NULLS FIRST) AS i,
      count(*) OVER (PARTITION BY o.order_key) AS n
    FROM crm_orders(tz) o JOIN touch_events t ON t.customer_id = o.customer_id
    WHERE o.is_purchase AND t.event_at IS NOT NULL AND t.event_at <= o.ordered_at
      AND epoch_ms(t.event_at) >= epoch_ms(o.ordered_at) - t.window_ms
  ),
  decay AS (
    SELECT *,
      CASE
        WHEN coalesce(half_life_ms, window_ms / 4) > 0 THEN pow(2, -(epoch_ms(ordered_at) - epoch_ms(event_at)) / coalesce(half_life_ms, window_ms / 4))
        WHEN epoch_ms(ordered_at) = epoch_ms(event_at) THEN 1.0
        ELSE 0.0
      END AS raw
    FROM eligible
  )
  SELECT order_key, channel, campaign,
    CASE model
      WHEN 'last_touch' THEN CASE WHEN i = n THEN 1.0 ELSE 0.0 END
      WHEN 'first_touch' THEN CASE WHEN i = 1 THEN 1.0 ELSE 0.0 END
      WHEN 'linear' THEN 1.0 / n
      WHEN 'position_based' THEN CASE WHEN n = 1 THEN 1.0 WHEN n = 2 THEN 0.5 WHEN i = 1 OR i = n THEN 0.4 ELSE 0.2 / (n - 2) END
      ELSE CASE WHEN sum(raw) OVER (PARTITION BY order_key) > 0 THEN raw / sum(raw) OVER (PARTITION BY order_key) ELSE 1.0 / n END
    END AS w
  FROM decay;

-- The segment map (JSON: [{"name", "r": [lo, hi], "f": [lo, hi], "m": [lo, hi] or absent}, ...]) as
-- rows s (0-based rule index), name, r_lo, r_hi, f_lo, f_hi, m_lo, m_hi (NULL when M is free).
CREATE OR REPLACE MACRO crm_segment_map(segments_json) AS TABLE
  WITH parsed AS (
    SELECT from_json(segments_json, '[{"name":"VARCHAR","r":["INTEGER"],"f":["INTEGER"],"m":["INTEGER"]}]') AS rules
  )
  SELECT i - 1 AS s, rules[i].name AS name, rules[i].r[1] AS r_lo, rules[i].r[2] AS r_hi,
    rules[i].f[1] AS f_lo, rules[i].f[2] AS f_hi, rules[i].m[1] AS m_lo, rules[i].m[2] AS m_hi
  FROM parsed, range(1, len(rules) + 1) t(i);

-- An RFM as-of text as an instant: a day is the start of that day in the zone, anything else an
-- instant with an offset; NULL for none. RFM leaves out the orders after it (metrics.md section 6).
CREATE OR REPLACE MACRO crm_as_of(tz, as_of) AS CASE
  WHEN as_of IS NULL THEN NULL
  WHEN regexp_full_match(trim(as_of), '\d{4}-\d{2}-\d{2}') THEN timezone(tz, CAST(CAST(trim(as_of) AS DATE) AS TIMESTAMP))
  ELSE CAST(trim(as_of) AS TIMESTAMPTZ)
END;

-- R, F and M of every customer with a purchase in [from_day, to_day] (metrics.md section 6), with
-- scores and segment. Recency is whole local days from the last purchase to the as-of time: the start
-- of as_of (a day) or the instant as_of (ISO 8601 with offset), by default the start of the day after
-- the latest purchase considered. Ties in ntile scoring go by customer id; percentile scoring is
-- 1 + floor(B × customers with a worse value / N), at most B.
CREATE OR REPLACE MACRO crm_rfm(tz, from_day, to_day, filter_attribute, filter_values, bins, scoring,
    thresholds_json, monetary_mode, as_of, segments_json) AS TABLE
  WITH o AS (
    SELECT * FROM crm_orders(tz)
    WHERE day BETWEEN from_day AND to_day
      -- as of a past time, the orders after it had not happened yet
      AND ordered_at <= coalesce(crm_as_of(tz, as_of), ordered_at)
      AND (filter_attribute IS NULL OR customer_id IN (SELECT customer_id FROM crm_filtered_customers(filter_attribute, filter_values)))
  ),
  per_customer AS (
    SELECT customer_id,
      count(*) FILTER (WHERE is_purchase) AS frequency,
      sum(revenue) AS revenue,
      sum(revenue) FILTER (WHERE is_purchase) AS purchase_revenue,
      max(ordered_at) FILTER (WHERE is_purchase) AS last_purchase_at
    FROM o GROUP BY customer_id
    HAVING count(*) FILTER (WHERE is_purchase) > 0
  ),
  as_of_time AS (
    SELECT coalesce(crm_as_of(tz, as_of), (SELECT timezone(tz, CAST(CAST(timezone(tz, max(last_purchase_at)) AS DATE) + 1 AS TIMESTAMP)) FROM per_customer)) AS as_of_at
  ),
  measured AS (
    SELECT p.customer_id, p.frequency, p.revenue,
      -- sums to 4 decimals, so that the same amounts summed in another order tie
      CASE WHEN monetary_mode = 'aov' THEN round(p.purchase_revenue, 4) / p.frequency ELSE round(p.revenue, 4) + 0.0 END AS monetary,
      floor((epoch_ms(timezone(tz, a.as_of_at)) - epoch_ms(timezone(tz, p.last_purchase_at))) / 86400000) AS recency,
      a.as_of_at
    FROM per_customer p CROSS JOIN as_of_time a
  ),
  cuts AS (
    SELECT from_json(thresholds_json, '{"r":["DOUBLE"],"f":["DOUBLE"],"m":["DOUBLE"]}') AS t
  ),
  ranked AS (
    SELECT m.*,
      count(*) OVER () AS n,
      rank() OVER (ORDER BY recency DESC) - 1 AS r_worse,
      rank() OVER (ORDER BY frequency) - 1 AS f_worse,
      rank() OVER (ORDER BY monetary) - 1 AS m_worse,
      ntile(bins) OVER (ORDER BY recency DESC, customer_id) AS r_tile,
      ntile(bins) OVER (ORDER BY frequency, customer_id) AS f_tile,
      ntile(bins) OVER (ORDER BY monetary, customer_id) AS m_tile,
      bins - len(list_filter(c.t.r, x -> x < recency)) AS r_cut,
      1 + len(list_filter(c.t.f, x -> x <= frequency)) AS f_cut,
      1 + len(list_filter(c.t.m, x -> x <= monetary)) AS m_cut
    FROM measured m CROSS JOIN cuts c
  ),
  scored AS (
    SELECT customer_id, recency, frequency, monetary, revenue, as_of_at,
      CAST(CASE scoring WHEN 'ntile' THEN r_tile WHEN 'thresholds' THEN r_cut ELSE least(bins, 1 + floor(bins * r_worse / n)) END AS INTEGER) AS r,
      CAST(CASE scoring WHEN 'ntile' THEN f_tile WHEN 'thresholds' THEN f_cut ELSE least(bins, 1 + floor(bins * f_worse / n)) END AS INTEGER) AS f,
      CAST(CASE scoring WHEN 'ntile' THEN m_tile WHEN 'thresholds' THEN m_cut ELSE least(bins, 1 + floor(bins * m_worse / n)) END AS INTEGER) AS m
    FROM ranked
  )
  SELECT sc.*,
    (SELECT min(g.s) FROM crm_segment_map(segments_json) g
      WHERE sc.r BETWEEN g.r_lo AND g.r_hi AND sc.f BETWEEN g.f_lo AND g.f_hi
        AND (g.m_lo IS NULL OR sc.m BETWEEN g.m_lo AND g.m_hi)) AS segment
  FROM scored sc;
