-- Records the service's suggestion model $1 and estimate threshold $2; true when they changed
-- (every proposal is then marked for new suggestions).
SELECT tagging_configure($1::text, $2::real)
