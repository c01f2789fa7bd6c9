-- Unfiltered: per article and submitter type, from the all-time aggregate. $1 document id.
SELECT s.article_id, s.submitter_type, sum(s.proposals)::bigint,
       to_char(min(s.first_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       to_char(max(s.last_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  FROM stats_article_totals_live s
 WHERE s.document_id = $1
 GROUP BY s.article_id, s.submitter_type
HAVING sum(s.proposals) > 0
