-- Counted proposals (and untagged ones) per bucket, from the raw tables. $8 bucket: 'day' or
-- 'week'.
SELECT date_trunc($8, (p.received_at AT TIME ZONE 'UTC')::date)::date::text, count(*),
       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM proposal_articles pa
                                           WHERE pa.proposal_id = p.id))
  FROM proposals p
 WHERE p.document_id = $1
   AND p.status = 'visible'
   AND ($2::text IS NULL OR p.submitter_type = $2)
   AND ($3::text IS NULL OR p.channel = $3)
   AND ($4::text IS NULL OR p.language = $4)
   AND ($5::text IS NULL OR p.submitter_region = $5)
   AND ($6::timestamptz IS NULL OR p.received_at >= $6)
   AND ($7::timestamptz IS NULL OR p.received_at < $7)
 GROUP BY 1
