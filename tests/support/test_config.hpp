// A server configuration for tests: the repository's config/usynys.json with the documents
// directory made absolute, port 0 and the identifier key file inside a scratch directory.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

namespace usynys::test {

// Writes dir/usynys.json and returns its path. `patch` is applied last (JSON merge patch,
// RFC 7396), e.g. {"limits": {"drain_timeout_ms": 2000}}.
std::filesystem::path write_test_config(const std::filesystem::path& dir,
                                        const nlohmann::json& patch = nlohmann::json::object());

}  // namespace usynys::test
