-- Unfiltered: per article, the bucket of the first counted proposal referencing it, from the
-- all-time aggregate (its first_at stays exact under moderation). $1 document id, $2 bucket:
-- 'day' or 'week'. The same rows the daily form would yield for each article's first bucket.
SELECT date_trunc($2, min(s.first_at) AT TIME ZONE 'UTC')::date::text, s.article_id
  FROM stats_article_totals_live s
 WHERE s.document_id = $1
 GROUP BY s.article_id
HAVING sum(s.proposals) > 0
