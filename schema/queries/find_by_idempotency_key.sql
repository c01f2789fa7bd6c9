SELECT p.id, d.slug, p.request_sha256 = $2::bytea AS same_request,
       to_char(p.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       array_to_string(ARRAY(SELECT pa.article_id
                               FROM proposal_articles pa
                               JOIN articles a USING (document_id, article_id)
                              WHERE pa.proposal_id = p.id
                              ORDER BY a.position), ',')
  FROM proposals p
  JOIN documents d ON d.id = p.document_id
 WHERE p.idempotency_key = $1
