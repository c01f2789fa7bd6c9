-- The proposals a disposition statistic counts, from the aggregates: $1 document id, $2 submitter
-- type (NULL: any), $3 article id (NULL: every proposal; else those referencing it). Rows:
-- dimension ('all', 'submitter_type', 'channel', 'article'), key ('' for all), proposals.
WITH cells AS (
  SELECT s.submitter_type, s.channel, sum(s.proposals) AS n
    FROM stats_proposal_daily_live s
   WHERE s.document_id = $1 AND $3::text IS NULL
     AND ($2::text IS NULL OR s.submitter_type = $2)
   GROUP BY s.submitter_type, s.channel
  UNION ALL
  SELECT s.submitter_type, s.channel, sum(s.proposals)
    FROM stats_article_daily_live s
   WHERE s.document_id = $1 AND s.article_id = $3::text
     AND ($2::text IS NULL OR s.submitter_type = $2)
   GROUP BY s.submitter_type, s.channel
)
SELECT 'all', '', coalesce(sum(n), 0)::bigint FROM cells
UNION ALL
SELECT 'submitter_type', submitter_type, sum(n)::bigint FROM cells GROUP BY submitter_type
UNION ALL
SELECT 'channel', channel, sum(n)::bigint FROM cells GROUP BY channel
UNION ALL
SELECT 'article', s.article_id, sum(s.proposals)::bigint
  FROM stats_article_totals_live s
 WHERE s.document_id = $1
   AND ($2::text IS NULL OR s.submitter_type = $2)
   AND ($3::text IS NULL OR s.article_id = $3)
 GROUP BY s.article_id
