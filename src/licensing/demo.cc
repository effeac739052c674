#include "licensing/demo.h"

#include <atomic>

#include "licensing/accounts.h"
#include "licensing/cases.h"

namespace candor::licensing {
namespace {

constexpr const char* kDomain = "demo.candor.example";

// A clock the seeder moves forward, so that each case's history has believable gaps.
class SeedClock final : public Clock {
 public:
  explicit SeedClock(Timestamp start) : micros_(start.unix_micros()) {}
  Timestamp now() const override { return Timestamp::from_unix_micros(micros_.load()).value(); }
  void advance_hours(std::int64_t hours) { micros_ += hours * 3600 * 1'000'000; }
  void set(Timestamp t) { micros_ = t.unix_micros(); }

 private:
  std::atomic<std::int64_t> micros_;
};

struct Story {
  const char* exporter;  // Key into the exporters below.
  const char* title;
  const char* licence_type;
  const char* end_use;
  const char* end_user_type;
  ItemInput item;
  std::vector<PartyInput> parties;
  std::vector<const char*> steps;  // Actions after creation; see play().
};

ItemInput item(const char* name, const char* description, const char* declared,
               nlohmann::json facts, std::int64_t quantity, const char* value) {
  ItemInput out;
  out.name = name;
  out.description = description;
  out.declared_entry = declared;
  out.facts = std::move(facts);
  out.quantity = quantity;
  out.value = value;
  out.currency = "EUR";
  return out;
}

const nlohmann::json kSpyware = {{"kind", "software"},
                                 {"intrusion_software_generation_c2_delivery", true},
                                 {"updates_only_with_owner_authorisation", false}};
const nlohmann::json kMonitoring = {{"kind", "hardware"},
                                    {"carrier_class_ip_network", true},
                                    {"application_layer_analysis", true},
                                    {"extracts_metadata_and_content", true},
                                    {"indexes_extracted_data", true},
                                    {"searches_hard_selectors", true},
                                    {"maps_relational_networks", true},
                                    {"designed_for_marketing_qos_qoe", false}};
const nlohmann::json kForensics = {{"kind", "hardware"},
                                   {"extracts_device_data_circumventing_authentication", true},
                                   {"debugger_or_hypervisor", false},
                                   {"logical_extraction_only", false},
                                   {"chip_off_or_jtag_extraction", false},
                                   {"jailbreak_or_rooting_only", false}};
const nlohmann::json kImsi = {{"kind", "hardware"},
                              {"over_the_air_interception", true},
                              {"extracts_subscriber_identifiers_over_air", true},
                              {"designed_for_network_operators", false}};
const nlohmann::json kMediation = {{"kind", "software"},
                                   {"handover_interface_analysis", true},
                                   {"designed_for_billing_mediation_or_payment", false}};

std::vector<Story> stories() {
  return {
      {"nordlicht",
       "Deep-packet inspection probes for a mobile operator",
       "individual",
       "Traffic management on the operator's own backbone; no interception of content.",
       "telecom_operator",
       item("NL-DPI 400 probe", "Carrier-grade probe analysing traffic for quality of service.", "",
            {{"kind", "hardware"},
             {"carrier_class_ip_network", true},
             {"application_layer_analysis", true},
             {"designed_for_marketing_qos_qoe", true}},
            12, "840000.00"),
       {{"end_user", "Savannah Mobile Networks Ltd", "KE", "organisation", "Nairobi"}},
       {}},
      {"baltic",
       "Mobile forensic kits for the state prosecutor's unit",
       "individual",
       "Extraction of seized phones under court orders in organised-crime cases.",
       "police",
       item("BF Extract Pro", "Forensic extraction kit that bypasses device lock screens.",
            "5A004.b", kForensics, 20, "310000.00"),
       {{"end_user", "Fiscalía General de la República, forensic unit", "MX", "organisation",
         "Ciudad de México"}},
       {"submit"}},
      {"lusitania",
       "IMSI catchers for a rapid-action police battalion",
       "individual",
       "Locating suspects' phones during counter-terrorism operations.",
       "police",
       item("LS Interceptor 2G/4G", "Vehicle-mounted IMSI catcher.", "5A001.f.2", kImsi, 4,
            "1950000.00"),
       {{"end_user", "Rapid Action Battalion", "BD", "organisation", "Dhaka"}},
       {"submit", "start_review", "assign"}},
      {"nordlicht",
       "Lawful-interception mediation for a national operator",
       "individual",
       "Delivery of intercepted traffic to the authorities under national law.",
       "telecom_operator",
       item("NL-Mediate", "Mediation and analysis of handover-interface data.", "", kMediation, 1,
            "520000.00"),
       {{"end_user", "Balkan Telecom d.o.o.", "RS", "organisation", "Belgrade"}},
       {"submit", "start_review", "request_information"}},
      {"baltic",
       "Forensic extraction for the police criminal investigations department",
       "individual",
       "Extraction of phones seized in criminal investigations.",
       "police",
       item("BF Extract Pro", "Forensic extraction kit that bypasses device lock screens.",
            "5A004.b", kForensics, 8, "124000.00"),
       {{"end_user", "Uganda Police Force, Criminal Investigations Directorate", "UG",
         "organisation", "Kampala"}},
       {"submit", "start_review", "request_information", "answer"}},
      {"lusitania",
       "Remote monitoring platform for a signals directorate",
       "individual",
       "Lawful interception of communications of persons under investigation.",
       "intelligence",
       item("LS Remote Access Suite", "Delivers and controls implants on mobile devices.", "4D004",
            kSpyware, 1, "4200000.00"),
       {{"end_user", "Signals Intelligence Directorate", "AE", "organisation", "Abu Dhabi"},
        {"consignee", "Connect Telecom General Trading LLC", "AE", "organisation", "Dubai"}},
       {"submit", "start_review", "request_advice"}},
      {"nordlicht",
       "National IP monitoring centre",
       "individual",
       "Monitoring of internet traffic for national security.",
       "other_government",
       item("NL-Sentinel monitoring centre", "Extracts, indexes and searches subscribers' traffic.",
            "5A001.j", kMonitoring, 1, "9800000.00"),
       {{"end_user", "Ministry of Interior, Technical Department", "EG", "organisation", "Cairo"}},
       {"submit", "start_review", "request_advice", "answer_advice", "recommend"}},
      {"baltic",
       "Forensic kits for the national police",
       "individual",
       "Digital forensics in criminal cases with judicial oversight.",
       "police",
       item("BF Extract Pro", "Forensic extraction kit that bypasses device lock screens.",
            "5A004.b", kForensics, 30, "420000.00"),
       {{"end_user", "Polisen, National Forensic Centre", "SE", "organisation", "Linköping"}},
       {"submit", "start_review", "clear_hits", "recommend", "grant"}},
      {"nordlicht",
       "Interception mediation for a mobile operator",
       "global",
       "Lawful-interception obligations of the operator in several states.",
       "telecom_operator",
       item("NL-Mediate", "Mediation and analysis of handover-interface data.", "", kMediation, 3,
            "1500000.00"),
       {{"end_user", "Vivo Telecom Brasil S.A.", "BR", "organisation", "São Paulo"}},
       {"submit", "start_review", "clear_hits", "recommend", "grant_with_conditions"}},
      {"lusitania",
       "Intrusion platform for a security research firm",
       "individual",
       "Penetration testing services for government customers.",
       "private_company",
       item("LS Remote Access Suite", "Delivers and controls implants on mobile devices.", "4D004",
            kSpyware, 1, "2300000.00"),
       {{"end_user", "Neva Penetration Labs LLC", "RU", "organisation", "Saint Petersburg"},
        {"intermediary", "Digital Security", "RU", "organisation", "Moscow"}},
       {"submit", "start_review", "request_advice", "answer_advice", "recommend", "clear_hits",
        "refuse"}},
      {"baltic",
       "Forensic workstations for a university lab",
       "individual",
       "Research on mobile device security.",
       "research",
       item("BF Lab Station", "Forensic extraction workstation.", "5A004.b", kForensics, 2,
            "60000.00"),
       {{"end_user", "Pooya Research Institute", "IR", "organisation", "Tehran"},
        {"consignee", "ITSEC Team", "IR", "organisation", "Tehran"}},
       {"submit", "start_review", "withdraw"}},
      {"nordlicht",
       "Monitoring centre upgrade for the interior ministry",
       "individual",
       "Capacity upgrade of an existing lawful-interception centre.",
       "police",
       item("NL-Sentinel upgrade", "Adds capacity to the monitoring centre.", "5A001.j",
            kMonitoring, 1, "1250000.00"),
       {{"end_user", "Ministry of Home Affairs, Telecom Monitoring Cell", "IN", "organisation",
         "New Delhi"}},
       {"submit", "start_review", "clear_hits", "recommend", "grant_with_conditions", "amend"}},
      {"lusitania",
       "IMSI catchers for border police",
       "individual",
       "Detection of smuggling networks at the border.",
       "police",
       item("LS Interceptor 2G/4G", "Vehicle-mounted IMSI catcher.", "5A001.f.2", kImsi, 2,
            "900000.00"),
       {{"end_user", "State Border Guard Service", "AZ", "organisation", "Baku"}},
       {"submit", "start_review", "clear_hits", "recommend", "grant_with_conditions", "suspend"}},
      {"baltic",
       "Forensic kits for the interior ministry",
       "individual",
       "Criminal investigations.",
       "police",
       item("BF Extract Pro", "Forensic extraction kit that bypasses device lock screens.",
            "5A004.b", kForensics, 10, "150000.00"),
       {{"end_user", "Ministry of Internal Affairs, Forensic Service", "BY", "organisation",
         "Minsk"}},
       {"submit", "start_review", "clear_hits", "recommend", "grant", "revoke"}},
      {"nordlicht",
       "Traffic analysis for a regional operator",
       "individual",
       "Network management.",
       "telecom_operator",
       item("NL-DPI 400 probe", "Carrier-grade probe analysing traffic.", "5A001.j", kMonitoring, 4,
            "280000.00"),
       {{"end_user", "Meridian Telecom SAL", "LB", "organisation", "Beirut"}},
       {"submit", "start_review", "clear_hits", "recommend", "grant", "annul"}},
  };
}

struct Actors {
  std::map<std::string, User> exporters;
  User officer, officer2, adviser, admin;
};

Result<void> play(Cases& cases, SeedClock& clock, const Actors& a, const Story& story,
                  const std::string& reference) {
  const User& exporter = a.exporters.at(story.exporter);
  std::int64_t advice_id = 0;
  for (const std::string step : story.steps) {
    clock.advance_hours(story.steps.size() > 4 ? 60 : 30);
    const auto act = [&](Action action, std::string reason, std::vector<std::string> criteria = {},
                         std::vector<std::string> conditions = {}) {
      return cases.act(
          action == Action::submit || action == Action::answer || action == Action::withdraw
              ? exporter
              : a.officer,
          reference, {action, std::move(reason), std::move(criteria), std::move(conditions)});
    };
    if (step == "submit") {
      CANDOR_TRY(act(Action::submit, ""));
    } else if (step == "start_review") {
      CANDOR_TRY(cases.assign(a.officer, reference, a.officer.id, ""));
      CANDOR_TRY(act(Action::start_review, ""));
    } else if (step == "assign") {
      CANDOR_TRY(cases.assign(a.officer, reference, a.officer2.id, ""));
    } else if (step == "request_information") {
      CANDOR_TRY(act(Action::request_information,
                     "Please send the end-user certificate signed by the end user, and say who "
                     "operates the system day to day."));
    } else if (step == "answer") {
      CANDOR_TRY(act(Action::answer,
                     "The certificate is attached. The system is operated by the end user's own "
                     "forensic staff, trained by us on site."));
    } else if (step == "request_advice") {
      advice_id = CANDOR_TRY(cases.request_advice(
          a.officer, reference, a.adviser.id,
          "Is there a clear risk that the items might be used for internal repression "
          "(Art. 15(1); criterion 2)? Please consider documented misuse by this end user."));
    } else if (step == "answer_advice") {
      CANDOR_TRY(cases.answer_advice(
          a.adviser, advice_id,
          "Yes. The destination's indicators are poor and there is documented use of comparable "
          "tools against journalists and activists. I advise refusal under criterion 2."));
    } else if (step == "recommend") {
      CANDOR_TRY(act(Action::recommend, "Recommendation recorded after review of the checks."));
    } else if (step == "clear_hits") {
      auto view = CANDOR_TRY(cases.view(a.officer, reference));
      for (const auto& hit : view["screening_hits"]) {
        if (!hit["cleared"].is_null()) continue;
        const bool confirmed = story.steps.back() == std::string("refuse");
        CANDOR_TRY(cases.clear_hit(
            a.officer, reference, hit["id"].get<std::int64_t>(),
            hit["list"] == "none" ? "screened"
            : confirmed           ? "confirmed_match"
                                  : "false_positive",
            hit["list"] == "none" ? "Parties checked by hand against the EU consolidated list."
            : confirmed           ? "Same company: the intermediary is the listed Moscow firm."
                                  : "Different company: other registration number and address."));
      }
    } else if (step == "grant") {
      CANDOR_TRY(act(Action::grant, "No clear risk found; the end use is credible."));
    } else if (step == "grant_with_conditions") {
      CANDOR_TRY(act(Action::grant_with_conditions,
                     "Acceptable with safeguards against misuse and re-export.", {},
                     {"no_re_export", "post_shipment_verification", "reporting"}));
    } else if (step == "refuse") {
      CANDOR_TRY(act(Action::refuse,
                     "The intermediary is a sanctioned company, and there is a clear risk that "
                     "the intrusion platform would be used against journalists and activists.",
                     {"criterion_1", "criterion_2"}));
    } else if (step == "withdraw") {
      CANDOR_TRY(act(Action::withdraw, "The customer cancelled the order."));
    } else if (step == "amend") {
      CANDOR_TRY(act(Action::amend, "Quantity unchanged; reporting period shortened.", {},
                     {"no_re_export", "Report every export within 14 days"}));
    } else if (step == "suspend") {
      CANDOR_TRY(
          act(Action::suspend, "Reports of use against protesters; suspended pending review."));
    } else if (step == "revoke") {
      CANDOR_TRY(
          act(Action::revoke, "New evidence of use against opposition figures (criterion 2)."));
    } else if (step == "annul") {
      CANDOR_TRY(act(Action::annul,
                     "Annulled after the exporter's appeal found a procedural "
                     "error; a new application is needed."));
    }
  }
  return {};
}

}  // namespace

Result<std::vector<DemoLogin>> demo_logins(store::Database& db) {
  auto lease = CANDOR_TRY(db.acquire());
  auto rows = CANDOR_TRY(lease->query(
      "SELECT role, email FROM users WHERE email LIKE $1 ORDER BY CASE role WHEN 'exporter' THEN "
      "0 WHEN 'officer' THEN 1 WHEN 'adviser' THEN 2 ELSE 3 END, email",
      {std::string("%") + kDomain}));
  std::vector<DemoLogin> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    out.push_back({CANDOR_TRY(row.get<std::string>(0)), CANDOR_TRY(row.get<std::string>(1))});
  }
  return out;
}

Result<DemoSeed> seed_demo(store::Database& db, const Clock& clock, const Checks& checks) {
  DemoSeed seed;
  {
    auto lease = CANDOR_TRY(db.acquire());
    auto rows = CANDOR_TRY(lease->query("SELECT COUNT(*) FROM users"));
    if (CANDOR_TRY(rows.at(0).get<std::int64_t>(0)) > 0) {
      seed.logins = CANDOR_TRY(demo_logins(db));
      return seed;
    }
    CANDOR_TRY(lease->execute(
        "INSERT INTO settings (key, value, updated_at) VALUES ('authority', $1, $2) "
        "ON CONFLICT (key) DO NOTHING",
        {std::string("Demonstration Licensing Authority"), clock.now().to_rfc3339()}));
  }
  const Timestamp now = clock.now();
  SeedClock seed_clock(now);
  Accounts accounts(db, seed_clock);
  Cases cases(db, seed_clock, checks);
  const auto make = [&](const char* local, const char* name, Role role, const char* org,
                        const char* country) -> Result<User> {
    return accounts.create_user(
        {std::string(local) + "@" + kDomain, name, role, org, country, kDemoPassword});
  };
  Actors a;
  a.exporters["nordlicht"] = CANDOR_TRY(make("exporter.nordlicht", "Nora Lindqvist", Role::exporter,
                                             "Nordlicht Networks GmbH", "DE"));
  a.exporters["baltic"] = CANDOR_TRY(
      make("exporter.baltic", "Kaarel Tamm", Role::exporter, "Baltic Forensics OÜ", "EE"));
  a.exporters["lusitania"] = CANDOR_TRY(
      make("exporter.lusitania", "Inês Duarte", Role::exporter, "Lusitania Signals Lda", "PT"));
  a.officer = CANDOR_TRY(make("officer", "Olga Berger", Role::officer, "", ""));
  a.officer2 = CANDOR_TRY(make("officer2", "Marek Novak", Role::officer, "", ""));
  a.adviser = CANDOR_TRY(make("adviser", "Amara Okafor", Role::adviser, "", ""));
  a.admin = CANDOR_TRY(make("admin", "Sam Admin", Role::admin, "", ""));

  // Days before now each story starts: open cases are recent (one is overdue), decided ones
  // older, licences oldest.
  static constexpr int kDaysAgo[] = {1, 3, 10, 14, 20, 25, 33, 80, 75, 70, 65, 120, 110, 100, 90};
  std::size_t index = 0;
  for (const auto& story : stories()) {
    const int days_ago = kDaysAgo[index++ % std::size(kDaysAgo)];
    seed_clock.set(
        Timestamp::from_unix_micros(now.unix_micros() - std::int64_t{days_ago} * 86400 * 1'000'000)
            .value());
    CaseInput input;
    input.licence_type = story.licence_type;
    input.title = story.title;
    input.end_use = story.end_use;
    input.end_user_type = story.end_user_type;
    input.items = {story.item};
    input.parties = story.parties;
    const std::string reference = CANDOR_TRY(cases.create(a.exporters.at(story.exporter), input));
    CANDOR_TRY(play(cases, seed_clock, a, story, reference));
    ++seed.cases;
  }
  seed.seeded = true;
  seed.logins = CANDOR_TRY(demo_logins(db));
  return seed;
}

}  // namespace candor::licensing
