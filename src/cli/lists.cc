#include "cli/lists.h"

#include "core/files.h"
#include "screening/load.h"

namespace candor::cli {

Result<std::unique_ptr<screening::NamePreparer>> make_preparer(
    const std::string& legal_forms_path, std::unique_ptr<screening::LegalForms>& owned) {
  if (legal_forms_path.empty()) return std::make_unique<screening::NamePreparer>();
  const std::string yaml = CANDOR_TRY(read_file(legal_forms_path));
  auto forms = screening::LegalForms::parse(yaml, legal_forms_path);
  if (!forms.ok()) return std::move(forms).error();
  owned = std::make_unique<screening::LegalForms>(std::move(forms).value());
  return std::make_unique<screening::NamePreparer>(*owned);
}

Result<LoadedIndex> load_index(const std::vector<std::string>& paths, const std::string& format,
                               const std::string& legal_forms_path) {
  const auto list_format = CANDOR_TRY(screening::parse_list_format(format));
  LoadedIndex loaded;
  loaded.preparer = CANDOR_TRY(make_preparer(legal_forms_path, loaded.forms));
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
