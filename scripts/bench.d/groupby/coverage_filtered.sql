-- Plain GROUP BY behind GET /api/v1/stats/coverage?submitter_type=organization&from=..&to=..
SELECT pa.article_id, count(*)
  FROM proposal_articles pa
  JOIN proposals p ON p.id = pa.proposal_id
 WHERE p.document_id = :doc_id AND p.status = 'visible'
   AND p.submitter_type = 'organization'
   AND p.received_at >= (:'from'::date)::timestamp AT TIME ZONE 'UTC'
   AND p.received_at < (:'to'::date)::timestamp AT TIME ZONE 'UTC'
 GROUP BY 1;
