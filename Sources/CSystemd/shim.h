#ifndef SITBREAK_CSYSTEMD_SHIM_H
#define SITBREAK_CSYSTEMD_SHIM_H
/* Log entries carry no CODE_FILE/CODE_LINE of this shim: they would all point here. */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <systemd/sd-bus.h>
#endif
