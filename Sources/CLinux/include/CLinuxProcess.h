#ifndef SITBREAK_CLINUX_PROCESS_H
#define SITBREAK_CLINUX_PROCESS_H
/* Supervised child processes: fork/exec with what a daemon's child needs (Swift's Glibc module
 * has no usable fork, and posix_spawn cannot set a parent-death signal), a pidfd to learn of the
 * child's exit in the event loop without touching SIGCHLD, and a probe of Unix sockets. */
#include <sys/types.h>

/* A child process started by sitbreak_spawn: its pid, a pidfd that becomes readable when it
 * exits, and the read ends (non-blocking, close-on-exec) of pipes on its stdout and stderr. */
struct sitbreak_child {
    pid_t pid;
    int pidfd;
    int stdout_fd;
    int stderr_fd;
};

/* Starts the program `path` with argv and envp (NULL-terminated) as a supervised child: stdin
 * from /dev/null, stdout and stderr into pipes, in a process group of its own (a terminal's
 * Ctrl-C is the parent's business), with an empty signal mask and default signal dispositions
 * (the daemon blocks SIGTERM and ignores SIGPIPE, which a child would otherwise inherit), no
 * other descriptor of the parent, and SIGTERM when the calling thread ends (PR_SET_PDEATHSIG:
 * no orphan outlives a killed daemon; the calling thread must outlive the child). Returns 0,
 * or -errno when the program could not be started (exec's own errno, e.g. -ENOENT), leaving
 * nothing behind. Needs Linux >= 5.3 (pidfd_open). */
int sitbreak_spawn(const char *path, char *const argv[], char *const envp[], struct sitbreak_child *child);

/* Reaps the child `pid`, blocking or not: 1 when it was reaped, with *exit_code set (or, when a
 * signal ended it, *signal_number set and *exit_code -1); 0 while it runs; -errno on error. */
int sitbreak_child_reap(pid_t pid, int block, int *exit_code, int *signal_number);

/* Waits up to timeout_ms for fd to become readable (a pidfd: for its process to exit): 1 when
 * it is, 0 on timeout, -errno on error. */
int sitbreak_wait_readable(int fd, int timeout_ms);

/* Whether something accepts connections on the Unix stream socket `path`: 0, or -errno
 * (-ENOENT: no such file, -ECONNREFUSED: nobody listens, -ENAMETOOLONG: the path is too long for
 * sockaddr_un). Connects and closes at once. */
int sitbreak_unix_socket_probe(const char *path);
#endif
