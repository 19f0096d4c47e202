#include "cancel_jobs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "real_files.h"

/* Only against hangs: on a healthy run every wait ends within moments. */
#define WAIT_FOR_CANCEL_S 60
#define CANCELLER_DEADLINE_S 180

static struct timespec deadline_in(int seconds)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += seconds;
    return t;
}

int cancel_board_init(cancel_board *b, cancel_job *jobs, size_t count)
{
    memset(b, 0, sizeof *b);
    b->jobs = jobs;
    b->count = count;
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        return -1;
    int ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
             pthread_cond_init(&b->changed, &attr) == 0;
    pthread_condattr_destroy(&attr);
    if (!ok)
        return -1;
    if (pthread_mutex_init(&b->lock, NULL) != 0) {
        pthread_cond_destroy(&b->changed);
        return -1;
    }
    return 0;
}

void cancel_board_destroy(cancel_board *b)
{
    pthread_cond_destroy(&b->changed);
    pthread_mutex_destroy(&b->lock);
}

/* Cancels every job that is in the middle of its transfer and not yet
 * cancelled; returns how many are still waited for.  Lock held. */
static size_t cancel_ready_jobs(cancel_board *b)
{
    size_t waiting = 0;
    for (size_t i = 0; i < b->count; i++) {
        cancel_job *job = &b->jobs[i];
        if (job->cancel_sent || job->finished)
            continue;
        if (!job->mid_transfer) {
            waiting++;
            continue;
        }
        if (ftp_cancel(job->s) != FTP_OK)
            b->cancel_errors++;
        job->cancel_sent = 1;
        pthread_cond_broadcast(&b->changed);
    }
    return waiting;
}

/* The canceller looks at the board once per CANCELLER_TICK_NS rather than
 * being woken by the jobs' callbacks: woken, it would cancel right after a
 * callback every time; looking on its own clock, its cancels land at any
 * point of the transfer loop, in poll() and send()/recv() included. */
#define CANCELLER_TICK_NS 1000000L

static struct timespec next_tick(const struct timespec *deadline)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_nsec += CANCELLER_TICK_NS;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    if (t.tv_sec > deadline->tv_sec ||
        (t.tv_sec == deadline->tv_sec && t.tv_nsec > deadline->tv_nsec))
        return *deadline;
    return t;
}

void *cancel_board_run(void *arg)
{
    cancel_board *b = arg;
    struct timespec deadline = deadline_in(CANCELLER_DEADLINE_S);
    pthread_mutex_lock(&b->lock);
    while (cancel_ready_jobs(b) > 0) {
        struct timespec tick = next_tick(&deadline);
        if (pthread_cond_timedwait(&b->changed, &b->lock, &tick) == ETIMEDOUT &&
            tick.tv_sec == deadline.tv_sec && tick.tv_nsec == deadline.tv_nsec)
            break;
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* Marks the job as in the middle of its transfer (the canceller sees it at
 * its next tick). */
static void note_progress(cancel_job *job)
{
    if (job->told_mid_transfer || job->moved < CANCEL_MID_TRANSFER)
        return;
    job->told_mid_transfer = 1;
    pthread_mutex_lock(&job->board->lock);
    job->mid_transfer = 1;
    pthread_mutex_unlock(&job->board->lock);
}

/* Holds the transfer's last step until the canceller has cancelled it, so
 * that no transfer can end before its cancel.  1 once cancelled. */
static int wait_for_cancel(cancel_job *job)
{
    struct timespec deadline = deadline_in(WAIT_FOR_CANCEL_S);
    pthread_mutex_lock(&job->board->lock);
    while (!job->cancel_sent)
        if (pthread_cond_timedwait(&job->board->changed, &job->board->lock, &deadline) ==
            ETIMEDOUT)
            break;
    int sent = job->cancel_sent;
    pthread_mutex_unlock(&job->board->lock);
    if (!sent)
        round_trip_fail(&job->result, "no cancel came within %d s of the mid-transfer mark",
                        WAIT_FOR_CANCEL_S);
    return sent;
}

/* Upload source: the job's stream; returning 0 bytes would end the upload,
 * so that waits for the cancel. */
static int job_source(void *buf, size_t cap, size_t *out_len, void *userdata)
{
    cancel_job *job = userdata;
    uint64_t left = job->size - job->moved;
    if (left == 0) {
        *out_len = 0;
        return wait_for_cancel(job) ? 0 : 1;
    }
    size_t n = left < cap ? (size_t)left : cap;
    real_fill(job->seed, job->moved, buf, n);
    job->moved += n;
    *out_len = n;
    note_progress(job);
    return 0;
}

/* Download sink: checks every byte against the stream the file holds (a
 * cancelled transfer must not deliver anything else either); the block
 * that completes the file waits for the cancel. */
static int job_sink(const void *data, size_t len, void *userdata)
{
    cancel_job *job = userdata;
    const unsigned char *got = data;
    unsigned char want[4096];
    for (size_t done = 0; done < len;) {
        size_t n = len - done < sizeof want ? len - done : sizeof want;
        real_fill(job->seed, job->moved + done, want, n);
        if (memcmp(got + done, want, n) != 0) {
            round_trip_fail(&job->result, "RETR %s delivered wrong bytes near offset %llu",
                            job->name, (unsigned long long)(job->moved + done));
            return 1;
        }
        done += n;
    }
    job->moved += len;
    if (job->moved > job->size) {
        round_trip_fail(&job->result, "RETR %s delivered more than its %llu bytes", job->name,
                        (unsigned long long)job->size);
        return 1;
    }
    note_progress(job);
    if (job->moved == job->size)
        return wait_for_cancel(job) ? 0 : 1;
    return 0;
}

static int run_transfer(cancel_job *job)
{
    char cmd[96];
    snprintf(cmd, sizeof cmd, "%s %s", job->upload ? "STOR" : "RETR", job->name);
    int rc = job->upload ? ftp_storbinary(job->s, cmd, 65536, 0, job_source, job)
                         : ftp_retrbinary(job->s, cmd, 65536, 0, job_sink, job);
    pthread_mutex_lock(&job->board->lock);
    job->finished = 1;
    int cancel_sent = job->cancel_sent;
    pthread_cond_broadcast(&job->board->changed);
    pthread_mutex_unlock(&job->board->lock);

    if (!round_trip_expect(&job->result, job->s, cmd, rc, FTP_E_CANCELLED))
        return 0;
    if (!cancel_sent) {
        round_trip_fail(&job->result, "%s was cancelled before the canceller cancelled it", cmd);
        return 0;
    }
    if (job->moved < CANCEL_MID_TRANSFER) {
        round_trip_fail(&job->result, "%s stopped after %llu bytes, before its mid-transfer mark",
                        cmd, (unsigned long long)job->moved);
        return 0;
    }
    return 1;
}

/* After a cancel the session is broken until ftp_connect(). */
static int check_broken(cancel_job *job)
{
    const char *dir = NULL;
    return round_trip_expect(&job->result, job->s, "NOOP after cancel",
                             ftp_voidcmd(job->s, "NOOP"), FTP_E_STATE) &&
           round_trip_expect(&job->result, job->s, "PWD after cancel", ftp_pwd(job->s, &dir),
                             FTP_E_STATE);
}

static int revive(cancel_job *job)
{
    const round_trip_plan *p = &job->revive;
    return round_trip_expect(&job->result, job->s, "reconnect after cancel",
                             ftp_connect(job->s, p->host, p->port), FTP_OK) &&
           round_trip_expect(&job->result, job->s, "login after cancel",
                             ftp_login(job->s, p->user, p->password, NULL), FTP_OK) &&
           round_trip_transfer(job->s, p, &job->result) &&
           round_trip_expect(&job->result, job->s, "QUIT after reviving", ftp_quit(job->s),
                             FTP_OK);
}

void *cancel_job_run(void *arg)
{
    cancel_job *job = arg;
    const round_trip_plan *p = &job->revive;
    int ok = round_trip_expect(&job->result, job->s, "set data mode",
                               ftp_set_data_mode(job->s, p->data_mode), FTP_OK) &&
             round_trip_expect(&job->result, job->s, "connect",
                               ftp_connect(job->s, p->host, p->port), FTP_OK) &&
             round_trip_expect(&job->result, job->s, "login",
                               ftp_login(job->s, p->user, p->password, NULL), FTP_OK);
    if (!ok) {
        /* The canceller must not wait for a transfer that never starts. */
        pthread_mutex_lock(&job->board->lock);
        job->finished = 1;
        pthread_cond_broadcast(&job->board->changed);
        pthread_mutex_unlock(&job->board->lock);
        return NULL;
    }
    if (run_transfer(job) && check_broken(job))
        revive(job);
    return NULL;
}
