#pragma once

#include <sys/types.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace returns::testing {

// The key ring the suite's servers seal merchants' secrets under (--secret_keys), unless a test
// names its own: a test-only key, never one of a real installation.
inline constexpr char kTestSecretKeys[] =
    "test1:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

// The real returnsd binary, started on a free port (--listen 127.0.0.1:0; the port is read from
// its "listening" log line) against a test database, for end-to-end tests.
class ServerProcess {
 public:
  // Starts returnsd and waits until it is ready (listening, its database prepared), or only
  // until it listens when `wait_until_ready` is false (a database that is not there yet);
  // throws if it exits or does not get there in time.
  ServerProcess(const std::string& database_url, std::vector<std::string> extra_args = {},
                bool wait_until_ready = true);
  ~ServerProcess();  // SIGKILL if still running

  int port() const { return port_; }
  std::string address() const;

  // Sends SIGTERM and waits for the exit; returns the exit status (or -1 after a timeout).
  int Terminate(absl::Duration timeout = absl::Seconds(30));
  // SIGKILL, as a crash would.
  void Kill();
  // Any other signal (SIGSTOP, SIGCONT), without waiting.
  void Signal(int signal_number);
  bool running();

  // Everything the process wrote to stderr so far (its JSON log lines).
  std::string logs() const;

  // Runs returnsd with `args` to completion; returns its exit code and output (stdout+stderr).
  static int RunToCompletion(const std::vector<std::string>& args, std::string* output);

 private:
  void ReadLogs(int fd);

  pid_t pid_ = -1;
  int port_ = 0;
  bool ready_ = false;  // guarded by mu_ once the reader runs
  std::thread reader_;
  mutable absl::Mutex mu_;
  std::string logs_ ABSL_GUARDED_BY(mu_);
  bool output_closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace returns::testing
