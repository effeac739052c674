#include <csignal>

#include "cli/cli.h"

int main(int argc, char** argv) {
  // A write past a file size limit (ulimit -f) fails as a full disk does, with an error the
  // command reports, instead of the signal ending the server half-way through a request.
  std::signal(SIGXFSZ, SIG_IGN);
  return candor::cli::run(argc, argv);
}
