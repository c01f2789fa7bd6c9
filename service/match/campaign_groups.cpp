#include "match/campaign_groups.hpp"

#include <algorithm>

namespace usynys::match {
namespace {

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Union-find over entities: a proposal in no campaign is its id, a campaign minus its id.
class Groups {
 public:
  std::int64_t find(std::int64_t x) {
    auto [it, added] = parent_.try_emplace(x, x);
    if (added || it->second == x) return x;
    const std::int64_t root = find(it->second);
    parent_[x] = root;
    return root;
  }
  void unite(std::int64_t a, std::int64_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }
  std::map<std::int64_t, std::vector<std::int64_t>> components() {
    std::map<std::int64_t, std::vector<std::int64_t>> out;
    std::vector<std::int64_t> all;
    for (const auto& [x, p] : parent_) all.push_back(x);
    for (std::int64_t x : all) out[find(x)].push_back(x);
    return out;
  }

 private:
  std::map<std::int64_t, std::int64_t> parent_;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

StoredMinHash stored_minhash(const TextSignature& sig) {
  StoredMinHash m{};
  for (std::size_t i = 0; i < kMinHashes; ++i) {
    m[i] = static_cast<std::uint16_t>(sig.minhash[i] & 0xffffU);
  }
  return m;
}

std::string minhash_hex(const StoredMinHash& m) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(m.size() * 4);
  for (std::uint16_t v : m) {
    for (int shift = 12; shift >= 0; shift -= 4) out += kDigits[(v >> shift) & 0xf];
  }
  return out;
}

std::optional<StoredMinHash> minhash_from_hex(const std::string& hex) {
  if (hex.size() != kMinHashes * 4) return std::nullopt;
  StoredMinHash m{};
  for (std::size_t i = 0; i < kMinHashes; ++i) {
    unsigned v = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const int d = hex_digit(hex[i * 4 + j]);
      if (d < 0) return std::nullopt;
      v = v * 16 + static_cast<unsigned>(d);
    }
    m[i] = static_cast<std::uint16_t>(v);
  }
  return m;
}

double estimated_jaccard(const StoredMinHash& a, const StoredMinHash& b) {
  std::size_t equal = 0;
  for (std::size_t i = 0; i < kMinHashes; ++i) equal += a[i] == b[i] ? 1 : 0;
  return static_cast<double>(equal) / static_cast<double>(kMinHashes);
}

std::int64_t document_band_key(int document, std::uint64_t band) {
  return static_cast<std::int64_t>(mix(band ^ mix(static_cast<std::uint64_t>(document) + 1)));
}

CampaignDecisions decide_campaigns(const std::vector<NewText>& texts,
                                   const CampaignCandidates& candidates, double similarity,
                                   std::size_t max_candidates) {
  CampaignDecisions out;
  Groups groups;
  std::map<std::int64_t, std::int64_t> batch_bands;
  std::map<std::pair<int, std::uint64_t>, std::int64_t> batch_exact;
  std::map<std::int64_t, StoredMinHash> batch_minhash;
  std::map<std::int64_t, std::int64_t> campaign_members;  // -campaign -> members
  const auto entity = [&](std::int64_t proposal) {
    auto it = candidates.known.find(proposal);
    if (it == candidates.known.end() || !it->second.campaign) return proposal;
    campaign_members[-*it->second.campaign] = it->second.campaign_members;
    return -*it->second.campaign;
  };
  for (const NewText& t : texts) {
    groups.find(t.id);
    if (!t.signature.comparable()) continue;
    const StoredMinHash mine = stored_minhash(t.signature);
    const std::pair<int, std::uint64_t> exact{t.document, t.signature.exact};
    std::optional<std::int64_t> same;
    if (auto it = candidates.exact_holders.find(exact); it != candidates.exact_holders.end()) {
      same = it->second;
    } else if (auto b = batch_exact.find(exact); b != batch_exact.end()) {
      same = b->second;
    } else {
      batch_exact.emplace(exact, t.id);
    }
    if (same) groups.unite(t.id, entity(*same));
    std::map<std::int64_t, int> hits;
    for (std::uint64_t band : t.signature.bands) {
      const std::int64_t key = document_band_key(t.document, band);
      if (auto it = candidates.band_holders.find(key); it != candidates.band_holders.end()) {
        ++hits[it->second];
      } else if (auto b = batch_bands.find(key); b != batch_bands.end()) {
        if (b->second != t.id) ++hits[b->second];
      } else {
        batch_bands.emplace(key, t.id);
        out.new_bands.emplace_back(key, t.id);
      }
    }
    std::vector<std::pair<int, std::int64_t>> ranked;
    for (const auto& [id, n] : hits) {
      if (!same || id != *same) ranked.emplace_back(-n, id);
    }
    std::sort(ranked.begin(), ranked.end());
    if (ranked.size() > max_candidates) ranked.resize(max_candidates);
    for (const auto& [n, id] : ranked) {
      const StoredMinHash* theirs = nullptr;
      if (auto k = candidates.known.find(id); k != candidates.known.end()) {
        theirs = &k->second.minhash;
      } else if (auto b = batch_minhash.find(id); b != batch_minhash.end()) {
        theirs = &b->second;
      }
      if (theirs == nullptr) continue;
      ++out.verified;
      if (estimated_jaccard(mine, *theirs) >= similarity) groups.unite(t.id, entity(id));
    }
    batch_minhash.emplace(t.id, mine);
  }
  for (auto& [root, members] : groups.components()) {
    if (members.size() < 2) continue;
    CampaignGroup g;
    std::int64_t largest = -1;
    for (std::int64_t e : members) {
      if (e > 0) {
        g.join.push_back(e);
        continue;
      }
      const std::int64_t n = campaign_members[e];
      if (!g.kept || n > largest || (n == largest && -e < *g.kept)) {
        if (g.kept) g.merge.push_back(*g.kept);
        g.kept = -e;
        largest = n;
      } else {
        g.merge.push_back(-e);
      }
    }
    std::sort(g.join.begin(), g.join.end());
    std::sort(g.merge.begin(), g.merge.end());
    if (!g.join.empty()) g.representative = g.join.front();
    out.groups.push_back(std::move(g));
  }
  return out;
}

}  // namespace usynys::match
