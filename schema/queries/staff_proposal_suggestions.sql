-- One proposal for its suggestions: $1 id. Its document id, language ('' when none), text,
-- proposed text ('' when none), and the stored suggestions (NULL until computed): model,
-- language matched, article ids and scores, best first.
SELECT p.document_id, coalesce(p.language, ''), p.text, coalesce(p.proposed_text, ''),
       s.model, s.language, s.articles, s.scores
  FROM proposals p
  LEFT JOIN proposal_suggestions s ON s.proposal_id = p.id
 WHERE p.id = $1
