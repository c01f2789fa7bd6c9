-- Computes the search vectors of up to $1 pending proposals; returns how many.
SELECT search_fold($1::integer)
