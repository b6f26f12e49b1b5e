#pragma once

#include <signal.h>

#include "service/flags.h"

namespace returns {

// The signals that stop returnsd: SIGTERM and SIGINT. main() blocks them before any thread
// starts, so every thread inherits the mask and only Serve() takes them (sigwait).
sigset_t StopSignals();

// Runs the service until SIGTERM/SIGINT and the drain after it (the threads are listed at the
// top of server/main.cc); the exit code. The stop signals must be blocked already.
int Serve(const Flags& flags);

}  // namespace returns
