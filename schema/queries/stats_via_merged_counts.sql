-- Through an article map, for articles of the newer document with several predecessors: per
-- article and submitter type, the counted proposals of the older document that reference one
-- of them, each once, with their first and last time. $1 older document id, $2 the pairs as
-- JSON [{"article","predecessor"}], then the filters as in stats_article_counts ($3
-- submitter_type, $4 channel, $5 language, $6 region, $7 from, $8 to).
WITH map AS (
  SELECT r.article, r.predecessor
    FROM jsonb_to_recordset($2::jsonb) AS r (article text, predecessor text)
)
SELECT m.article, p.submitter_type, count(DISTINCT p.id),
       to_char(min(p.received_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       to_char(max(p.received_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  FROM map m
  JOIN proposal_articles pa ON pa.document_id = $1 AND pa.article_id = m.predecessor
  JOIN proposals p ON p.id = pa.proposal_id
 WHERE p.status = 'visible'
   AND ($3::text IS NULL OR p.submitter_type = $3)
   AND ($4::text IS NULL OR p.channel = $4)
   AND ($5::text IS NULL OR p.language = $5)
   AND ($6::text IS NULL OR p.submitter_region = $6)
   AND ($7::timestamptz IS NULL OR p.received_at >= $7)
   AND ($8::timestamptz IS NULL OR p.received_at < $8)
 GROUP BY m.article, p.submitter_type
