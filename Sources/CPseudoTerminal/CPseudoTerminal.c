#define _GNU_SOURCE
#include "CPseudoTerminal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int sitbreak_open_pseudo_terminal(char *path, size_t size) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -errno;
    if (grantpt(fd) < 0 || unlockpt(fd) < 0 || ptsname_r(fd, path, size) != 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}
