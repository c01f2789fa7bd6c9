INSERT INTO proposal_articles (proposal_id, document_id, article_id, paragraph)
SELECT $1, $2, r.article_id, r.paragraph
  FROM unnest($3::text[], $4::text[]) AS r (article_id, paragraph)
