// `candor screen`: one name, a batch of queries, or labelled pairs, against sanctions lists.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "cli/cli.h"
#include "cli/lists.h"
#include "core/country.h"
#include "core/csv.h"
#include "core/files.h"
#include "screening/index.h"
#include "screening/load.h"

namespace candor::cli {
namespace {

using screening::EntityType;

Result<void> check_threshold(double threshold) {
  if (!(threshold >= 0.0 && threshold <= 1.0)) {
    return Error::invalid_argument("--threshold must be between 0 and 1");
  }
  return {};
}

Result<std::string> parse_dob(const std::string& text) {
  if (text.empty()) return text;
  const bool shape = (text.size() == 4 || text.size() == 7 || text.size() == 10);
  bool ok = shape;
  for (std::size_t k = 0; ok && k < text.size(); ++k) {
    const bool dash = k == 4 || k == 7;
    ok = dash ? text[k] == '-' : (text[k] >= '0' && text[k] <= '9');
  }
  const auto number = [&](std::size_t at) { return (text[at] - '0') * 10 + (text[at + 1] - '0'); };
  if (ok && text.size() >= 7) ok = number(5) >= 1 && number(5) <= 12;
  if (ok && text.size() == 10) ok = number(8) >= 1 && number(8) <= 31;
  if (!ok) {
    return Error::invalid_argument("date of birth must be YYYY, YYYY-MM or YYYY-MM-DD, not '" +
                                   text + "'");
  }
  return text;
}

Result<std::string> parse_country(const std::string& text) {
  if (text.empty()) return text;
  auto code = text.size() == 2 ? CountryCode::parse(text) : CountryCode::from_name(text);
  if (!code.ok()) code = CountryCode::from_name(text);
  if (!code.ok()) return Error::invalid_argument("unknown country '" + text + "'");
  return std::string(code->alpha2());
}

// Accepts Candor's words and FollowTheMoney schema names.
std::optional<EntityType> parse_type(std::string text) {
  for (auto& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (text.empty() || text == "thing" || text == "legalentity") return EntityType::unknown;
  if (text == "person") return EntityType::person;
  if (text == "organization" || text == "organisation" || text == "company" ||
      text == "publicbody") {
    return EntityType::organization;
  }
  if (text == "vessel") return EntityType::vessel;
  if (text == "airplane" || text == "aircraft") return EntityType::aircraft;
  return std::nullopt;
}

std::string_view band(double score) {
  if (score >= screening::kBlockBand) return "block";
  return "review";
}

nlohmann::json hit_json(const screening::Index& index, const screening::Hit& hit) {
  const auto& list = index.lists()[hit.list];
  const auto& entity = list.entities[hit.entity];
  nlohmann::json tokens = nlohmann::json::array();
  for (const auto& pair : hit.name.pairs) {
    tokens.push_back({{"query", pair.query},
                      {"listed", pair.listed},
                      {"rule", std::string(to_string(pair.rule))},
                      {"similarity", pair.similarity},
                      {"weight", pair.weight}});
  }
  nlohmann::json qualifiers = nlohmann::json::array();
  for (const auto& q : hit.qualifiers) {
    qualifiers.push_back({{"name", q.name}, {"delta", q.delta}, {"detail", q.detail}});
  }
  return {{"score", hit.score},
          {"band", std::string(band(hit.score))},
          {"name_score", hit.name_score},
          {"list", list.name},
          {"list_published", list.published},
          {"entity_id", entity.entity_id},
          {"entity_type", std::string(screening::to_string(entity.type))},
          {"matched_name", hit.matched_name},
          {"primary_name", entity.names.front().text},
          {"weak_alias", hit.weak_alias},
          {"birth_dates", entity.birth_dates},
          {"countries", entity.countries},
          {"programs", entity.programs},
          {"explanation", hit.explanation},
          {"tokens", tokens},
          {"unmatched_query", hit.name.unmatched_query},
          {"unmatched_listed", hit.name.unmatched_listed},
          {"qualifiers", qualifiers}};
}

class Progress {
 public:
  explicit Progress(std::size_t total) : total_(total), start_(Clock::now()), last_(start_) {}
  void tick(std::size_t done) {
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    if (now - last_ < std::chrono::seconds(2) && done != total_) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    std::fprintf(stderr, "candor: screened %zu of %zu queries (%.0f a second)\n", done, total_,
                 seconds > 0 ? static_cast<double>(done) / seconds : 0.0);
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::size_t total_;
  Clock::time_point start_;
  Clock::time_point last_;
  std::mutex mutex_;
};

// Runs work(k) for k in [0, count) on every core.
template <typename F>
void parallel_for(std::size_t count, F&& work, Progress* progress) {
  const std::size_t workers = std::max<std::size_t>(1, std::thread::hardware_concurrency());
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  const auto run = [&] {
    constexpr std::size_t kChunk = 64;
    for (;;) {
      const std::size_t begin = next.fetch_add(kChunk);
      if (begin >= count) return;
      const std::size_t end = std::min(count, begin + kChunk);
      for (std::size_t k = begin; k < end; ++k) work(k);
      const std::size_t finished = done.fetch_add(end - begin) + (end - begin);
      if (progress != nullptr) progress->tick(finished);
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(run);
  run();
  for (auto& t : threads) t.join();
}

// Writes to a file beside `path` and renames it over `path` once complete, so that a
// failed run leaves no half-written output.
Result<void> write_atomically(const std::string& path, const std::string& content) {
  const std::string temporary = path + ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return Error::invalid_argument("cannot write the output file", path);
    out << content;
    out.flush();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(temporary, ec);
      return Error::unavailable("error while writing the output file", path);
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) return Error::unavailable("cannot move the output into place: " + ec.message(), path);
  return {};
}

Result<void> screen_one(const ScreenOptions& options) {
  CANDOR_TRY(check_threshold(options.threshold));
  screening::Query query;
  query.name = options.name;
  query.facts.birth_date = CANDOR_TRY(parse_dob(options.dob));
  query.facts.country = CANDOR_TRY(parse_country(options.country));
  const auto type = parse_type(options.type);
  if (!type) return Error::invalid_argument("--type must be person or organization");
  query.facts.type = *type;
  if (screening::NamePreparer().prepare(query.name, query.facts.type).tokens.empty()) {
    return Error::invalid_argument("the name has no letters or digits to screen");
  }
  const LoadedIndex loaded = CANDOR_TRY(
      load_index(options.lists, options.format, {options.legal_forms, options.name_stopwords}));
  screening::SearchOptions search;
  search.threshold = options.threshold;
  search.limit = options.limit;
  const auto hits = loaded.index->search(query, search);
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& hit : hits) out.push_back(hit_json(*loaded.index, hit));
    std::printf("%s\n", out.dump(2).c_str());
    return {};
  }
  std::printf("%zu %s for \"%s\" at threshold %.2f (%zu entities, %zu names, %zu %s)\n",
              hits.size(), hits.size() == 1 ? "hit" : "hits", options.name.c_str(),
              options.threshold, loaded.entities, loaded.index->name_count(),
              loaded.index->lists().size(), loaded.index->lists().size() == 1 ? "list" : "lists");
  std::size_t rank = 0;
  for (const auto& hit : hits) {
    const auto& list = loaded.index->lists()[hit.list];
    const auto& entity = list.entities[hit.entity];
    std::printf("\n%2zu. %.2f  %-6s  %s  %s  %s\n", ++rank, hit.score,
                std::string(band(hit.score)).c_str(), list.name.c_str(), entity.entity_id.c_str(),
                hit.matched_name.c_str());
    if (hit.matched_name != entity.names.front().text) {
      std::printf("    listed as %s\n", entity.names.front().text.c_str());
    }
    std::printf("    %s\n", hit.explanation.c_str());
  }
  return {};
}

// The batch's queries. A fact that cannot be read is left out rather than failing the whole
// batch; `ignored_facts` counts them.
Result<std::vector<screening::Query>> read_batch(const std::string& path,
                                                 std::size_t& ignored_facts) {
  const std::string text = CANDOR_TRY(read_file(path));
  csv::Reader reader(text);
  auto read = csv::read_header(reader, {"full_name"});
  if (!read.ok()) return std::move(read).error().within(path);
  const csv::Header header = std::move(read).value();
  std::vector<std::string> fields;
  const int name_col = header.index("full_name");
  const int dob_col = header.index("date_of_birth");
  const int country_col = header.index("nationality");
  const int schema_col = header.index("schema");
  std::vector<screening::Query> queries;
  for (;;) {
    auto more = reader.next(fields);
    if (!more.ok()) return std::move(more).error().within(path);
    if (!more.value()) break;
    const auto cell = [&](int col) {
      return col >= 0 && static_cast<std::size_t>(col) < fields.size()
                 ? fields[static_cast<std::size_t>(col)]
                 : std::string();
    };
    screening::Query query;
    query.name = cell(name_col);
    if (auto dob = parse_dob(cell(dob_col)); dob.ok()) {
      query.facts.birth_date = dob.value();
    } else {
      ++ignored_facts;
    }
    if (auto country = parse_country(cell(country_col)); country.ok()) {
      query.facts.country = country.value();
    } else {
      ++ignored_facts;
    }
    if (auto type = parse_type(cell(schema_col)); type) {
      query.facts.type = *type;
    } else {
      ++ignored_facts;
    }
    queries.push_back(std::move(query));
  }
  return queries;
}

Result<void> screen_batch(const ScreenBatchOptions& options) {
  CANDOR_TRY(check_threshold(options.threshold));
  std::size_t ignored_facts = 0;
  const std::vector<screening::Query> queries =
      CANDOR_TRY(read_batch(options.queries, ignored_facts));
  const LoadedIndex loaded = CANDOR_TRY(
      load_index(options.lists, options.format, {options.legal_forms, options.name_stopwords}));
  std::fprintf(stderr, "candor: %zu queries against %zu entities (%zu names) on %zu lists\n",
               queries.size(), loaded.entities, loaded.index->name_count(),
               loaded.index->lists().size());
  if (ignored_facts > 0) {
    std::fprintf(stderr,
                 "candor: %zu dates of birth, nationalities or schemas could not be read and "
                 "were left out\n",
                 ignored_facts);
  }
  std::vector<std::vector<screening::Hit>> results(queries.size());
  screening::SearchOptions search;
  search.threshold = options.threshold;
  search.limit = options.limit;
  Progress progress(queries.size());
  parallel_for(
      queries.size(), [&](std::size_t k) { results[k] = loaded.index->search(queries[k], search); },
      queries.size() >= 1000 ? &progress : nullptr);
  std::string out = csv::format_record(
      {"query_row", "query_name", "rank", "score", "list", "entity_id", "matched_name"});
  std::size_t with_hits = 0;
  for (std::size_t k = 0; k < results.size(); ++k) {
    with_hits += results[k].empty() ? 0 : 1;
    for (std::size_t r = 0; r < results[k].size(); ++r) {
      const auto& hit = results[k][r];
      const auto& list = loaded.index->lists()[hit.list];
      char score[16];
      std::snprintf(score, sizeof score, "%.4f", hit.score);
      out += csv::format_record({std::to_string(k), queries[k].name, std::to_string(r + 1), score,
                                 list.name, list.entities[hit.entity].entity_id, hit.matched_name});
    }
  }
  CANDOR_TRY(write_atomically(options.out, out));
  std::fprintf(stderr, "candor: %zu of %zu queries have hits; written to %s\n", with_hits,
               queries.size(), options.out.c_str());
  return {};
}

// How `screen pairs` reads and weighs names. With lists, words weigh what they weigh in a
// screen against them, and the index's preparer reads both sides, so that they agree.
struct PairScorer {
  LoadedIndex loaded;
  OwnedNameTables tables;
  std::unique_ptr<screening::NamePreparer> own_preparer;
  const screening::NamePreparer* preparer = nullptr;
  screening::TokenWeight weight = screening::default_token_weight;
};

Result<std::unique_ptr<PairScorer>> pair_scorer(const ScreenPairsOptions& options) {
  auto scorer = std::make_unique<PairScorer>();
  if (options.lists.empty()) {
    scorer->own_preparer =
        CANDOR_TRY(make_preparer({options.legal_forms, options.name_stopwords}, scorer->tables));
    scorer->preparer = scorer->own_preparer.get();
    return scorer;
  }
  scorer->loaded = CANDOR_TRY(
      load_index(options.lists, options.format, {options.legal_forms, options.name_stopwords}));
  scorer->preparer = scorer->loaded.preparer.get();
  scorer->weight = [&index = *scorer->loaded.index](const screening::NameToken& token) {
    return index.token_weight(token);
  };
  return scorer;
}

Result<void> screen_pairs(const ScreenPairsOptions& options) {
  CANDOR_TRY(check_threshold(options.threshold));
  const std::string text = CANDOR_TRY(read_file(options.in));
  const auto scorer = CANDOR_TRY(pair_scorer(options));
  const screening::NamePreparer* preparer = scorer->preparer;
  const screening::TokenWeight& weight = scorer->weight;
  csv::Reader reader(text);
  auto read = csv::read_header(reader, {"name1", "name2"});
  if (!read.ok()) return std::move(read).error().within(options.in);
  const csv::Header header = std::move(read).value();
  std::vector<std::string> fields;
  const int a_col = header.index("name1");
  const int b_col = header.index("name2");
  const int schema_col = header.index("schema");
  std::string out;
  std::vector<std::string> row = header.names();
  row.emplace_back("score");
  row.emplace_back("match");
  out += csv::format_record(row);
  for (;;) {
    auto more = reader.next(fields);
    if (!more.ok()) return std::move(more).error().within(options.in);
    if (!more.value()) break;
    const auto cell = [&](int col) {
      return static_cast<std::size_t>(col) < fields.size() ? fields[static_cast<std::size_t>(col)]
                                                           : std::string();
    };
    const auto type = parse_type(schema_col >= 0 ? cell(schema_col) : std::string());
    const EntityType t = type.value_or(EntityType::unknown);
    const auto a = preparer->prepare(cell(a_col), t);
    const auto b = preparer->prepare(cell(b_col), t);
    const double score = screening::score_names(a, b, weight).score;
    char text_score[16];
    std::snprintf(text_score, sizeof text_score, "%.4f", score);
    row = fields;
    row.emplace_back(text_score);
    row.emplace_back(score >= options.threshold ? "true" : "false");
    out += csv::format_record(row);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return {};
}

}  // namespace

int run_screen(const ScreenOptions& options) {
  auto done = screen_one(options);
  return done.ok() ? kExitOk : report(done.error());
}

int run_screen_batch(const ScreenBatchOptions& options) {
  auto done = screen_batch(options);
  return done.ok() ? kExitOk : report(done.error());
}

int run_screen_pairs(const ScreenPairsOptions& options) {
  auto done = screen_pairs(options);
  return done.ok() ? kExitOk : report(done.error());
}

}  // namespace candor::cli
