#include "cli/cli.h"

int main(int argc, char** argv) { return candor::cli::run(argc, argv); }
