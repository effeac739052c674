// Sanctions lists loaded into a screening index, for `candor screen` and `candor serve`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "screening/index.h"
#include "screening/names.h"

namespace candor::cli {

// Tables a user gives in place of, or beside, the built-in ones.
struct NameTableFiles {
  std::string legal_forms;     // org_types.yml shape; replaces the built-in legal forms.
  std::string name_stopwords;  // name_stopwords.yml shape; its titles add to the built-in.
};

// The tables read from NameTableFiles, which the preparer refers to.
struct OwnedNameTables {
  std::unique_ptr<screening::LegalForms> forms;
  std::unique_ptr<screening::NameFacts> facts;
};

struct LoadedIndex {
  OwnedNameTables tables;
  std::unique_ptr<screening::NamePreparer> preparer;
  std::unique_ptr<screening::Index> index;
  std::size_t entities = 0;
};

// The name preparer, with OpenSanctions' org_types.yml and name_stopwords.yml when their paths
// are given (kept in `owned`).
Result<std::unique_ptr<screening::NamePreparer>> make_preparer(const NameTableFiles& files,
                                                               OwnedNameTables& owned);

// Errors name the file (and line or offset) that could not be read.
Result<LoadedIndex> load_index(const std::vector<std::string>& paths, const std::string& format,
                               const NameTableFiles& files);

}  // namespace candor::cli
