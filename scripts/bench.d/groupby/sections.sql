-- Plain GROUP BY behind GET /api/v1/stats/sections: proposals per section, each once.
SELECT a.section_number, count(DISTINCT p.id)
  FROM proposal_articles pa
  JOIN proposals p ON p.id = pa.proposal_id
  JOIN articles a ON a.document_id = pa.document_id AND a.article_id = pa.article_id
 WHERE p.document_id = :doc_id AND p.status = 'visible'
 GROUP BY 1;
