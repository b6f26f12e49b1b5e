#include "server_process.h"

#include <algorithm>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace returns::testing {
namespace {

pid_t Spawn(const std::vector<std::string>& args, int* read_fd) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(pipe_fds[1], STDERR_FILENO);
    dup2(pipe_fds[1], STDOUT_FILENO);
    // The test process may have signals blocked; returnsd sets up its own.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<char*> argv;
    std::string binary = RETURNSD_PATH;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  *read_fd = pipe_fds[0];
  return pid;
}

}  // namespace

ServerProcess::ServerProcess(const std::string& database_url, std::vector<std::string> extra_args,
                             bool wait_until_ready) {
  std::vector<std::string> args = {"--database_url", database_url};
  // A free port unless the test names one (a restart on the same address).
  if (std::find(extra_args.begin(), extra_args.end(), "--listen") == extra_args.end()) {
    args.insert(args.begin(), {"--listen", "127.0.0.1:0"});
  }
  if (std::find(extra_args.begin(), extra_args.end(), "--drain_seconds") == extra_args.end()) {
    args.insert(args.end(), {"--drain_seconds", "10"});
  }
  // The sandbox damage model is opt-in; the suite's servers score photos with it unless a test
  // says --sandbox_damage_assessor=false (a server with no assessor, as in production).
  if (std::none_of(extra_args.begin(), extra_args.end(), [](const std::string& arg) {
        return arg.rfind("--sandbox_damage_assessor", 0) == 0;
      })) {
    args.emplace_back("--sandbox_damage_assessor");
  }
  // The suite's servers keep secrets under a fixed test key ring and may send webhooks to the
  // suite's receivers on loopback, unless a test names its own.
  if (std::none_of(extra_args.begin(), extra_args.end(),
                   [](const std::string& arg) { return arg.rfind("--secret_keys", 0) == 0; })) {
    args.insert(args.end(), {"--secret_keys", std::string(kTestSecretKeys)});
  }
  if (std::none_of(extra_args.begin(), extra_args.end(), [](const std::string& arg) {
        return arg.rfind("--webhook_allow_insecure", 0) == 0;
      })) {
    args.emplace_back("--webhook_allow_insecure");
  }
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  int fd = -1;
  pid_ = Spawn(args, &fd);
  reader_ = std::thread([this, fd] { ReadLogs(fd); });
  absl::Time give_up = absl::Now() + absl::Seconds(30);
  absl::MutexLock lock(&mu_);
  auto started = [this, wait_until_ready]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return (port_ != 0 && (ready_ || !wait_until_ready)) || output_closed_;
  };
  mu_.AwaitWithDeadline(absl::Condition(&started), give_up);
  if (port_ == 0 || (wait_until_ready && !ready_)) {
    std::string seen = logs_;
    mu_.Unlock();
    Kill();
    reader_.join();  // a joinable thread must not outlive a constructor that throws
    mu_.Lock();
    throw std::runtime_error("returnsd did not start listening:\n" + seen);
  }
}

ServerProcess::~ServerProcess() {
  Kill();
  if (reader_.joinable()) reader_.join();
}

std::string ServerProcess::address() const { return absl::StrCat("127.0.0.1:", port_); }

void ServerProcess::ReadLogs(int fd) {
  char buffer[4096];
  std::string partial;
  while (true) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    partial.append(buffer, static_cast<size_t>(n));
    size_t newline;
    while ((newline = partial.find('\n')) != std::string::npos) {
      std::string line = partial.substr(0, newline);
      partial.erase(0, newline + 1);
      absl::MutexLock lock(&mu_);
      logs_ += line + "\n";
      auto parsed = nlohmann::json::parse(line, nullptr, false);
      if (parsed.is_object() && parsed.value("msg", "") == "listening") {
        port_ = parsed.value("port", 0);
      }
      if (parsed.is_object() && parsed.value("msg", "") == "ready") ready_ = true;
    }
  }
  close(fd);
  absl::MutexLock lock(&mu_);
  output_closed_ = true;
}

void ServerProcess::Signal(int signal_number) {
  if (pid_ > 0) kill(pid_, signal_number);
}

int ServerProcess::Terminate(absl::Duration timeout) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  absl::Time give_up = absl::Now() + timeout;
  while (absl::Now() < give_up) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return -1;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

bool ServerProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

std::string ServerProcess::logs() const {
  absl::MutexLock lock(&mu_);
  return logs_;
}

int ServerProcess::RunToCompletion(const std::vector<std::string>& args, std::string* output) {
  int fd = -1;
  pid_t pid = Spawn(args, &fd);
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) output->append(buffer, static_cast<size_t>(n));
  close(fd);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace returns::testing
