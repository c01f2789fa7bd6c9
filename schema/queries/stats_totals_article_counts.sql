-- Unfiltered: per article and submitter type, from the all-time aggregate. $1 document id.
SELECT s.article_id, s.submitter_type, s.proposals,
       to_char(s.first_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       to_char(s.last_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  FROM stats_article_totals s
 WHERE s.document_id = $1 AND s.proposals > 0
