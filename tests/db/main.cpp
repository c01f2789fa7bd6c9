// db tier: the schema, migrations and named queries against a real PostgreSQL.
#define BOOST_TEST_MODULE usynys_db
#include <boost/test/unit_test.hpp>
