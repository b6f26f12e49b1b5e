// check_invariants: checks every invariant of the service over a database after any run (a
// fault run, a soak, a production copy) and prints each broken one with the rows that break it.
//   check_invariants --database_url postgresql://...   exit 0: all hold; 1: some broken; 2: error
#include <iostream>

#include <CLI/CLI.hpp>

#include "invariants.h"

int main(int argc, char** argv) {
  std::string database_url;
  int max_rows = 20;
  CLI::App cli{"checks the service's invariants over a database"};
  cli.add_option("--database_url", database_url)->required()->envname("RETURNS_DATABASE_URL");
  cli.add_option("--max_rows", max_rows, "rows shown per broken invariant")->capture_default_str();
  CLI11_PARSE(cli, argc, argv);
  try {
    const auto violations = returns::testing::CheckInvariants(database_url, max_rows);
    std::cout << returns::testing::Describe(violations);
    std::cout << returns::testing::InvariantCount() << " invariants checked, " << violations.size()
              << " broken\n";
    return violations.empty() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "check_invariants: " << e.what() << "\n";
    return 2;
  }
}
