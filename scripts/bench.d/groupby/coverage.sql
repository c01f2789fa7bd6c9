-- Plain GROUP BY behind GET /api/v1/stats/coverage: referenced articles of counted proposals.
SELECT pa.article_id, count(*)
  FROM proposal_articles pa
  JOIN proposals p ON p.id = pa.proposal_id
 WHERE p.document_id = :doc_id AND p.status = 'visible'
 GROUP BY 1;
