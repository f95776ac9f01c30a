-- One page of the customers of an RFM cell or segment, and optionally the whole list as CSV
-- (metrics.md section 6). Returns one JSON document shaped like the engine's `rfm-customers` result.
-- Parameters: those of rfm.sql, and
--   $cell_r, $cell_f   a grid cell (both NULL for no cell condition)
--   $segment           a segment name, or NULL
--   $sort_by           customer | recency | frequency | monetary | r | f | m
--   $descending        1 or 0 (ties always by customer id ascending, so pages are stable)
--   $page_offset, $page_limit (NULL for all rows)
--   $csv               1 to include the CSV text of every matching row, else 0
-- Monetary sums are kept to 4 decimals (crm_rfm). CSV cells that a spreadsheet would run as a
-- formula (starting with = + - @, tab or CR, other than a plain number) get a leading apostrophe.
WITH
bounds AS (
  SELECT * FROM crm_range($tz, $from, $to)
),
segs AS (SELECT * FROM crm_segment_map($segments_json)),
rows AS (
  SELECT r.*, coalesce(g.name, '') AS segment_name FROM bounds b, crm_rfm($tz, b.from_day, b.to_day, $filter_attribute, $filter_values, $bins, $scoring,
    $thresholds_json, $monetary, $as_of, $segments_json) r
  LEFT JOIN segs g ON g.s = r.segment
  WHERE ($cell_r IS NULL OR (r.r = $cell_r AND r.f = $cell_f))
    AND ($segment IS NULL OR g.name = $segment)
),
sorted AS (
  SELECT *, row_number() OVER (ORDER BY
    CASE WHEN $descending = 0 THEN CASE $sort_by WHEN 'recency' THEN recency WHEN 'frequency' THEN frequency
      WHEN 'monetary' THEN monetary WHEN 'r' THEN r WHEN 'f' THEN f WHEN 'm' THEN m END END ASC,
    CASE WHEN $descending = 1 THEN CASE $sort_by WHEN 'recency' THEN recency WHEN 'frequency' THEN frequency
      WHEN 'monetary' THEN monetary WHEN 'r' THEN r WHEN 'f' THEN f WHEN 'm' THEN m END END DESC,
    CASE WHEN $sort_by = 'customer' AND $descending = 1 THEN customer_id END DESC,
    customer_id ASC) - 1 AS position
  FROM rows
),
page AS (
  SELECT * FROM sorted
  WHERE position >= greatest($page_offset, 0) AND ($page_limit IS NULL OR position < greatest($page_offset, 0) + greatest($page_limit, 0))
),
csv_cells AS (
  SELECT position, list_transform(
    [customer_id,
     CAST(CAST(recency AS BIGINT) AS VARCHAR),
     CAST(frequency AS VARCHAR),
     CASE WHEN monetary = trunc(monetary) AND abs(monetary) < 1e15 THEN CAST(CAST(monetary AS BIGINT) AS VARCHAR) ELSE CAST(monetary AS VARCHAR) END,
     CAST(r AS VARCHAR), CAST(f AS VARCHAR), CAST(m AS VARCHAR), segment_name],
    v -> CASE WHEN regexp_matches(v, '^[=+\-@\t\r]') AND NOT regexp_full_match(v, '[-+]?\d+(\.\d+)?') THEN '''' || v ELSE v END
  ) AS cells
  FROM sorted
),
csv_lines AS (
  SELECT position, array_to_string(list_transform(cells,
    v -> CASE WHEN regexp_matches(v, '[",\n\r]') THEN '"' || replace(v, '"', '""') || '"' ELSE v END), ',') AS line
  FROM csv_cells
)
SELECT json_object(
  'kind', 'rfm-customers',
  'total', (SELECT count(*) FROM rows),
  'offset', greatest($page_offset, 0),
  'ids', (SELECT coalesce(list(customer_id ORDER BY position), []) FROM page),
  'recency', (SELECT coalesce(list(recency ORDER BY position), []) FROM page),
  'frequency', (SELECT coalesce(list(frequency ORDER BY position), []) FROM page),
  'monetary', (SELECT coalesce(list(monetary ORDER BY position), []) FROM page),
  'r', (SELECT coalesce(list(r ORDER BY position), []) FROM page),
  'f', (SELECT coalesce(list(f ORDER BY position), []) FROM page),
  'm', (SELECT coalesce(list(m ORDER BY position), []) FROM page),
  'segment', (SELECT coalesce(list(segment_name ORDER BY position), []) FROM page),
  'csv', CASE WHEN $csv = 1 THEN 'customer_id,recency_days,frequency,monetary,r,f,m,segment' || chr(10)
    || coalesce((SELECT string_agg(line || chr(10), '' ORDER BY position) FROM csv_lines), '') END
) AS result;
