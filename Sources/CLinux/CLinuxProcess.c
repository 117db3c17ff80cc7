#define _GNU_SOURCE
#include "CLinuxProcess.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* A close-on-exec copy of fd at 3 or above (fd itself when it already is): the child's dup2 onto
 * 0, 1 and 2 must not clobber a pipe end that happens to sit there. */
static int above_standard(int fd) {
    if (fd > 2) return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    int error = errno;
    close(fd);
    errno = error;
    return moved;
}

static int cloexec_pipe(int ends[2]) {
    if (pipe2(ends, O_CLOEXEC) < 0) return -errno;
    ends[0] = above_standard(ends[0]);
    ends[1] = above_standard(ends[1]);
    if (ends[0] < 0 || ends[1] < 0) {
        int error = errno;
        if (ends[0] >= 0) close(ends[0]);
        if (ends[1] >= 0) close(ends[1]);
        return -error;
    }
    return 0;
}

static void close_pair(int ends[2]) {
    if (ends[0] >= 0) close(ends[0]);
    if (ends[1] >= 0) close(ends[1]);
}

/* Between fork and exec only async-signal-safe calls: the parent may have other threads (tests). */
static void exec_child(pid_t parent, const char *path, char *const argv[], char *const envp[], int out, int err,
                       int report) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127); /* the parent died before the line above */
    setpgid(0, 0);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &dfl, NULL); /* fails harmlessly for KILL, STOP */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) goto failed;
    /* Everything else closes at exec, including the report pipe, whose EOF tells the parent the
     * exec worked. */
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
        struct rlimit limit;
        int max = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < 65536 ? (int)limit.rlim_cur : 65536;
        for (int fd = 3; fd < max; fd++) fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    execve(path, argv, envp);
failed:;
    int error = errno;
    ssize_t ignored = write(report, &error, sizeof error);
    (void)ignored;
    _exit(127);
}

int sitbreak_spawn(const char *path, char *const argv[], char *const envp[], struct sitbreak_child *child) {
    int out[2] = {-1, -1}, err[2] = {-1, -1}, report[2] = {-1, -1};
    int result = cloexec_pipe(out);
    if (result == 0) result = cloexec_pipe(err);
    if (result == 0) result = cloexec_pipe(report);
    if (result == 0 && (fcntl(out[0], F_SETFL, O_NONBLOCK) < 0 || fcntl(err[0], F_SETFL, O_NONBLOCK) < 0))
        result = -errno;
    if (result != 0) {
        close_pair(out);
        close_pair(err);
        close_pair(report);
        return result;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) exec_child(parent, path, argv, envp, out[1], err[1], report[1]);
    int fork_error = errno;
    close(out[1]);
    close(err[1]);
    close(report[1]);
    if (pid < 0) {
        close(out[0]);
        close(err[0]);
        close(report[0]);
        return -fork_error;
    }
    int exec_error = 0;
    ssize_t n;
    do n = read(report[0], &exec_error, sizeof exec_error);
    while (n < 0 && errno == EINTR);
    close(report[0]);
    int pidfd = -1;
    if (n == (ssize_t)sizeof exec_error) {
        result = -exec_error;
    } else {
        pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        if (pidfd < 0) {
            result = -errno;
            kill(pid, SIGKILL);
        }
    }
    if (result != 0) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        close(out[0]);
        close(err[0]);
        return result;
    }
    child->pid = pid;
    child->pidfd = pidfd;
    child->stdout_fd = out[0];
    child->stderr_fd = err[0];
    return 0;
}

int sitbreak_child_reap(pid_t pid, int block, int *exit_code, int *signal_number) {
    int status = 0;
    pid_t reaped;
    do reaped = waitpid(pid, &status, block ? 0 : WNOHANG);
    while (reaped < 0 && errno == EINTR);
    if (reaped < 0) return -errno;
    if (reaped == 0) return 0;
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    *signal_number = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return 1;
}

int sitbreak_wait_readable(int fd, int timeout_ms) {
    struct pollfd entry = {.fd = fd, .events = POLLIN, .revents = 0};
    int n;
    do n = poll(&entry, 1, timeout_ms);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : n;
}

int sitbreak_unix_socket_probe(const char *path) {
    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    size_t length = strlen(path);
    if (length >= sizeof address.sun_path) return -ENAMETOOLONG;
    memcpy(address.sun_path, path, length);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -errno;
    int result = connect(fd, (struct sockaddr *)&address, sizeof address) < 0 ? -errno : 0;
    close(fd);
    /* A full backlog still means someone listens. */
    return result == -EAGAIN ? 0 : result;
}
