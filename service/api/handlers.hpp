// Every handler of the route table (routes.cpp), by resource; each namespace is one file of
// api/. A handler runs after the router checked the route's role and rate limit; it reads its
// parameters (422 for bad ones), does its work and renders JSON. domain::Error propagates to
// the router.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "api/call.hpp"
#include "api/services.hpp"
#include "http/server.hpp"

namespace usynys::api {

using Answer = boost::asio::awaitable<http::Response>;

namespace proposals {  // proposals.cpp
Answer submit(Services& s, Call& call);
}  // namespace proposals

namespace statistics {  // statistics.cpp
Answer coverage(Services& s, Call& call);
Answer articles(Services& s, Call& call);
Answer article(Services& s, Call& call);
Answer sections(Services& s, Call& call);
Answer timeline(Services& s, Call& call);
}  // namespace statistics

namespace documents {  // documents.cpp
Answer list(Services& s, Call& call);
Answer get(Services& s, Call& call);
}  // namespace documents

namespace staff_proposals {  // staff_proposals.cpp
Answer list(Services& s, Call& call);
Answer get(Services& s, Call& call);
}  // namespace staff_proposals

namespace exports {  // exports.cpp
Answer csv(Services& s, Call& call);
Answer jsonl(Services& s, Call& call);
}  // namespace exports

namespace moderation {  // moderation.cpp
Answer moderate(Services& s, Call& call);
}  // namespace moderation

namespace audit {  // audit.cpp
Answer list(Services& s, Call& call);
}  // namespace audit

namespace operations {  // operations.cpp
Answer healthz(Services& s, Call& call);
Answer readyz(Services& s, Call& call);
Answer metrics(Services& s, Call& call);
Answer openapi(Services& s, Call& call);
}  // namespace operations

}  // namespace usynys::api
