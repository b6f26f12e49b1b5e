#pragma once

namespace returns::storage {

// The name of one statement file below server/storage/sql/ ("returns/insert_return"). Only the
// constants generated from those files at build time (storage/statements.h, namespace
// returns::sql) can be made, so Tx runs no name that has no file: a misspelt statement fails the
// build, where a string failed at run time (or, in transaction-pooling mode, ran nothing).
class Statement {
 public:
  constexpr const char* name() const { return name_; }

 private:
  friend struct StatementCatalogue;
  constexpr explicit Statement(const char* name) : name_(name) {}
  const char* name_;
};

// Used by the generated header alone.
struct StatementCatalogue {
  static constexpr Statement Make(const char* name) { return Statement(name); }
};

}  // namespace returns::storage
