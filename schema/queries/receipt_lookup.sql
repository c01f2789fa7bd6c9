-- What the holder of a receipt may see: $1 the SHA-256 of the receipt's bytes (bytea). The
-- proposal's id, document, time, status and confirmed articles in document order, then the
-- decision standing for it (all NULL when undecided): decision, reason, the slug of the document
-- whose articles answer it and those articles, when it was decided and whether it is the
-- proposal's own or its campaign's. Never its text or anything personal.
SELECT p.id, d.slug,
       to_char(p.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p.status,
       ARRAY(SELECT pa.article_id
               FROM proposal_articles pa
               JOIN articles a ON a.document_id = pa.document_id AND a.article_id = pa.article_id
              WHERE pa.proposal_id = p.id
              GROUP BY pa.article_id, a.position
              ORDER BY a.position),
       pd.decision, pd.reason, ad.slug, pd.answered_articles,
       to_char(pd.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), pd.applies_to
  FROM proposals p
  JOIN documents d ON d.id = p.document_id
  LEFT JOIN proposal_decisions pd ON pd.proposal_id = p.id
  LEFT JOIN documents ad ON ad.id = pd.answered_document_id
 WHERE p.receipt_hash = $1::bytea
