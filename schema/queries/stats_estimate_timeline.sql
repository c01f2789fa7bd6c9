-- Per bucket and estimated article, the visible untagged proposals estimated so, from the raw
-- rows. Parameters as stats_timeline.
SELECT date_trunc($8, (p.received_at AT TIME ZONE 'UTC')::date)::date::text, s.estimated, count(*)
  FROM proposal_suggestions s
  JOIN proposals p ON p.id = s.proposal_id
 WHERE s.document_id = $1
   AND s.estimated IS NOT NULL
   AND p.status = 'visible'
   AND ($2::text IS NULL OR p.submitter_type = $2)
   AND ($3::text IS NULL OR p.channel = $3)
   AND ($4::text IS NULL OR p.language = $4)
   AND ($5::text IS NULL OR p.submitter_region = $5)
   AND ($6::timestamptz IS NULL OR p.received_at >= $6)
   AND ($7::timestamptz IS NULL OR p.received_at < $7)
 GROUP BY 1, 2
