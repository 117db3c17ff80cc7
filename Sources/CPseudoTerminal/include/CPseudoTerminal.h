#ifndef SITBREAK_CPSEUDOTERMINAL_H
#define SITBREAK_CPSEUDOTERMINAL_H
/* Test support only (the terminal presence source's tests): not linked into the daemon. */
#include <stddef.h>

/* Opens a pseudo-terminal master (posix_openpt, grantpt, unlockpt, which Swift's Glibc module
 * does not export) and writes the slave's path into path; the master fd or -errno. */
int sitbreak_open_pseudo_terminal(char *path, size_t size);
#endif
