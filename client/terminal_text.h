#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace returns::client {

// Text from the server (a customer's file name or description, a reviewer's note, a reason) as
// it is safe to print on a terminal: it can never end a line, move the cursor, recolour the
// screen, reorder what follows or pass for another row. Escaped, everything else unchanged:
//  - line breaks and tabs as \n, \r, \t; other C0 controls, DEL and C1 controls as \u001b, \u0085;
//  - line and paragraph separators, bidirectional controls and invisible format characters as
//    \u2028, \u202e, \u200b, \ufeff (U+00AD, U+061C, U+180E, U+200B-U+200F, U+2028-U+202E,
//    U+2060-U+206F, U+FEFF, U+FFF9-U+FFFB, tags U+E0000-U+E007F as \U000e0041);
//  - bytes that are not UTF-8 as \xff;
//  - the backslash itself as \\, so a printed "\n" is always an escape and never the text.
std::string TerminalSafe(absl::string_view text);

}  // namespace returns::client
