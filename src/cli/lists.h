// Sanctions lists loaded into a screening index, for `candor screen` and `candor serve`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "screening/index.h"
#include "screening/names.h"

namespace candor::cli {

struct LoadedIndex {
  std::unique_ptr<screening::LegalForms> forms;
  std::unique_ptr<screening::NamePreparer> preparer;
  std::unique_ptr<screening::Index> index;
  std::size_t entities = 0;
};

// The name preparer, with OpenSanctions' org_types.yml when a path is given (kept in `owned`).
Result<std::unique_ptr<screening::NamePreparer>> make_preparer(
    const std::string& legal_forms_path, std::unique_ptr<screening::LegalForms>& owned);

// Errors name the file (and line or offset) that could not be read.
Result<LoadedIndex> load_index(const std::vector<std::string>& paths, const std::string& format,
                               const std::string& legal_forms_path);

}  // namespace candor::cli
