#define _GNU_SOURCE
#include "CX11Idle.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* The few Xlib, MIT-SCREEN-SAVER and SYNC types used here, declared rather than included so
 * that building needs no X headers. They are the libraries' stable ABI (X11R6, 1994; Xss 1.0;
 * Xext's SYNC 3.0), as in <X11/Xlib.h>, <X11/extensions/scrnsaver.h> and
 * <X11/extensions/sync.h>. */
typedef struct _XDisplay Display;
typedef unsigned long XID;
typedef XID Window;
typedef XID XSyncCounter;
typedef XID XSyncAlarm;
typedef int Bool;
typedef int Status;

typedef union {
    int type;
    long pad[24];
} XEvent;

typedef struct {
    int type;
    Display *display;
    XID resourceid;
    unsigned long serial;
    unsigned char error_code;
    unsigned char request_code;
    unsigned char minor_code;
} XErrorEvent;

typedef struct {
    Window window;
    int state;
    int kind;
    unsigned long til_or_since;
    unsigned long idle;
    unsigned long eventMask;
} XScreenSaverInfo;

typedef struct {
    int hi;
    unsigned int lo;
} XSyncValue;

typedef struct {
    char *name;
    XSyncCounter counter;
    XSyncValue resolution;
} XSyncSystemCounter;

typedef struct {
    XSyncCounter counter;
    int value_type; /* XSyncValueType */
    XSyncValue wait_value;
    int test_type; /* XSyncTestType */
} XSyncTrigger;

typedef struct {
    XSyncTrigger trigger;
    XSyncValue delta;
    Bool events;
    int state; /* XSyncAlarmState */
} XSyncAlarmAttributes;

typedef struct {
    int type;
    unsigned long serial;
    Bool send_event;
    Display *display;
    XSyncAlarm alarm;
    XSyncValue counter_value;
    XSyncValue alarm_value;
    unsigned long time;
    int state;
} XSyncAlarmNotifyEvent;

enum { QueuedAlready = 0 };
enum { XSyncAbsolute = 0 };
enum { XSyncPositiveTransition = 0, XSyncNegativeTransition = 1 };
enum { XSyncAlarmNotify = 1 };
#define XSyncCACounter (1L << 0)
#define XSyncCAValueType (1L << 1)
#define XSyncCAValue (1L << 2)
#define XSyncCATestType (1L << 3)
#define XSyncCADelta (1L << 4)
#define XSyncCAEvents (1L << 5)

typedef int (*XErrorHandler)(Display *, XErrorEvent *);
typedef int (*XIOErrorHandler)(Display *);
typedef void (*XIOErrorExitHandler)(Display *, void *);

/* The functions, found with dlsym. */
static struct {
    Display *(*XOpenDisplay)(const char *);
    int (*XCloseDisplay)(Display *);
    int (*XConnectionNumber)(Display *);
    Window (*XDefaultRootWindow)(Display *);
    Bool (*XQueryExtension)(Display *, const char *, int *, int *, int *);
    int (*XPending)(Display *);
    int (*XEventsQueued)(Display *, int);
    int (*XNextEvent)(Display *, XEvent *);
    int (*XSync)(Display *, Bool);
    int (*XFree)(void *);
    XErrorHandler (*XSetErrorHandler)(XErrorHandler);
    XIOErrorHandler (*XSetIOErrorHandler)(XIOErrorHandler);
    /* libX11 1.7 (2020) and later; without it an I/O error inside Xlib ends the process. */
    void (*XSetIOErrorExitHandler)(Display *, XIOErrorExitHandler, void *);

    Bool (*XScreenSaverQueryExtension)(Display *, int *, int *);
    XScreenSaverInfo *(*XScreenSaverAllocInfo)(void);
    Status (*XScreenSaverQueryInfo)(Display *, XID, XScreenSaverInfo *);

    /* libXext's SYNC functions; all NULL when libXext or one of them is missing. */
    Bool (*XSyncQueryExtension)(Display *, int *, int *);
    Status (*XSyncInitialize)(Display *, int *, int *);
    XSyncSystemCounter *(*XSyncListSystemCounters)(Display *, int *);
    void (*XSyncFreeSystemCounterList)(XSyncSystemCounter *);
    XSyncAlarm (*XSyncCreateAlarm)(Display *, unsigned long, XSyncAlarmAttributes *);
    Status (*XSyncDestroyAlarm)(Display *, XSyncAlarm);
} X;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_status = SITBREAK_X11_OK;
static char load_detail[256];
static int have_sync;

/* The error of the last failed request on this thread (Xlib reports them through a global
 * handler, on the thread that reads the reply); the default handler would end the process. */
static _Thread_local int last_error_code;

static int on_error(Display *display, XErrorEvent *event) {
    (void)display;
    last_error_code = event->error_code;
    return 0;
}

/* Silent: the caller learns of the broken connection from the exit handler below. */
static int on_io_error(Display *display) {
    (void)display;
    return 0;
}

struct sitbreak_x11 {
    Display *display;
    int fd;
    int broken;
    int sync_event_base;
    XSyncCounter idle_counter;
    XSyncAlarm rising;
    XSyncAlarm falling;
    XScreenSaverInfo *info;
};

/* Called by Xlib instead of exit() when the connection breaks: mark it and return, so that the
 * daemon lives on and falls back to another source. */
static void on_io_error_exit(Display *display, void *data) {
    (void)display;
    ((struct sitbreak_x11 *)data)->broken = 1;
}

static void copy_text(char *to, size_t size, const char *text) {
    if (to == NULL || size == 0) return;
    snprintf(to, size, "%s", text ? text : "");
}

static void *find(void *library, const char *name, int *missing) {
    void *symbol = dlsym(library, name);
    if (symbol == NULL) *missing = 1;
    return symbol;
}

static void load(void) {
    void *x11 = dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL);
    if (x11 == NULL) {
        load_status = SITBREAK_X11_NO_LIBX11;
        copy_text(load_detail, sizeof load_detail, dlerror());
        return;
    }
    int missing = 0;
    *(void **)&X.XOpenDisplay = find(x11, "XOpenDisplay", &missing);
    *(void **)&X.XCloseDisplay = find(x11, "XCloseDisplay", &missing);
    *(void **)&X.XConnectionNumber = find(x11, "XConnectionNumber", &missing);
    *(void **)&X.XDefaultRootWindow = find(x11, "XDefaultRootWindow", &missing);
    *(void **)&X.XQueryExtension = find(x11, "XQueryExtension", &missing);
    *(void **)&X.XPending = find(x11, "XPending", &missing);
    *(void **)&X.XEventsQueued = find(x11, "XEventsQueued", &missing);
    *(void **)&X.XNextEvent = find(x11, "XNextEvent", &missing);
    *(void **)&X.XSync = find(x11, "XSync", &missing);
    *(void **)&X.XFree = find(x11, "XFree", &missing);
    *(void **)&X.XSetErrorHandler = find(x11, "XSetErrorHandler", &missing);
    *(void **)&X.XSetIOErrorHandler = find(x11, "XSetIOErrorHandler", &missing);
    if (missing) {
        load_status = SITBREAK_X11_NO_LIBX11;
        copy_text(load_detail, sizeof load_detail, "libX11.so.6 lacks a function of X11R6");
        return;
    }
    *(void **)&X.XSetIOErrorExitHandler = dlsym(x11, "XSetIOErrorExitHandler");

    void *xss = dlopen("libXss.so.1", RTLD_NOW | RTLD_LOCAL);
    if (xss == NULL) {
        load_status = SITBREAK_X11_NO_LIBXSS;
        copy_text(load_detail, sizeof load_detail, dlerror());
        return;
    }
    *(void **)&X.XScreenSaverQueryExtension = find(xss, "XScreenSaverQueryExtension", &missing);
    *(void **)&X.XScreenSaverAllocInfo = find(xss, "XScreenSaverAllocInfo", &missing);
    *(void **)&X.XScreenSaverQueryInfo = find(xss, "XScreenSaverQueryInfo", &missing);
    if (missing) {
        load_status = SITBREAK_X11_NO_LIBXSS;
        copy_text(load_detail, sizeof load_detail, "libXss.so.1 lacks XScreenSaverQueryInfo");
        return;
    }

    /* libXss depends on libXext, so this finds the copy already loaded. */
    void *xext = dlopen("libXext.so.6", RTLD_NOW | RTLD_LOCAL);
    if (xext != NULL) {
        int sync_missing = 0;
        *(void **)&X.XSyncQueryExtension = find(xext, "XSyncQueryExtension", &sync_missing);
        *(void **)&X.XSyncInitialize = find(xext, "XSyncInitialize", &sync_missing);
        *(void **)&X.XSyncListSystemCounters = find(xext, "XSyncListSystemCounters", &sync_missing);
        *(void **)&X.XSyncFreeSystemCounterList = find(xext, "XSyncFreeSystemCounterList", &sync_missing);
        *(void **)&X.XSyncCreateAlarm = find(xext, "XSyncCreateAlarm", &sync_missing);
        *(void **)&X.XSyncDestroyAlarm = find(xext, "XSyncDestroyAlarm", &sync_missing);
        have_sync = !sync_missing;
    }

    /* Process-wide: Xlib's defaults print and exit(). Nothing else in the daemon uses Xlib. */
    X.XSetErrorHandler(on_error);
    X.XSetIOErrorHandler(on_io_error);
}

sitbreak_x11 *sitbreak_x11_open(const char *display_name, int *status, char *detail, size_t detail_size) {
    copy_text(detail, detail_size, "");
    pthread_once(&load_once, load);
    if (load_status != SITBREAK_X11_OK) {
        *status = load_status;
        copy_text(detail, detail_size, load_detail);
        return NULL;
    }
    struct sitbreak_x11 *x = calloc(1, sizeof *x);
    if (x == NULL) {
        *status = SITBREAK_X11_NO_MEMORY;
        return NULL;
    }
    x->display = X.XOpenDisplay(display_name);
    if (x->display == NULL) {
        free(x);
        *status = SITBREAK_X11_CANNOT_OPEN;
        return NULL;
    }
    x->fd = X.XConnectionNumber(x->display);
    if (X.XSetIOErrorExitHandler) X.XSetIOErrorExitHandler(x->display, on_io_error_exit, x);
    int opcode, event_base, error_base;
    *status = SITBREAK_X11_OK;
    if (X.XQueryExtension(x->display, "XWAYLAND", &opcode, &event_base, &error_base)) {
        *status = SITBREAK_X11_XWAYLAND;
    } else if (!X.XScreenSaverQueryExtension(x->display, &event_base, &error_base)) {
        *status = SITBREAK_X11_NO_SCREEN_SAVER;
    } else if ((x->info = X.XScreenSaverAllocInfo()) == NULL) {
        *status = SITBREAK_X11_NO_MEMORY;
    }
    if (*status != SITBREAK_X11_OK) {
        sitbreak_x11_close(x);
        return NULL;
    }
    return x;
}

int sitbreak_x11_fd(const sitbreak_x11 *x) { return x->fd; }

static XSyncValue sync_value(uint64_t value) {
    XSyncValue v = {(int)(value >> 32), (unsigned int)(value & 0xffffffffu)};
    return v;
}

static XSyncAlarm create_alarm(sitbreak_x11 *x, uint64_t threshold_ms, int test_type) {
    XSyncAlarmAttributes attributes;
    memset(&attributes, 0, sizeof attributes);
    attributes.trigger.counter = x->idle_counter;
    attributes.trigger.value_type = XSyncAbsolute;
    attributes.trigger.wait_value = sync_value(threshold_ms);
    attributes.trigger.test_type = test_type;
    /* A delta of 0 keeps a transition alarm armed: it fires at every crossing. */
    attributes.delta = sync_value(0);
    attributes.events = 1;
    return X.XSyncCreateAlarm(
        x->display, XSyncCACounter | XSyncCAValueType | XSyncCAValue | XSyncCATestType | XSyncCADelta | XSyncCAEvents,
        &attributes);
}

static void destroy_alarms(sitbreak_x11 *x) {
    if (x->rising) X.XSyncDestroyAlarm(x->display, x->rising);
    if (x->falling) X.XSyncDestroyAlarm(x->display, x->falling);
    x->rising = x->falling = 0;
}

int sitbreak_x11_set_idle_alarms(sitbreak_x11 *x, uint64_t threshold_ms, char *detail, size_t detail_size) {
    copy_text(detail, detail_size, "");
    if (x->broken) {
        copy_text(detail, detail_size, "the connection to the X server is broken");
        return -1;
    }
    if (!have_sync) {
        copy_text(detail, detail_size, "libXext.so.6 has no XSync functions");
        return -1;
    }
    if (x->idle_counter == 0) {
        int event_base, error_base, major, minor;
        if (!X.XSyncQueryExtension(x->display, &event_base, &error_base) ||
            !X.XSyncInitialize(x->display, &major, &minor)) {
            copy_text(detail, detail_size, "the X server has no SYNC extension");
            return -1;
        }
        x->sync_event_base = event_base;
        int count = 0;
        XSyncSystemCounter *counters = X.XSyncListSystemCounters(x->display, &count);
        for (int i = 0; counters != NULL && i < count; i++) {
            if (counters[i].name != NULL && strcmp(counters[i].name, "IDLETIME") == 0) {
                x->idle_counter = counters[i].counter;
            }
        }
        if (counters != NULL) X.XSyncFreeSystemCounterList(counters);
        if (x->idle_counter == 0) {
            copy_text(detail, detail_size, "the X server's SYNC extension has no IDLETIME counter");
            return -1;
        }
    }
    destroy_alarms(x);
    last_error_code = 0;
    x->rising = create_alarm(x, threshold_ms, XSyncPositiveTransition);
    x->falling = create_alarm(x, threshold_ms, XSyncNegativeTransition);
    /* A round trip, so that a refused alarm is known now rather than as a stray error later. */
    X.XSync(x->display, 0);
    if (x->broken) {
        copy_text(detail, detail_size, "the connection to the X server broke");
        return -1;
    }
    if (last_error_code != 0 || x->rising == 0 || x->falling == 0) {
        char text[96];
        snprintf(text, sizeof text, "the X server refused an IDLETIME alarm (X error %d)", last_error_code);
        copy_text(detail, detail_size, text);
        destroy_alarms(x);
        return -1;
    }
    return 0;
}

int sitbreak_x11_idle_ms(sitbreak_x11 *x, uint64_t *idle_ms) {
    if (x->broken) return -1;
    Status ok = X.XScreenSaverQueryInfo(x->display, X.XDefaultRootWindow(x->display), x->info);
    if (x->broken || !ok) return -1;
    *idle_ms = x->info->idle;
    return 0;
}

/* Whether the server hung up, seen without Xlib: with a libX11 older than 1.7 (no exit
 * handler), letting Xlib meet the end of the stream would end the process. */
static int hung_up(int fd) {
    char byte;
    ssize_t n = recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

int sitbreak_x11_dispatch(sitbreak_x11 *x) {
    if (x->broken) return -1;
    if (X.XEventsQueued(x->display, QueuedAlready) == 0 && hung_up(x->fd)) {
        x->broken = 1;
        return -1;
    }
    int alarms = 0;
    while (!x->broken && X.XPending(x->display) > 0) {
        XEvent event;
        X.XNextEvent(x->display, &event);
        if (x->idle_counter != 0 && event.type == x->sync_event_base + XSyncAlarmNotify) alarms++;
    }
    return x->broken ? -1 : alarms;
}

int sitbreak_x11_queued(sitbreak_x11 *x) {
    return x->broken ? 0 : X.XEventsQueued(x->display, QueuedAlready) > 0;
}

void sitbreak_x11_close(sitbreak_x11 *x) {
    if (x == NULL) return;
    if (!x->broken) destroy_alarms(x);
    if (x->info != NULL) X.XFree(x->info);
    /* After an I/O error Xlib skips the server and only frees; without the exit handler (old
     * libX11) a broken display is left open rather than risk exit(). */
    if (!x->broken || X.XSetIOErrorExitHandler != NULL) X.XCloseDisplay(x->display);
    free(x);
}
