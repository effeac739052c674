#include "store/value.h"

namespace candor::store {

Error Row::type_error(std::size_t index, const char* wanted) const {
  static constexpr const char* kTypeNames[] = {"NULL", "an integer", "a real", "text", "a blob"};
  const std::string name = index < columns_->size() ? (*columns_)[index] : std::to_string(index);
  return Error::internal("column '" + name + "' holds " + kTypeNames[values_[index].index()] +
                         ", not " + wanted);
}

}  // namespace candor::store
