#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace returns::testing {

// A helper server of the suite written as a script (the Node webhook receiver, the fake
// EasyPost): started with `argv` (argv[0] is looked up on PATH), it prints "listening <port>"
// on stdout once it serves 127.0.0.1:<port>. Dies with the test process; SIGTERM on
// destruction. Throws std::runtime_error when it does not start.
class ScriptProcess {
 public:
  explicit ScriptProcess(const std::vector<std::string>& argv);
  ~ScriptProcess();
  ScriptProcess(const ScriptProcess&) = delete;
  ScriptProcess& operator=(const ScriptProcess&) = delete;

  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace returns::testing
