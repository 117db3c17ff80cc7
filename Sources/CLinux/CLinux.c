#define _GNU_SOURCE
#include "CLinux.h"

#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int sitbreak_epoll_create(void) {
    int fd = epoll_create1(EPOLL_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int sitbreak_epoll_control(int epfd, int op, int fd, uint32_t interest, uint64_t token) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    /* EPOLLRDHUP only with EPOLLIN: a half-closed peer stays "hung up" (level-triggered), so a
       descriptor that is not being read must not watch for it or the loop would spin. */
    ev.events = ((interest & SITBREAK_EPOLL_READABLE) ? (EPOLLIN | EPOLLRDHUP) : 0) |
                ((interest & SITBREAK_EPOLL_WRITABLE) ? EPOLLOUT : 0);
    ev.data.u64 = token;
    int real_op;
    switch (op) {
    case SITBREAK_EPOLL_ADD: real_op = EPOLL_CTL_ADD; break;
    case SITBREAK_EPOLL_MODIFY: real_op = EPOLL_CTL_MOD; break;
    case SITBREAK_EPOLL_REMOVE: real_op = EPOLL_CTL_DEL; break;
    default: return -EINVAL;
    }
    return epoll_ctl(epfd, real_op, fd, &ev) < 0 ? -errno : 0;
}

int sitbreak_epoll_wait(int epfd, uint64_t *tokens, uint32_t *flags, int max, int timeout_ms) {
    struct epoll_event events[64];
    if (max > 64) max = 64;
    int n = epoll_wait(epfd, events, max, timeout_ms);
    if (n < 0) return -errno;
    for (int i = 0; i < n; i++) {
        tokens[i] = events[i].data.u64;
        uint32_t e = events[i].events;
        flags[i] = ((e & EPOLLIN) ? SITBREAK_EPOLL_READABLE : 0u) | ((e & EPOLLOUT) ? SITBREAK_EPOLL_WRITABLE : 0u) |
                   ((e & (EPOLLHUP | EPOLLERR | EPOLLRDHUP)) ? SITBREAK_EPOLL_HANG_UP : 0u);
    }
    return n;
}

int sitbreak_timerfd_create(void) {
    int fd = timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC | TFD_NONBLOCK);
    return fd < 0 ? -errno : fd;
}

int sitbreak_eventfd_create(void) {
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return fd < 0 ? -errno : fd;
}

int sitbreak_timerfd_create_realtime(void) {
    int fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
    return fd < 0 ? -errno : fd;
}

int sitbreak_timerfd_arm(int fd, int64_t boottime_ns) {
    struct itimerspec spec;
    memset(&spec, 0, sizeof spec);
    if (boottime_ns > 0) {
        spec.it_value.tv_sec = boottime_ns / 1000000000LL;
        spec.it_value.tv_nsec = boottime_ns % 1000000000LL;
    }
    return timerfd_settime(fd, TFD_TIMER_ABSTIME, &spec, NULL) < 0 ? -errno : 0;
}

int sitbreak_clock_change_fd_create(void) {
    int fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
    if (fd < 0) return -errno;
    int armed = sitbreak_clock_change_fd_rearm(fd);
    if (armed < 0) {
        close(fd);
        return armed;
    }
    return fd;
}

int sitbreak_clock_change_fd_rearm(int fd) {
    /* Far in the future: the timer never expires; it exists to be cancelled by a clock change. */
    struct itimerspec spec;
    memset(&spec, 0, sizeof spec);
    spec.it_value.tv_sec = (time_t)1 << 40;
    return timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, NULL) < 0 ? -errno : 0;
}

int sitbreak_clock_change_fd_read(int fd) {
    uint64_t expirations;
    ssize_t n = read(fd, &expirations, sizeof expirations);
    if (n < 0) return errno == ECANCELED ? 1 : 0;
    return 0;
}

int sitbreak_zone_watch_create(const char *directory) {
    int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (fd < 0) return -errno;
    /* timedatectl replaces the /etc/localtime symlink by a rename; editors write in place. */
    if (inotify_add_watch(fd, directory, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}

int sitbreak_zone_watch_read(int fd, const char *name) {
    char buffer[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    int matched = 0;
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        for (char *p = buffer; p < buffer + n;) {
            struct inotify_event *event = (struct inotify_event *)p;
            if (event->len > 0 && strcmp(event->name, name) == 0) matched = 1;
            p += sizeof(struct inotify_event) + event->len;
        }
    }
    return matched;
}

int sitbreak_entry_watch_create(void) {
    int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    return fd < 0 ? -errno : fd;
}

int sitbreak_entry_watch_add(int fd, const char *directory) {
    /* A socket is created by bind() (IN_CREATE) and removed by unlink() (IN_DELETE); the renames
       cover a server that binds under a temporary name. Nothing written or read is watched: a
       busy runtime directory wakes the reader only when entries come and go. */
    int watch = inotify_add_watch(
        fd, directory, IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_ONLYDIR);
    return watch < 0 ? -errno : watch;
}

int sitbreak_entry_watch_read(int fd, struct sitbreak_entry_event *events, int max) {
    char buffer[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    int count = 0;
    int lost = 0;
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        for (char *p = buffer; p < buffer + n;) {
            struct inotify_event *event = (struct inotify_event *)p;
            p += sizeof(struct inotify_event) + event->len;
            if (event->mask & IN_Q_OVERFLOW) {
                lost = 1;
                continue;
            }
            if (event->len == 0) continue;
            if (count == max || strlen(event->name) >= sizeof events[0].name) {
                lost = 1;
                continue;
            }
            events[count].watch = event->wd;
            strcpy(events[count].name, event->name);
            count++;
        }
    }
    return lost ? -1 : count;
}

int sitbreak_signalfd_create(void) {
    /* Signals that ask the process to end: read from the signalfd, answered by saving and
       stopping (SIGHUP: reloading). SIGQUIT (a core dump by default), SIGXCPU (the soft CPU limit;
       SIGKILL follows at the hard one) and SIGPWR (power failing) end the daemon like SIGTERM:
       a saved state matters more than a core. */
    static const int stopping[] = {SIGHUP, SIGTERM, SIGINT, SIGQUIT, SIGXCPU, SIGPWR};
    /* Signals that mean nothing to sitbreakd but whose default action kills: ignored. SIGXFSZ
       ignored makes an oversized write fail with EFBIG, which the save reports. Children get the
       default dispositions back (sitbreak_child_spawn). Faults (SIGSEGV, SIGBUS, SIGILL, SIGFPE,
       SIGABRT, SIGTRAP, SIGSYS) and job control keep their defaults. */
    static const int ignored[] = {SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGVTALRM, SIGPROF, SIGIO, SIGXFSZ,
                                  SIGSTKFLT, SIGTTIN, SIGTTOU};
    sigset_t mask;
    sigemptyset(&mask);
    for (size_t i = 0; i < sizeof stopping / sizeof stopping[0]; i++) sigaddset(&mask, stopping[i]);
    if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0) return -errno;
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) signal(ignored[i], SIG_IGN);
    /* Real-time signals terminate by default too. */
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) signal(sig, SIG_IGN);
    int fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    return fd < 0 ? -errno : fd;
}

int sitbreak_signalfd_read(int fd) {
    struct signalfd_siginfo info;
    ssize_t n = read(fd, &info, sizeof info);
    if (n < 0) return errno == EAGAIN ? 0 : -errno;
    if (n != sizeof info) return 0;
    return (int)info.ssi_signo;
}

int sitbreak_accept(int fd) {
    int client = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    return client < 0 ? -errno : client;
}

int sitbreak_peer_uid(int fd, uid_t *uid) {
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) return -errno;
    *uid = cred.uid;
    return 0;
}

static int64_t clock_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t sitbreak_boottime_ns(void) { return clock_ns(CLOCK_BOOTTIME); }
int64_t sitbreak_monotonic_ns(void) { return clock_ns(CLOCK_MONOTONIC); }
int64_t sitbreak_realtime_ns(void) { return clock_ns(CLOCK_REALTIME); }

/* dl_iterate_phdr callback for sitbreak_release_read_only_pages: `data` accumulates the bytes
 * advised, or holds -errno after a failure. */
static int release_read_only_segments(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    long *total = data;
    if (*total < 0) return 0;
    /* The main program has an empty name and libraries a path; the vDSO ("linux-vdso.so.1") is
     * the kernel's own mapping, not a file to map back from. */
    if (info->dlpi_name[0] != 0 && info->dlpi_name[0] != '/') return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_DYNAMIC) continue;
        /* Text relocations write into read-only segments: those pages are private copies. */
        for (const ElfW(Dyn) *d = (const ElfW(Dyn) *)(info->dlpi_addr + ph->p_vaddr); d->d_tag != DT_NULL; d++) {
            if (d->d_tag == DT_TEXTREL || (d->d_tag == DT_FLAGS && (d->d_un.d_val & DF_TEXTREL))) return 0;
        }
    }
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        /* A writable segment holds relocated data and variables (RELRO included): never. */
        if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W)) continue;
        uintptr_t start = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
        uintptr_t end = (info->dlpi_addr + ph->p_vaddr + ph->p_filesz + page - 1) & ~(page - 1);
        if (madvise((void *)start, end - start, MADV_DONTNEED) < 0) {
            *total = -errno;
            return 1;
        }
        *total += (long)(end - start);
    }
    return 0;
}

long sitbreak_release_read_only_pages(void) {
    long total = 0;
    dl_iterate_phdr(release_read_only_segments, &total);
    return total;
}
