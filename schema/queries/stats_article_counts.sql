-- Per article and submitter type: counted proposals, first and last time. Parameters:
-- document id, then the optional filters submitter_type, channel, language, region, from, to.
SELECT pa.article_id, p.submitter_type, count(*),
       to_char(min(p.received_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       to_char(max(p.received_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  FROM proposal_articles pa
  JOIN proposals p ON p.id = pa.proposal_id
 WHERE pa.document_id = $1
   AND p.status = 'visible'
   AND ($2::text IS NULL OR p.submitter_type = $2)
   AND ($3::text IS NULL OR p.channel = $3)
   AND ($4::text IS NULL OR p.language = $4)
   AND ($5::text IS NULL OR p.submitter_region = $5)
   AND ($6::timestamptz IS NULL OR p.received_at >= $6)
   AND ($7::timestamptz IS NULL OR p.received_at < $7)
 GROUP BY pa.article_id, p.submitter_type
