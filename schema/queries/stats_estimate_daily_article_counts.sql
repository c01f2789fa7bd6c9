-- Whole-day filters (or none): estimated articles of untagged proposals per article and
-- submitter type, from the estimate cells. Parameters as stats_daily_article_counts.
SELECT s.article_id, s.submitter_type, sum(s.proposals)::bigint,
       to_char(min(s.first_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       to_char(max(s.last_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  FROM stats_estimate_daily s
 WHERE s.document_id = $1
   AND ($2::text IS NULL OR s.submitter_type = $2)
   AND ($3::text IS NULL OR s.channel = $3)
   AND ($4::text IS NULL OR s.language = $4)
   AND ($5::timestamptz IS NULL OR s.day >= ($5::timestamptz AT TIME ZONE 'UTC')::date)
   AND ($6::timestamptz IS NULL OR s.day < ($6::timestamptz AT TIME ZONE 'UTC')::date)
 GROUP BY s.article_id, s.submitter_type
HAVING sum(s.proposals) > 0
