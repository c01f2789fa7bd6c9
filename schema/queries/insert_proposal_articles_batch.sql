-- The article references of many proposals, as parallel arrays.
INSERT INTO proposal_articles (proposal_id, document_id, article_id, paragraph)
SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::text[])
