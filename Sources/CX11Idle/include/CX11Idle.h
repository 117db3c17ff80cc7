#ifndef SITBREAK_CX11IDLE_H
#define SITBREAK_CX11IDLE_H
/* X11 idle time for sitbreak's x11 presence source, with libX11, libXss and libXext loaded at
 * run time (dlopen): the daemon has no link-time X dependency and runs where no X library is
 * installed. Xlib's variadic and macro interfaces are wrapped in small non-variadic functions.
 *
 * One sitbreak_x11 is one connection; use it from one thread at a time. */
#include <stddef.h>
#include <stdint.h>

/* Why sitbreak_x11_open failed. */
enum {
    SITBREAK_X11_OK = 0,
    /* libX11.so.6 (or a function of it) could not be loaded; the detail holds dlerror(). */
    SITBREAK_X11_NO_LIBX11 = 1,
    /* libXss.so.1 (or a function of it) could not be loaded; the detail holds dlerror(). */
    SITBREAK_X11_NO_LIBXSS = 2,
    /* XOpenDisplay failed: no server there, or it refused us (authorization). */
    SITBREAK_X11_CANNOT_OPEN = 3,
    /* The server has no MIT-SCREEN-SAVER extension. */
    SITBREAK_X11_NO_SCREEN_SAVER = 4,
    /* The server is Xwayland (it has the XWAYLAND extension): it sees only input to X11 windows. */
    SITBREAK_X11_XWAYLAND = 5,
    /* Out of memory. */
    SITBREAK_X11_NO_MEMORY = 6,
};

typedef struct sitbreak_x11 sitbreak_x11;

/* Loads the libraries (once per process) and opens display_name (e.g. ":5"). Returns NULL on
 * failure with *status set to one of the codes above and, where there is one, a detail (the
 * loader's message) in detail. */
sitbreak_x11 *sitbreak_x11_open(const char *display_name, int *status, char *detail, size_t detail_size);

/* The connection's descriptor, for the event loop: readable when the server sent something
 * (an alarm event) or hung up. */
int sitbreak_x11_fd(const sitbreak_x11 *x);

/* Creates the XSync alarms on the server's IDLETIME counter at threshold_ms: one fires when the
 * idle time rises through it (the person went idle), one when it falls back below (input came
 * back), each as an event on the connection. Replaces alarms made before. Returns 0, or -1 with
 * the reason in detail when the server has no SYNC extension or IDLETIME counter or libXext
 * lacks the functions (the caller then polls). */
int sitbreak_x11_set_idle_alarms(sitbreak_x11 *x, uint64_t threshold_ms, char *detail, size_t detail_size);

/* The time since the last input on the server, in milliseconds (MIT-SCREEN-SAVER): 0, or -1
 * when the connection is broken. */
int sitbreak_x11_idle_ms(sitbreak_x11 *x, uint64_t *idle_ms);

/* Reads what the server sent without blocking and consumes every queued event. Returns the
 * number of alarm events among them (0 or more), or -1 when the connection is broken (the
 * server went away). */
int sitbreak_x11_dispatch(sitbreak_x11 *x);

/* Whether events are queued in Xlib's buffer (read along with a reply): the descriptor will
 * not become readable for them. */
int sitbreak_x11_queued(sitbreak_x11 *x);

/* Destroys the alarms (if the connection still works) and closes the connection. */
void sitbreak_x11_close(sitbreak_x11 *x);
#endif
