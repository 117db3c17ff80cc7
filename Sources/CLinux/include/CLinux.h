#ifndef SITBREAK_CLINUX_H
#define SITBREAK_CLINUX_H
/* Linux interfaces the Swift Glibc module does not export (epoll, timerfd, signalfd, peer
 * credentials), wrapped where their structs are packed or need _GNU_SOURCE. */
#include <stdint.h>
#include <sys/types.h>
#include <signal.h>
// malloc_trim: the daemon gives back the pages a large reply (a year of statistics) used.
#include <malloc.h>

/* What sitbreak_epoll_control does with a descriptor. */
#define SITBREAK_EPOLL_ADD 1
#define SITBREAK_EPOLL_MODIFY 2
#define SITBREAK_EPOLL_REMOVE 3
/* Interest (sitbreak_epoll_control) and readiness (sitbreak_epoll_wait) bits. */
#define SITBREAK_EPOLL_READABLE 1u
#define SITBREAK_EPOLL_WRITABLE 2u
/* Readiness only: the peer hung up or the descriptor failed. */
#define SITBREAK_EPOLL_HANG_UP 4u

/* epoll_create1(EPOLL_CLOEXEC). */
int sitbreak_epoll_create(void);
/* SITBREAK_EPOLL_ADD, _MODIFY or _REMOVE `fd` with the interest bits `interest`; `token` comes
 * back with its readiness from sitbreak_epoll_wait (the caller's registration, so that a
 * descriptor number closed and reused cannot be mistaken for the old one). Returns 0 or -errno. */
int sitbreak_epoll_control(int epfd, int op, int fd, uint32_t interest, uint64_t token);
/* Waits up to timeout_ms (-1 = forever); fills tokens and readiness bits. Returns the count or
 * -errno. */
int sitbreak_epoll_wait(int epfd, uint64_t *tokens, uint32_t *flags, int max, int timeout_ms);

/* A non-blocking, close-on-exec eventfd (a loop's wake-up bell). */
int sitbreak_eventfd_create(void);
/* A CLOCK_REALTIME timerfd armed with TFD_TIMER_CANCEL_ON_SET: readable when the wall clock is
   set (NTP step, date -s, settimeofday). */
int sitbreak_clock_change_fd_create(void);
/* Arms it again after a change was read. */
int sitbreak_clock_change_fd_rearm(int fd);
/* Reads it: 1 when the wall clock was set since the last read, else 0. */
int sitbreak_clock_change_fd_read(int fd);
/* An inotify descriptor watching `directory` for files written, created, renamed in or removed. */
int sitbreak_zone_watch_create(const char *directory);
/* Drains it: 1 when one of the events named `name`, else 0. */
int sitbreak_zone_watch_read(int fd, const char *name);
/* An empty inotify descriptor (non-blocking, close-on-exec) for sitbreak_entry_watch_add. */
int sitbreak_entry_watch_create(void);
/* Watches `directory`'s entries being created, removed or renamed in or out (display servers'
   sockets appearing and going). Returns the watch number that events carry, or -errno. */
int sitbreak_entry_watch_add(int fd, const char *directory);
/* One event: the watch it came from and the entry's name. */
struct sitbreak_entry_event {
    int watch;
    char name[256];
};
/* Drains the descriptor into `events` (at most `max`). Returns the count, or -1 when events were
   lost (more than `max`, or the kernel's queue overflowed): the caller assumes anything changed.
   Events without a name (the directory itself went away) are left out. */
int sitbreak_entry_watch_read(int fd, struct sitbreak_entry_event *events, int max);
/* A non-blocking CLOCK_BOOTTIME timerfd. */
int sitbreak_timerfd_create(void);
/* A non-blocking CLOCK_REALTIME timerfd, for deadlines derived from file times (st_atime). */
int sitbreak_timerfd_create_realtime(void);
/* Arms the timer for an absolute instant in nanoseconds on the timer's own clock (CLOCK_BOOTTIME
 * or CLOCK_REALTIME); 0 disarms. */
int sitbreak_timerfd_arm(int fd, int64_t boottime_ns);

/* Blocks the signals that ask the process to end (SIGHUP, SIGTERM, SIGINT, SIGQUIT, SIGXCPU,
   SIGPWR) and returns a signalfd for them; ignores those whose default action would kill the
   daemon for nothing (SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGVTALRM, SIGPROF, SIGIO, SIGXFSZ,
   SIGSTKFLT, SIGTTIN, SIGTTOU, real-time signals). */
int sitbreak_signalfd_create(void);
/* Reads one signal number from a signalfd, 0 if none, -errno on error. */
int sitbreak_signalfd_read(int fd);

/* accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); the new fd or -errno. */
int sitbreak_accept(int fd);

/* The uid of the peer of a connected AF_UNIX socket (SO_PEERCRED); 0 or -errno. */
int sitbreak_peer_uid(int fd, uid_t *uid);

/* CLOCK_BOOTTIME, CLOCK_MONOTONIC and CLOCK_REALTIME in nanoseconds. */
int64_t sitbreak_boottime_ns(void);
int64_t sitbreak_monotonic_ns(void);
int64_t sitbreak_realtime_ns(void);
/* Supervised child processes (the swayidle presence source). */
#include "CLinuxProcess.h"
/* Drops this process's mappings of the pages of every loaded object's read-only segments (code,
 * constants, symbol tables: never written, so the kernel maps them again from the file when they
 * are next used). Start-up runs code that a waiting daemon never needs again, and the kernel maps
 * it 64 KiB at a time around each page used; this gives those pages back. Objects with text
 * relocations and the vDSO are left alone. Returns the bytes advised, or -errno. */
long sitbreak_release_read_only_pages(void);
#endif
