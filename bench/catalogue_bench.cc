// Classification cost: run on every submit of an application (issue 6), so it should stay far
// below a millisecond. Baseline side by side: parsing the item JSON alone.
#include <benchmark/benchmark.h>

#include "catalogue/classify.h"

namespace {

const nlohmann::json kItem = {
    {"name", "National IP monitoring system"},
    {"description", "DPI platform that extracts and indexes messages and maps who talks to whom"},
    {"facts",
     {{"kind", "hardware"},
      {"carrier_class_ip_network", true},
      {"application_layer_analysis", true},
      {"extracts_metadata_and_content", true},
      {"indexes_extracted_data", true},
      {"searches_hard_selectors", true},
      {"maps_relational_networks", true}}}};

void BM_ParseItemBaseline(benchmark::State& state) {
  const auto& catalogue = candor::catalogue::Catalogue::builtin();
  for (auto _ : state) {
    auto item = candor::catalogue::parse_item(kItem, catalogue);
    benchmark::DoNotOptimize(item);
  }
}
BENCHMARK(BM_ParseItemBaseline);

void BM_ParseAndClassify(benchmark::State& state) {
  const auto& catalogue = candor::catalogue::Catalogue::builtin();
  for (auto _ : state) {
    auto item = candor::catalogue::parse_item(kItem, catalogue);
    auto result = candor::catalogue::classify(catalogue, item.value());
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_ParseAndClassify);

void BM_LoadCatalogueFromYaml(benchmark::State& state) {
  for (auto _ : state) {
    auto loaded = candor::catalogue::Catalogue::load_folder(CANDOR_SOURCE_DIR "/data/controls");
    benchmark::DoNotOptimize(loaded);
  }
}
BENCHMARK(BM_LoadCatalogueFromYaml)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
