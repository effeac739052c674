// Runs the built `candor` binary as a user would, for black-box CLI tests.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace candor::testing {

struct Finished {
  int exit_code;  // -1 when killed by a signal.
  std::string out;
  std::string err;
};

// Runs `args` (args[0] is the program) to completion in `cwd`, feeding `input` on standard
// input (then end of file).
Finished run_to_end(const std::vector<std::string>& args, const std::string& cwd = ".",
                    const std::string& input = "");

// A process left running; its standard output can be read line by line.
class Running {
 public:
  explicit Running(const std::vector<std::string>& args, const std::string& cwd = ".");
  ~Running();
  Running(const Running&) = delete;
  Running& operator=(const Running&) = delete;

  // The next line of standard output, waiting up to `timeout_ms`; empty on timeout or end.
  std::string read_line(int timeout_ms);
  void send_signal(int signal);
  pid_t pid() const { return pid_; }
  // Waits up to `timeout_ms` for exit; returns the exit code, -1 for a signal, -2 on timeout.
  int wait(int timeout_ms);

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  bool exited_ = false;
};

// The port a `candor serve` started with --listen 127.0.0.1:0 announces on its standard output
// ("... listening on http://127.0.0.1:PORT/"), or 0 when it says nothing of the kind in time.
int announced_port(Running& server, int timeout_ms = 60000);

}  // namespace candor::testing
