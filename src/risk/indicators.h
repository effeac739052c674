// Country human-rights indicators, each from its publisher's own format, each value kept with
// publisher, edition year and source, and turned into a 0-1 risk (1 = worst) by the method
// written in docs/risk-methodology.md. A value that a publisher does not give is absent,
// never zero.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace candor::risk {

enum class Indicator {
  freedom_house,          // Freedom in the World total score, 0-100 (higher is freer)
  rsf_rank,               // RSF World Press Freedom Index rank (1 is best)
  political_terror,       // Political Terror Scale, 1-5 (5 is worst), mean of the sources
  civicus,                // CIVICUS Monitor rating, 1 closed .. 5 open
  vdem_cso_repression,    // V-Dem v2csreprss, CSO repression (higher is less repression)
  vdem_media_censorship,  // V-Dem v2mecenefm, government censorship effort (higher is less)
  vdem_privacy,           // V-Dem v2x_clpriv, private civil liberties 0-1 (higher is better)
  latent_protection,      // Fariss latent human-rights protection, theta (higher is better)
};

inline constexpr Indicator kIndicators[] = {
    Indicator::freedom_house,       Indicator::rsf_rank,
    Indicator::political_terror,    Indicator::civicus,
    Indicator::vdem_cso_repression, Indicator::vdem_media_censorship,
    Indicator::vdem_privacy,        Indicator::latent_protection};

std::string_view to_string(Indicator indicator);  // "freedom_house", ...
std::optional<Indicator> indicator_from_string(std::string_view text);

// What an officer reads about an indicator: who publishes it and what it measures.
struct IndicatorInfo {
  std::string_view label;      // "Freedom in the World total score"
  std::string_view publisher;  // "Freedom House"
  std::string_view url;        // the publisher's page for the data
};
const IndicatorInfo& info(Indicator indicator);

struct IndicatorValue {
  std::string country;  // ISO 3166-1 alpha-2
  Indicator indicator = Indicator::freedom_house;
  int year = 0;        // Edition or year the value describes.
  double value = 0.0;  // As published.
  std::string label;   // Words the publisher attaches ("Not Free", "Repressed"), if any.
  double risk = 0.0;   // 0 (best) to 1 (worst), see risk_of.
  std::string url;
};

// The 0-1 risk of a published value (docs/risk-methodology.md). For the RSF rank, `scale` is
// the number of countries ranked that year; otherwise unused.
double risk_of(Indicator indicator, double value, double scale = 0.0);

// Importers. Errors: invalid_argument naming the line or key. Countries that the publisher
// lists but ISO 3166 does not (Kosovo, Somaliland, territories) are left out and counted.
struct Imported {
  std::vector<IndicatorValue> values;
  std::size_t skipped_places = 0;  // Rows for places without an ISO 3166 code.
};
Result<Imported> import_freedom_house(std::string_view text, int edition_year);
Result<Imported> import_rsf(std::string_view text);
Result<Imported> import_pts(std::string_view text);
Result<Imported> import_civicus(std::string_view text, int year);
Result<Imported> import_vdem(std::string_view text);
Result<Imported> import_latent_hr(std::string_view text);

// Keeps, per country and indicator, the newest year only.
std::vector<IndicatorValue> newest(std::vector<IndicatorValue> values);

}  // namespace candor::risk
