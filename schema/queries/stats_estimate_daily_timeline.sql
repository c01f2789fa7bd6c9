-- Whole-day filters (or none): per bucket and estimated article, the untagged proposals
-- estimated so. Parameters as stats_daily_timeline.
SELECT date_trunc($7, s.day)::date::text, s.article_id, sum(s.proposals)::bigint
  FROM stats_estimate_daily s
 WHERE s.document_id = $1
   AND ($2::text IS NULL OR s.submitter_type = $2)
   AND ($3::text IS NULL OR s.channel = $3)
   AND ($4::text IS NULL OR s.language = $4)
   AND ($5::timestamptz IS NULL OR s.day >= ($5::timestamptz AT TIME ZONE 'UTC')::date)
   AND ($6::timestamptz IS NULL OR s.day < ($6::timestamptz AT TIME ZONE 'UTC')::date)
 GROUP BY 1, 2
HAVING sum(s.proposals) > 0
