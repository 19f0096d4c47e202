/*
 * The transfer progress bar (see progress.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REDRAW_INTERVAL_S 0.1 /* ten updates a second at most */
#define LINE_WIDTH 79         /* fits an 80-column terminal without wrapping */
#define LABEL_WIDTH 20
#define BAR_WIDTH 16

static double now_seconds(void)
{
    struct timespec ts;
    /* CLOCK_MONOTONIC always exists on Linux (EINVAL is its only error). */
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "512 B", "1.5 KiB", "12.0 MiB", ...  The snprintf() calls below fill
 * buffers sized for what they print; a cut progress line would do no harm. */
static void format_bytes(double bytes, char *buf, size_t cap)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    size_t unit = 0;
    while (bytes >= 1024.0 && unit + 1 < sizeof units / sizeof units[0]) {
        bytes /= 1024.0;
        unit++;
    }
    if (unit == 0)
        (void)snprintf(buf, cap, "%.0f %s", bytes, units[unit]);
    else
        (void)snprintf(buf, cap, "%.1f %s", bytes, units[unit]);
}

static void draw(progress *p, double now)
{
    char done[32], rate[40] = "";
    char line[256];
    double elapsed = now - p->started;

    format_bytes((double)p->done, done, sizeof done);
    if (elapsed > 0.001) {
        char speed[32];
        format_bytes((double)(p->done - p->start_at) / elapsed, speed, sizeof speed);
        (void)snprintf(rate, sizeof rate, "%s/s", speed);
    }
    if (p->total != PROGRESS_TOTAL_UNKNOWN && p->total > 0) {
        uint64_t shown = p->done < p->total ? p->done : p->total;
        double fraction = (double)shown / (double)p->total;
        int percent = (int)(fraction * 100.0);
        int filled = (int)(fraction * BAR_WIDTH);
        char bar[BAR_WIDTH + 1], total[32];
        for (int i = 0; i < BAR_WIDTH; i++)
            bar[i] = (char)(i < filled ? '=' : i == filled ? '>' : ' ');
        bar[BAR_WIDTH] = '\0';
        format_bytes((double)p->total, total, sizeof total);
        (void)snprintf(line, sizeof line, "%-*.*s %3d%% [%s] %s/%s %s", LABEL_WIDTH,
                       LABEL_WIDTH, p->label, percent, bar, done, total, rate);
    } else {
        (void)snprintf(line, sizeof line, "%-*.*s %s  %s", LABEL_WIDTH, LABEL_WIDTH, p->label,
                       done, rate);
    }
    /* Padding to the full width erases what a longer previous line left.
     * A progress bar that cannot be drawn is no reason to stop a transfer. */
    (void)fprintf(stderr, "\r%-*.*s", LINE_WIDTH, LINE_WIDTH, line);
    (void)fflush(stderr);
    p->last_drawn = now;
}

int progress_wanted(void) { return isatty(STDERR_FILENO); }

void progress_start(progress *p, int enabled, const char *label, uint64_t start_at,
                    uint64_t total)
{
    memset(p, 0, sizeof *p);
    p->enabled = enabled;
    p->label = label;
    p->start_at = start_at;
    p->done = start_at;
    p->total = total;
    p->started = enabled ? now_seconds() : 0.0;
    p->last_drawn = -1.0;
}

void progress_advance(progress *p, size_t n)
{
    if (!p->enabled)
        return;
    p->done += n;
    double now = now_seconds();
    if (p->last_drawn < 0 || now - p->last_drawn >= REDRAW_INTERVAL_S)
        draw(p, now);
}

void progress_finish(progress *p)
{
    if (!p->enabled)
        return;
    draw(p, now_seconds());
    (void)fputc('\n', stderr);
    p->enabled = 0;
}
