// Every handler of the route table (routes.cpp), by resource. A handler runs after the router
// checked the route's role and rate limit; it reads its parameters (422 for bad ones), does its
// work and renders JSON. domain::Error propagates to the router.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "api/call.hpp"
#include "api/services.hpp"
#include "http/server.hpp"

namespace usynys::api {

using Answer = boost::asio::awaitable<http::Response>;
using HandlerFn = Answer(Services& s, Call& call);

// One line per resource: its namespace (defined in api/<namespace>.cpp) and its handlers.
// clang-format off
namespace proposals { HandlerFn submit; }
namespace statistics { HandlerFn coverage, articles, article, sections, timeline; }
namespace documents { HandlerFn list, get; }
namespace article_maps { HandlerFn get, confirm; }
namespace staff_proposals { HandlerFn list, get; }
namespace exports { HandlerFn csv, jsonl; }
namespace imports { HandlerFn run; }
namespace moderation { HandlerFn moderate, moderate_campaign; }
namespace campaigns { HandlerFn stats, get; }
namespace tagging { HandlerFn suggestions, set_articles, queue; }
namespace audit { HandlerFn list; }
namespace receipts { HandlerFn get; }
namespace dispositions { HandlerFn decide_proposal, decide_campaign, stats; }
namespace session { HandlerFn get; }
namespace console { HandlerFn index, redirect, file; }
namespace operations { HandlerFn healthz, readyz, metrics, openapi; }
// clang-format on

}  // namespace usynys::api
