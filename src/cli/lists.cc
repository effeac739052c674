#include "cli/lists.h"

#include "core/files.h"
#include "screening/load.h"

namespace candor::cli {

Result<std::unique_ptr<screening::NamePreparer>> make_preparer(const NameTableFiles& files,
                                                               OwnedNameTables& owned) {
  const screening::LegalForms* forms = &screening::LegalForms::builtin();
  const screening::NameFacts* facts = &screening::NameFacts::builtin();
  if (!files.legal_forms.empty()) {
    const std::string yaml = CANDOR_TRY(read_file(files.legal_forms));
    owned.forms = std::make_unique<screening::LegalForms>(
        CANDOR_TRY(screening::LegalForms::parse(yaml, files.legal_forms)));
    forms = owned.forms.get();
  }
  if (!files.name_stopwords.empty()) {
    const std::string yaml = CANDOR_TRY(read_file(files.name_stopwords));
    owned.facts = std::make_unique<screening::NameFacts>(screening::NameFacts::builtin());
    CANDOR_TRY(owned.facts->add_titles(yaml, files.name_stopwords));
    facts = owned.facts.get();
  }
  return std::make_unique<screening::NamePreparer>(*forms, *facts);
}

Result<LoadedIndex> load_index(const std::vector<std::string>& paths, const std::string& format,
                               const NameTableFiles& files) {
  const auto list_format = CANDOR_TRY(screening::parse_list_format(format));
  LoadedIndex loaded;
  loaded.preparer = CANDOR_TRY(make_preparer(files, loaded.tables));
  std::vector<screening::SanctionsList> lists;
  for (const auto& path : paths) {
    auto list = screening::load_list(path, list_format);
    if (!list.ok()) return std::move(list).error();
    loaded.entities += list->entities.size();
    lists.push_back(std::move(list).value());
  }
  loaded.index = std::make_unique<screening::Index>(std::move(lists), *loaded.preparer);
  return loaded;
}

}  // namespace candor::cli
