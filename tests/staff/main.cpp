// Staff tier: bearer tokens and roles, proposals for staff, streamed exports, moderation and its
// audit log, personal data. The real usynys binary over real sockets and PostgreSQL; the suite
// staff_unit needs neither.
#define BOOST_TEST_MODULE usynys_staff
#include <boost/test/unit_test.hpp>

#include "staff_fixture.hpp"

namespace {

// Stops the shared server, if a case started it, after the last case.
struct StopServer {
  StopServer() = default;
  ~StopServer() { usynys::test::staff::stop_server(); }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(StopServer);
