#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <stdexcept>
#include <thread>

namespace candor::testing {
namespace {

pid_t spawn(const std::vector<std::string>& args, const std::string& cwd, int out_fd, int err_fd,
            int in_fd = -1) {
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(in_fd >= 0 ? in_fd : open("/dev/null", O_RDONLY), 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    if (chdir(cwd.c_str()) != 0) _exit(127);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

std::string drain(int fd) {
  std::string out;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
  return out;
}

int decode_status(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

}  // namespace

Finished run_to_end(const std::vector<std::string>& args, const std::string& cwd,
                    const std::string& input) {
  signal(SIGPIPE, SIG_IGN);  // A child that exits before reading its input must not kill us.
  int out[2];
  int err[2];
  int in[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 || pipe2(in, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  const pid_t pid = spawn(args, cwd, out[1], err[1], in[0]);
  close(out[1]);
  close(err[1]);
  close(in[0]);
  std::thread writer([&] {
    std::size_t done = 0;
    while (done < input.size()) {
      const ssize_t n = write(in[1], input.data() + done, input.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    close(in[1]);
  });
  std::string err_text;
  std::thread err_reader([&] { err_text = drain(err[0]); });
  std::string out_text = drain(out[0]);
  err_reader.join();
  writer.join();
  close(out[0]);
  close(err[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {decode_status(status), out_text, err_text};
}

Running::Running(const std::vector<std::string>& args, const std::string& cwd) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const int err_fd = open("/dev/null", O_WRONLY);
  pid_ = spawn(args, cwd, out[1], err_fd);
  close(out[1]);
  close(err_fd);
  out_fd_ = out[0];
}

Running::~Running() {
  if (!exited_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  close(out_fd_);
}

std::string Running::read_line(int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (auto newline = buffer_.find('\n'); newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {};
    pollfd p{out_fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
    char chunk[1024];
    const ssize_t n = read(out_fd_, chunk, sizeof chunk);
    if (n <= 0) return {};
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

void Running::send_signal(int signal) { kill(pid_, signal); }

int Running::wait(int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      return decode_status(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -2;
}

int announced_port(Running& server, int timeout_ms) {
  const std::regex listening("http://127.0.0.1:([0-9]+)/");
  for (int i = 0; i < 10; ++i) {
    const std::string line = server.read_line(timeout_ms);
    if (line.empty()) break;
    std::smatch m;
    if (std::regex_search(line, m, listening)) return std::stoi(m[1].str());
  }
  return 0;
}

}  // namespace candor::testing
