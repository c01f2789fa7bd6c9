-- One article's breakdowns from the raw tables, one grouping set per dimension. $1 document id,
-- filters $2..$7 as in stats_article_counts, $8 article id, $9 whether untagged proposals
-- estimated to reference it count too. Column 1 names the dimension.
SELECT CASE
         WHEN GROUPING(p.submitter_type) = 0 THEN 'submitter_type'
         WHEN GROUPING(p.channel) = 0 THEN 'channel'
         WHEN GROUPING(p.language) = 0 THEN 'language'
         WHEN GROUPING(p.submitter_region) = 0 THEN 'region'
         WHEN GROUPING(p.kind) = 0 THEN 'kind'
         WHEN GROUPING((p.received_at AT TIME ZONE 'UTC')::date) = 0 THEN 'day'
         ELSE 'all'
       END,
       coalesce(p.submitter_type, p.channel, p.language, p.submitter_region, p.kind,
                ((p.received_at AT TIME ZONE 'UTC')::date)::text),
       count(*),
       count(DISTINCT p.identifier_hash),
       to_char(min(p.received_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       to_char(max(p.received_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  FROM (SELECT pa.proposal_id FROM proposal_articles pa
         WHERE pa.document_id = $1 AND pa.article_id = $8
        UNION ALL
        SELECT s.proposal_id FROM proposal_suggestions s
         WHERE $9::boolean AND s.document_id = $1 AND s.estimated = $8) r
  JOIN proposals p ON p.id = r.proposal_id
 WHERE p.status = 'visible'
   AND ($2::text IS NULL OR p.submitter_type = $2)
   AND ($3::text IS NULL OR p.channel = $3)
   AND ($4::text IS NULL OR p.language = $4)
   AND ($5::text IS NULL OR p.submitter_region = $5)
   AND ($6::timestamptz IS NULL OR p.received_at >= $6)
   AND ($7::timestamptz IS NULL OR p.received_at < $7)
 GROUP BY GROUPING SETS ((p.submitter_type), (p.channel), (p.language), (p.submitter_region),
                         (p.kind), ((p.received_at AT TIME ZONE 'UTC')::date), ())
