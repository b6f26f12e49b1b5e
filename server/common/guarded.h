#pragma once

#include <exception>
#include <string>

#include "common/log.h"

namespace returns {

// Runs one step of a long-lived thread (an executor task, a job pass, a sweep, a metrics read)
// so that an exception it lets escape is logged and the thread goes on: an exception leaving a
// std::thread's body would end the whole process. Database errors are already turned into
// statuses by RunTransaction; this is for what slips past (a malformed job payload, bad_alloc).
template <class Step>
void RunGuarded(const char* what, Step&& step) noexcept {
  try {
    step();
  } catch (const std::exception& e) {
    log::Error("unexpected exception; carrying on",
               {{"in", what}, {"error", std::string(e.what()).substr(0, 200)}});
  } catch (...) {
    log::Error("unexpected exception; carrying on", {{"in", what}});
  }
}

}  // namespace returns
