/*
 * A one-line transfer progress bar on stderr.
 *
 * It is drawn only when stderr is a terminal, at most ten times a second, so
 * a transfer of small blocks does not spend its time redrawing.  Scripts and
 * logs (stderr redirected) see nothing.
 */
#ifndef FTPC_CLI_PROGRESS_H
#define FTPC_CLI_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#define PROGRESS_TOTAL_UNKNOWN UINT64_MAX

typedef struct progress {
    int enabled;
    const char *label;  /* what moves, e.g. the file name; borrowed */
    uint64_t start_at;  /* bytes already there before this run (resume) */
    uint64_t done;      /* bytes so far, start_at included */
    uint64_t total;     /* PROGRESS_TOTAL_UNKNOWN when the size is unknown */
    double started;     /* monotonic seconds */
    double last_drawn;  /* monotonic seconds; < 0 before the first draw */
} progress;

/* True when a progress bar would be visible (stderr is a terminal). */
int progress_wanted(void);

/* Starts a bar; @p enabled 0 makes every other call a no-op. */
void progress_start(progress *p, int enabled, const char *label, uint64_t start_at,
                    uint64_t total);

/* Counts @p n more bytes and redraws if the last draw is old enough. */
void progress_advance(progress *p, size_t n);

/* Draws the final state and ends the line. */
void progress_finish(progress *p);

#endif
