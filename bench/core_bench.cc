// Benchmarks of core value types on the hot paths of later modules: canonical JSON is what the
// register hashes for every entry; timestamps are parsed for every imported decision.
// Baseline side by side: nlohmann's own dump(), which is not canonical but sets the floor.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "core/canonical_json.h"
#include "core/timestamp.h"

namespace {

nlohmann::json sample_entry() {
  return {{"entry_id", 123456},
          {"authority", "DE"},
          {"decision", "refused"},
          {"decision_date", "2026-11-29"},
          {"licence_type", "individual"},
          {"control_entries", {"5A001.j", "5D001.e"}},
          {"item_category", "ip_network_surveillance"},
          {"description", "IP network communications surveillance system for a national operator"},
          {"destination", "AE"},
          {"end_user_type", "intelligence"},
          {"value_band", "EUR 1m-10m"},
          {"criteria", {"criterion_2"}},
          {"withheld", {{"fields", {"exporter"}}, {"rule", "commercial confidentiality"}}}};
}

void BM_CanonicalJson(benchmark::State& state) {
  const auto entry = sample_entry();
  for (auto _ : state) {
    auto bytes = candor::json::canonical(entry);
    benchmark::DoNotOptimize(bytes);
  }
}
BENCHMARK(BM_CanonicalJson);

void BM_NlohmannDumpBaseline(benchmark::State& state) {
  const auto entry = sample_entry();
  for (auto _ : state) {
    auto bytes = entry.dump();
    benchmark::DoNotOptimize(bytes);
  }
}
BENCHMARK(BM_NlohmannDumpBaseline);

void BM_ParseRfc3339(benchmark::State& state) {
  for (auto _ : state) {
    auto t = candor::Timestamp::parse_rfc3339("2026-11-29T03:56:51.250+02:00");
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_ParseRfc3339);

}  // namespace

BENCHMARK_MAIN();
