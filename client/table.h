#pragma once

#include <iostream>
#include <string>
#include <vector>

namespace returns::client {

// Prints rows as left-aligned columns under a header, for people reading a terminal.
inline void PrintTable(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows, std::ostream& out = std::cout) {
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  auto print = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      out << row[i];
      if (i + 1 < row.size()) out << std::string(width[i] - row[i].size() + 2, ' ');
    }
    out << "\n";
  };
  print(header);
  for (const auto& row : rows) print(row);
}

}  // namespace returns::client
