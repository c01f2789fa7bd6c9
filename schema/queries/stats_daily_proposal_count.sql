-- Whole-day filters: counted proposals and the untagged among them (parameters as
-- stats_daily_article_counts).
SELECT coalesce(sum(s.proposals), 0)::bigint, coalesce(sum(s.untagged), 0)::bigint
  FROM stats_proposal_daily_live s
 WHERE s.document_id = $1
   AND ($2::text IS NULL OR s.submitter_type = $2)
   AND ($3::text IS NULL OR s.channel = $3)
   AND ($4::text IS NULL OR s.language = $4)
   AND ($5::timestamptz IS NULL OR s.day >= ($5::timestamptz AT TIME ZONE 'UTC')::date)
   AND ($6::timestamptz IS NULL OR s.day < ($6::timestamptz AT TIME ZONE 'UTC')::date)
