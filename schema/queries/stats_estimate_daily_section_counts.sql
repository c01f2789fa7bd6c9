-- Whole-day filters (or none): estimated untagged proposals per section of their estimated
-- article (each proposal has one). Parameters as stats_daily_section_counts.
SELECT a.section_number, sum(s.proposals)::bigint
  FROM stats_estimate_daily s
  JOIN articles a ON a.document_id = s.document_id AND a.article_id = s.article_id
 WHERE s.document_id = $1
   AND ($2::text IS NULL OR s.submitter_type = $2)
   AND ($3::text IS NULL OR s.channel = $3)
   AND ($4::text IS NULL OR s.language = $4)
   AND ($5::timestamptz IS NULL OR s.day >= ($5::timestamptz AT TIME ZONE 'UTC')::date)
   AND ($6::timestamptz IS NULL OR s.day < ($6::timestamptz AT TIME ZONE 'UTC')::date)
 GROUP BY a.section_number
HAVING sum(s.proposals) > 0
