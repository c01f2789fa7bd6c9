#include "api/json_body.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>
#include <vector>

namespace usynys::api {

using nlohmann::json;

namespace {

// The keys of one open object: a short list searched in turn (most objects have a few keys),
// a tree past that, so that an object of many keys costs no more than n log n to check.
class KeySet {
 public:
  // False when `key` was there already.
  bool insert(std::string key) {
    if (!many_.empty()) return many_.insert(std::move(key)).second;
    if (std::find(few_.begin(), few_.end(), key) != few_.end()) return false;
    few_.push_back(std::move(key));
    if (few_.size() > kFew) {
      many_.insert(std::make_move_iterator(few_.begin()), std::make_move_iterator(few_.end()));
      few_.clear();
    }
    return true;
  }

 private:
  static constexpr std::size_t kFew = 16;
  std::vector<std::string> few_;
  std::set<std::string> many_;
};

}  // namespace

ParsedJson parse_strict_json(std::string_view body, int max_depth) {
  ParsedJson out;
  std::vector<KeySet> keys;  // one per open object
  std::string problem;
  json::parser_callback_t check = [&](int depth, json::parse_event_t event, json& parsed) {
    if (!problem.empty()) return true;
    switch (event) {
      case json::parse_event_t::object_start:
        keys.emplace_back();
        [[fallthrough]];
      case json::parse_event_t::array_start:
        if (depth >= max_depth) {
          problem = "JSON nesting is deeper than " + std::to_string(max_depth) + " levels";
        }
        break;
      case json::parse_event_t::object_end:
        if (!keys.empty()) keys.pop_back();
        break;
      case json::parse_event_t::key:
        if (!keys.empty() && !keys.back().insert(parsed.get<std::string>())) {
          problem = "duplicate key \"" + parsed.get<std::string>() + "\" in a JSON object";
        }
        break;
      case json::parse_event_t::value:
        if (parsed.is_number_float() && !std::isfinite(parsed.get<double>())) {
          problem = "a number is out of range";
        }
        break;
      default:
        break;
    }
    return true;
  };
  try {
    out.value = json::parse(body.begin(), body.end(), check, /*allow_exceptions=*/true,
                            /*ignore_comments=*/false);
  } catch (const json::parse_error& e) {
    // The position and the reason, never the echo of the submitted text ("last read: ...").
    const std::string what = e.what();
    std::string where = "byte " + std::to_string(e.byte);
    if (auto at = what.find("at line "); at != std::string::npos) {
      where = what.substr(at + 3, what.find(':', at) - at - 3);
    }
    std::string reason = what;
    if (auto at = reason.find("while parsing "); at != std::string::npos)
      reason = reason.substr(at);
    if (auto cut = reason.find("; last read"); cut != std::string::npos) reason.resize(cut);
    if (auto colon = reason.find(": '"); colon != std::string::npos) reason.resize(colon);
    out.error = "malformed JSON at " + where + ": " + reason;
    return out;
  } catch (const json::exception& e) {
    out.error = std::string("unacceptable JSON: ") + e.what();
    return out;
  }
  if (!problem.empty()) {
    out.error = problem;
    return out;
  }
  out.ok = true;
  return out;
}

std::string pointer_token(std::string_view key) {
  std::string s;
  for (char c : key) {
    if (c == '~') {
      s += "~0";
    } else if (c == '/') {
      s += "~1";
    } else {
      s += c;
    }
  }
  return s;
}

}  // namespace usynys::api
