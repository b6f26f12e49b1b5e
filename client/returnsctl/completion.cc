// returnsctl completion bash: a bash completion script generated from returnsctl's own command
// tree (every subcommand and option, at every level), so it never falls behind the CLI.
//   source <(returnsctl completion bash)
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

// One case arm per command path ("return create"): the words that may follow it.
void Walk(const CLI::App* app, const std::string& path,
          std::vector<std::pair<std::string, std::string>>* arms) {
  std::vector<std::string> words;
  for (const CLI::App* sub : app->get_subcommands({})) {
    words.push_back(sub->get_name());
    Walk(sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), arms);
  }
  for (const CLI::Option* option : app->get_options()) {
    for (const std::string& name : option->get_lnames()) words.push_back("--" + name);
    for (const std::string& name : option->get_snames()) words.push_back("-" + name);
  }
  arms->emplace_back(path, absl::StrJoin(words, " "));
}

}  // namespace

void AddCompletionCommand(CLI::App& app, CommandContext& context) {
  auto* completion =
      app.add_subcommand("completion", "print a shell completion script: completion bash");
  auto shell = std::make_shared<std::string>("bash");
  completion->add_option("shell", *shell, "bash (the only one so far)")->capture_default_str();
  CLI::App* root = &app;
  completion->callback([root, shell, &context] {
    if (*shell != "bash") {
      std::cerr << "error: only bash completion is generated\n";
      context.rc = 2;
      return;
    }
    std::vector<std::pair<std::string, std::string>> arms;
    Walk(root, "", &arms);
    std::cout << "# bash completion for returnsctl: source <(returnsctl completion bash)\n"
              << "_returnsctl() {\n"
              << "  local cur=${COMP_WORDS[COMP_CWORD]} path=\"\" w\n"
              << "  # the command path so far: the words that are not options or their values\n"
              << "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
              << "    w=${COMP_WORDS[i]}\n"
              << "    [[ $w == -* ]] && continue\n"
              << "    case \"${path:+$path }$w\" in\n";
    for (const auto& [path, words] : arms) {
      if (!path.empty()) std::cout << "      \"" << path << "\") path=\"" << path << "\" ;;\n";
    }
    std::cout << "    esac\n"
              << "  done\n"
              << "  local words\n"
              << "  case \"$path\" in\n";
    for (const auto& [path, words] : arms) {
      std::cout << "    \"" << path << "\") words=\"" << words << "\" ;;\n";
    }
    std::cout << "  esac\n"
              << "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
              << "}\n"
              << "complete -F _returnsctl returnsctl\n";
  });
}

}  // namespace returns::client
