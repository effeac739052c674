#include "register/verify.h"

#include <nlohmann/json.hpp>

#include "core/canonical_json.h"
#include "register/fields.h"
#include "register/merkle.h"

namespace candor::reg {
namespace {

constexpr std::uint64_t kProofSamples = 64;

Error malformed(const std::string& what) { return Error::failed_precondition(what); }

std::string trimmed(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
  return std::string(text);
}

// A register's answers are parsed within bounds: the comparisons and copies below recurse once
// per level of nesting, and a hostile register may serve any text.
// Whatever is nested deeper than `depth` is left out of the document (a shown entry then
// differs from its bytes, and an entry too deep to read is flagged by the mirror), never
// built.
nlohmann::json bounded(std::string_view body, std::size_t depth) {
  const auto within = [depth](int level, nlohmann::json::parse_event_t, nlohmann::json&) {
    return static_cast<std::size_t>(level) <= depth;
  };
  return nlohmann::json::parse(body.begin(), body.end(), within, /*allow_exceptions=*/false);
}

}  // namespace

Result<std::vector<std::pair<std::uint64_t, std::string>>> parse_entries(std::string_view body) {
  // {"entries": [{"entry": <an entry>}]}: three levels above the entry's own.
  const auto doc = bounded(body, kMaxEntryDepth + 3);
  if (doc.is_discarded() || !doc.is_object()) return malformed("entries: the answer is not JSON");
  const auto list = doc.find("entries");
  if (list == doc.end() || !list->is_array()) return malformed("entries: no \"entries\" list");
  std::vector<std::pair<std::uint64_t, std::string>> out;
  out.reserve(list->size());
  for (const auto& item : *list) {
    if (!item.is_object()) return malformed("entries: an entry is not an object");
    const auto index = item.find("index");
    const auto leaf = item.find("leaf_input");
    if (index == item.end() || !index->is_number_unsigned()) {
      return malformed("entries: an entry has no whole-number \"index\"");
    }
    if (leaf == item.end() || !leaf->is_string()) {
      return malformed("entries: an entry has no \"leaf_input\"");
    }
    auto bytes = from_base64(leaf->get<std::string>());
    if (!bytes.ok()) return malformed("entries: leaf_input is not base64");
    const auto shown = item.find("entry");
    // Bytes too deep or long to read are passed on as they are: the mirror flags them.
    const auto hashed = parse_entry(*bytes);
    if (shown != item.end() && !hashed.is_discarded()) {
      if (hashed != *shown) {
        return malformed("entries: entry " + std::to_string(index->get<std::uint64_t>()) +
                         " shows JSON that is not the bytes hashed");
      }
    }
    out.emplace_back(index->get<std::uint64_t>(), std::move(bytes).value());
  }
  return out;
}

Result<std::vector<std::string>> parse_proof(
    std::string_view body, std::string_view field,
    const std::vector<std::pair<std::string, std::uint64_t>>& echo) {
  const auto doc = bounded(body, 4);
  if (doc.is_discarded() || !doc.is_object()) return malformed("proof: the answer is not JSON");
  for (const auto& [name, value] : echo) {
    const auto it = doc.find(name);
    if (it == doc.end() || !it->is_number_unsigned() || it->get<std::uint64_t>() != value) {
      return malformed("proof: \"" + name + "\" is not " + std::to_string(value));
    }
  }
  const auto list = doc.find(field);
  if (list == doc.end() || !list->is_array()) {
    return malformed("proof: no \"" + std::string(field) + "\" list");
  }
  if (list->size() > 128) return malformed("proof: longer than any tree needs");
  std::vector<std::string> out;
  for (const auto& item : *list) {
    if (!item.is_string()) return malformed("proof: a hash is not a string");
    auto bytes = from_base64(item.get<std::string>());
    if (!bytes.ok()) return malformed("proof: a hash is not base64");
    out.push_back(std::move(bytes).value());
  }
  return out;
}

Result<VerifyState> VerifyState::parse(std::string_view text) {
  const auto doc = bounded(text, 4);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("key") || !doc["key"].is_string() ||
      !doc.contains("checkpoint") || !doc["checkpoint"].is_string()) {
    return Error::invalid_argument(
        "not a state file of candor register verify (JSON with \"key\" and \"checkpoint\")");
  }
  VerifyState out;
  out.key = doc["key"].get<std::string>();
  out.checkpoint = doc["checkpoint"].get<std::string>();
  if (doc.contains("verified_at") && doc["verified_at"].is_string()) {
    out.verified_at = doc["verified_at"].get<std::string>();
  }
  return out;
}

std::string VerifyState::to_json() const {
  return nlohmann::json{{"key", key}, {"checkpoint", checkpoint}, {"verified_at", verified_at}}
             .dump(2) +
         "\n";
}

Result<Verdict> verify_register(Remote& remote, const VerifyRequest& request,
                                const std::string& now) {
  Verdict verdict;
  const auto fail = [&](std::string why) -> Result<Verdict> {
    verdict.ok = false;
    verdict.failure = std::move(why);
    return verdict;
  };

  // The key: the user's, else the one trusted last time, else the register's own (trusted
  // from this first use on, as SSH does).
  std::string key_text;
  if (request.key) {
    key_text = trimmed(*request.key);
    if (request.previous && trimmed(request.previous->key) != key_text) {
      return fail("the key given is not the key the state file trusted");
    }
  } else if (request.previous) {
    key_text = trimmed(request.previous->key);
  } else {
    key_text = trimmed(CANDOR_TRY(remote.get("/register/key")));
  }
  auto key = VerifierKey::parse(key_text);
  if (!key.ok()) return fail("the verifier key is not valid: " + key.error().message());
  if (!request.key && !request.previous) {
    verdict.checked.push_back("key " + key_text + " fetched from the register (first use)");
  }

  const std::string note = CANDOR_TRY(remote.get("/register/checkpoint"));
  auto text = open_note(note, *key);
  if (!text.ok())
    return fail("the checkpoint's signature does not verify: " + text.error().message());
  auto checkpoint = Checkpoint::parse(*text);
  if (!checkpoint.ok()) return fail("the checkpoint is malformed: " + checkpoint.error().message());
  verdict.checkpoint = *checkpoint;
  if (checkpoint->origin != key->name) {
    return fail("the checkpoint's origin \"" + checkpoint->origin + "\" is not the key's name \"" +
                key->name + "\"");
  }
  const std::string root_b64 = base64(to_bytes(checkpoint->root));
  verdict.checked.push_back("checkpoint signed by " + key->name + ": " +
                            std::to_string(checkpoint->size) + " entries, root " + root_b64);

  if (request.previous) {
    auto old_text = open_note(request.previous->checkpoint, *key);
    if (!old_text.ok()) return fail("the state file's checkpoint is not signed by the key");
    auto old = Checkpoint::parse(*old_text);
    if (!old.ok()) return fail("the state file's checkpoint is malformed");
    if (old->size > checkpoint->size) {
      return fail("the register shrank: " + std::to_string(old->size) + " entries on " +
                  request.previous->verified_at + ", " + std::to_string(checkpoint->size) + " now");
    }
    if (old->size == checkpoint->size) {
      if (old->root != checkpoint->root) {
        return fail("the register was rewritten: the same size " + std::to_string(old->size) +
                    " has a different root than on " + request.previous->verified_at);
      }
      verdict.checked.push_back("unchanged since " + request.previous->verified_at);
    } else if (old->size > 0) {
      const std::string body =
          CANDOR_TRY(remote.get("/register/proof/consistency?first=" + std::to_string(old->size) +
                                "&second=" + std::to_string(checkpoint->size)));
      auto path = parse_proof(body, "consistency_path",
                              {{"first", old->size}, {"second", checkpoint->size}});
      if (!path.ok()) return fail(path.error().message());
      auto consistent = verify_consistency(old->size, checkpoint->size, *path, to_bytes(old->root),
                                           to_bytes(checkpoint->root));
      if (!consistent.ok()) {
        return fail("the register is not consistent with the checkpoint of " +
                    std::to_string(old->size) + " entries verified on " +
                    request.previous->verified_at + ": " + consistent.error().message());
      }
      verdict.checked.push_back("consistent with the " + std::to_string(old->size) +
                                " entries verified on " + request.previous->verified_at +
                                " (nothing before them changed)");
    }
  }

  if (request.full) {
    MemoryTree tree;
    std::uint64_t next = 0;
    while (next < checkpoint->size) {
      const std::uint64_t end = std::min<std::uint64_t>(checkpoint->size, next + 1000);
      const std::string body = CANDOR_TRY(remote.get(
          "/register/entries?start=" + std::to_string(next) + "&end=" + std::to_string(end)));
      auto entries = parse_entries(body);
      if (!entries.ok()) return fail(entries.error().message());
      if (entries->empty()) {
        return fail("the register serves " + std::to_string(next) +
                    " entries but its checkpoint counts " + std::to_string(checkpoint->size));
      }
      for (const auto& [index, leaf] : *entries) {
        if (index != next || next >= end) {
          return fail("entries: expected index " + std::to_string(next) + ", got " +
                      std::to_string(index));
        }
        tree.append_leaf_hash(leaf_hash(leaf));
        ++next;
      }
    }
    const Hash root = checkpoint->size == 0 ? empty_root() : tree.root(checkpoint->size);
    if (root != checkpoint->root) {
      return fail("the entries served hash to root " + base64(to_bytes(root)) +
                  ", not the signed root " + root_b64 + ": an entry was changed");
    }
    verdict.checked.push_back("all " + std::to_string(checkpoint->size) +
                              " entries downloaded and hashed again: the root matches");
    // The stored nodes inside the tree show only in proofs: check the register's own
    // inclusion proofs for entries spread over the log (every entry of a small one).
    const std::uint64_t samples = std::min<std::uint64_t>(checkpoint->size, kProofSamples);
    for (std::uint64_t s = 0; s < samples; ++s) {
      const std::uint64_t index = s * checkpoint->size / samples;
      const std::string body =
          CANDOR_TRY(remote.get("/register/proof/inclusion?index=" + std::to_string(index) +
                                "&tree_size=" + std::to_string(checkpoint->size)));
      auto path = parse_proof(body, "inclusion_path",
                              {{"leaf_index", index}, {"tree_size", checkpoint->size}});
      if (!path.ok()) return fail(path.error().message());
      auto included = verify_inclusion(index, checkpoint->size, to_bytes(tree.leaf(index)), *path,
                                       to_bytes(checkpoint->root));
      if (!included.ok()) {
        return fail("the register's inclusion proof for entry " + std::to_string(index) +
                    " does not verify: a stored node was changed (" + included.error().message() +
                    ")");
      }
    }
    if (samples > 0) {
      verdict.checked.push_back("the register's inclusion proofs for " + std::to_string(samples) +
                                " entries across the log verify");
    }
  }

  verdict.ok = true;
  verdict.next = {key_text, note, now};
  return verdict;
}

}  // namespace candor::reg
