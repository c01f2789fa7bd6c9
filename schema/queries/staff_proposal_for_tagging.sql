-- Locks one proposal for a change of its references: $1 id. Its document id.
SELECT document_id FROM proposals WHERE id = $1 FOR UPDATE
