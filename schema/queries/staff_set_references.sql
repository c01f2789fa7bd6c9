-- Replaces the references of proposal $1 by staff ones: $2 article ids, $3 paragraphs ('' for
-- none), parallel arrays. Returns the old references as JSON.
SELECT proposal_set_references($1::bigint, $2::text[], $3::text[])::text
