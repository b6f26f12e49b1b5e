#pragma once

#include <iostream>
#include <string>
#include <vector>

#include "terminal_text.h"

namespace returns::client {

// Prints rows as left-aligned columns under a header, for people reading a terminal. Every cell
// is printed through TerminalSafe (terminal_text.h): a cell from the server can never break the
// table with a line break, reorder it with bidirectional controls or pass for another row. Pass
// cells as they are, not escaped already.
inline void PrintTable(const std::vector<std::string>& raw_header,
                       const std::vector<std::vector<std::string>>& raw_rows,
                       std::ostream& out = std::cout) {
  std::vector<std::string> header;
  for (const std::string& cell : raw_header) header.push_back(TerminalSafe(cell));
  std::vector<std::vector<std::string>> rows;
  for (const auto& raw : raw_rows) {
    rows.emplace_back();
    for (const std::string& cell : raw) rows.back().push_back(TerminalSafe(cell));
  }
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], row[i].size());
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
