// Building the index: preparing every listed name on all cores, the vocabulary with its
// weights and sound keys, and the compressed posting lists.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "screening/index.h"
#include "screening/index_keys.h"
#include "screening/similarity.h"

namespace candor::screening {
namespace {

struct PreparedEntry {
  std::uint32_t entity;
  std::uint32_t name;
  bool weak;
  PreparedName prepared;
};

}  // namespace

Index::Index(std::vector<SanctionsList> lists, const NamePreparer& preparer)
    : lists_(std::move(lists)), preparer_(&preparer) {
  static std::atomic<std::uint64_t> next_id{1};
  id_ = next_id.fetch_add(1);
  std::vector<PreparedEntry> entries;
  for (std::size_t l = 0; l < lists_.size(); ++l) {
    for (std::size_t e = 0; e < lists_[l].entities.size(); ++e) {
      const auto entity_ref = static_cast<std::uint32_t>(entity_refs_.size());
      entity_refs_.emplace_back(static_cast<std::uint32_t>(l), static_cast<std::uint32_t>(e));
      const auto& names = lists_[l].entities[e].names;
      for (std::size_t n = 0; n < names.size(); ++n) {
        entries.push_back({entity_ref,
                           static_cast<std::uint32_t>(n),
                           names[n].strength == NameStrength::weak,
                           {}});
      }
    }
  }
  // Preparing (ICU transliteration) dominates building; it runs on every core, a chunk at a
  // time so that prepared names never all sit in memory at once.
  const std::size_t workers =
      std::max<std::size_t>(1, std::min<std::size_t>(std::thread::hardware_concurrency(), 16));
  const auto prepare_range = [&](std::size_t begin, std::size_t end) {
    for (std::size_t k = begin; k < end; ++k) {
      const auto [l, e] = entity_refs_[entries[k].entity];
      const Entity& entity = lists_[l].entities[e];
      entries[k].prepared = preparer.prepare(entity.names[entries[k].name].text, entity.type);
    }
  };
  names_.reserve(entries.size());
  constexpr std::size_t kChunk = 1 << 16;
  for (std::size_t chunk_begin = 0; chunk_begin < entries.size(); chunk_begin += kChunk) {
    const std::size_t chunk_end = std::min(entries.size(), chunk_begin + kChunk);
    if (workers == 1 || chunk_end - chunk_begin < 2048) {
      prepare_range(chunk_begin, chunk_end);
    } else {
      std::vector<std::thread> threads;
      const std::size_t per = (chunk_end - chunk_begin + workers - 1) / workers;
      for (std::size_t w = 0; w < workers; ++w) {
        const std::size_t begin = chunk_begin + w * per;
        const std::size_t end = std::min(chunk_end, begin + per);
        if (begin < end) threads.emplace_back(prepare_range, begin, end);
      }
      for (auto& t : threads) t.join();
    }
    for (std::size_t k = chunk_begin; k < chunk_end; ++k) {
      auto& entry = entries[k];
      // Each reading of a name (Han characters read in Korean or Japanese) is indexed as a
      // name of its own.
      const auto add = [&](std::vector<NameToken>& tokens) {
        NameEntry name;
        name.entity = entry.entity;
        name.name = entry.name;
        name.weak = entry.weak;
        name.vowelless = entry.prepared.vowelless;
        name.first_token = static_cast<std::uint32_t>(name_tokens_.size());
        const std::size_t count = std::min<std::size_t>(tokens.size(), 64);
        name.token_count = static_cast<std::uint16_t>(count);
        for (std::size_t t = 0; t < count; ++t)
          name_tokens_.push_back(intern(std::move(tokens[t]), name.vowelless));
        if (count > 0) names_.push_back(name);
      };
      add(entry.prepared.tokens);
      for (auto& alternative : entry.prepared.alternatives) add(alternative);
      entry.prepared = {};
    }
  }
  std::vector<PreparedEntry>().swap(entries);
  names_.shrink_to_fit();
  name_tokens_.shrink_to_fit();
  build_postings();
}

std::uint32_t Index::intern(NameToken token, bool vowelless) {
  const std::string key = vocab_key(token);
  const auto found = vocab_ids_.find(key);
  if (found != vocab_ids_.end()) {
    vocab_[found->second].vowelless = vocab_[found->second].vowelless || vowelless;
    return found->second;
  }
  const auto id = static_cast<std::uint32_t>(vocab_.size());
  vocab_ids_.emplace(key, id);
  SpellingKeys keys;
  if (token.kind == TokenKind::word && !token.han) keys = spelling_keys(token.text);
  const bool patronymic = is_patronymic(token);
  const bool connector = token.kind == TokenKind::word && is_nasab_connector(token.text);
  vocab_.push_back({std::move(token), std::move(keys), 0, patronymic, connector, vowelless, 1.0});
  return id;
}

void Index::build_postings() {
  std::vector<std::vector<std::uint32_t>> lists(vocab_.size());
  for (std::size_t n = 0; n < names_.size(); ++n) {
    const auto& name = names_[n];
    for (std::size_t t = 0; t < name.token_count; ++t) {
      add_unique(lists[name_tokens_[name.first_token + t]], static_cast<std::uint32_t>(n));
    }
  }
  const double total = static_cast<double>(std::max<std::size_t>(names_.size(), 1));
  max_weight_ = std::log(1.0 + total);
  posting_offsets_.assign(vocab_.size() + 1, 0);
  for (std::size_t v = 0; v < vocab_.size(); ++v) {
    auto& list = lists[v];
    // A token twice in one name was added twice only if not adjacent in order; dedupe.
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    auto& entry = vocab_[v];
    entry.frequency = static_cast<std::uint32_t>(list.size());
    entry.weight = std::log(1.0 + total / std::max<double>(1.0, entry.frequency)) *
                   default_token_weight(entry.token);
    posting_offsets_[v] = postings_.size();
    std::uint32_t previous = 0;
    for (const auto n : list) {
      append_varint(postings_, n - previous);
      previous = n;
    }
    std::vector<std::uint32_t>().swap(list);

    const NameToken& token = entry.token;
    if (token.kind != TokenKind::word) continue;
    const auto id = static_cast<std::uint32_t>(v);
    if (token.text.size() >= 3 && !token.han) {
      for (const auto g : grams(token.text)) grams_[gram_key(token.text.front(), g)].push_back(id);
    }
    std::vector<std::string> spellings;
    if (!token.han) spellings.push_back(token.text);
    spellings.insert(spellings.end(), token.variants.begin(), token.variants.end());
    for (const auto& spelling : spellings) {
      if (token.han) break;  // Readings are found through variant_ids_.
      if (auto key = phonetic_key(spelling); key.size() >= 2) add_unique(sound_keys_[key], id);
      for (const bool weak_w : {true, false}) {
        // One-consonant skeletons only for short words ("ly", "ali"), as scoring allows.
        if (auto key = skeleton_key(spelling, weak_w);
            key.size() >= 2 || (!key.empty() && spelling.size() <= 3)) {
          add_unique(skeletons_[key], id);
        }
      }
    }
    for (const auto& variant : token.variants) add_unique(variant_ids_[variant], id);
    if (!token.han && token.text.size() >= 4) add_unique(tails_[token.text.substr(1)], id);
    if (!token.han && token.text.size() >= kMinDeletionWord &&
        token.text.size() <= kMaxDeletionWord) {
      add_unique(deletions_[spelling_hash(token.text)], id);
      for_each_deletion(token.text, [&](const std::string& shorter) {
        add_unique(deletions_[spelling_hash(shorter)], id);
      });
    }
  }
  posting_offsets_[vocab_.size()] = postings_.size();
  for (std::uint32_t v = 0; v < vocab_.size(); ++v) {
    if (vocab_[v].token.kind == TokenKind::word && !vocab_[v].token.han && !vocab_[v].token.made) {
      words_by_spelling_.push_back(v);
    }
  }
  std::sort(words_by_spelling_.begin(), words_by_spelling_.end(),
            [&](std::uint32_t a, std::uint32_t b) {
              return vocab_[a].token.text < vocab_[b].token.text;
            });
  postings_.shrink_to_fit();
}

std::size_t Index::index_bytes() const {
  std::size_t bytes = postings_.capacity() + posting_offsets_.capacity() * 8 +
                      names_.capacity() * sizeof(NameEntry) + name_tokens_.capacity() * 4 +
                      vocab_.capacity() * sizeof(VocabEntry);
  for (const auto& v : vocab_) bytes += v.token.text.capacity() + v.token.source.capacity();
  for (const auto& [_, ids] : grams_) bytes += 48 + ids.capacity() * 4;
  for (const auto& [key, ids] : sound_keys_) bytes += 64 + key.capacity() + ids.capacity() * 4;
  for (const auto& [key, ids] : skeletons_) bytes += 64 + key.capacity() + ids.capacity() * 4;
  for (const auto& [_, ids] : deletions_) bytes += 48 + ids.capacity() * 4;
  bytes += vocab_ids_.size() * 64 + words_by_spelling_.capacity() * 4;
  return bytes;
}

}  // namespace candor::screening
