-- $1 fresh proposal ids, in order.
SELECT nextval('proposals_id_seq') FROM generate_series(1, $1::integer)
