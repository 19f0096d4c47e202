/*
 * ftp_cancel() from another thread in the middle of transfers.
 *
 * Each cancel job is a session on its own thread that starts a large
 * transfer (an upload, or a download of a file the server already has).
 * Once it has moved CANCEL_MID_TRANSFER bytes its callback marks it on the
 * board; the canceller thread, looking at the board every millisecond,
 * calls ftp_cancel() on that session while the transfer goes on at full
 * speed — so the cancel lands wherever the library happens to be: in
 * poll(), in send()/recv(), or between two callbacks.  A job never lets its transfer end before the cancel was sent
 * (the callback that would finish it waits for it), so the outcome does not
 * depend on thread timing.
 *
 * Then the job checks the documented aftermath: FTP_E_CANCELLED, every
 * later call FTP_E_STATE, and ftp_connect() + ftp_login() revive the
 * session for a full round trip.
 */
#ifndef THREADS_CANCEL_JOBS_H
#define THREADS_CANCEL_JOBS_H

#include <pthread.h>
#include <stdint.h>

#include "round_trip.h"

/* Bytes a job moves before it asks to be cancelled. */
#define CANCEL_MID_TRANSFER (1024u * 1024u)

struct cancel_board;

typedef struct cancel_job {
    struct cancel_board *board;
    ftp_session *s;        /* made by the main thread so the canceller can reach it */
    int upload;            /* 1: STOR of `size` bytes of `seed`; 0: RETR of `name` */
    char name[64];
    uint64_t seed;
    uint64_t size;
    round_trip_plan revive; /* connection details, and the round trip after reviving */

    uint64_t moved;        /* the job's thread only */
    int told_mid_transfer; /* the job's thread only */

    /* Under the board's lock. */
    int mid_transfer;      /* CANCEL_MID_TRANSFER bytes moved */
    int cancel_sent;       /* the canceller called ftp_cancel() */
    int finished;          /* the transfer call returned */

    round_trip_result result;
} cancel_job;

typedef struct cancel_board {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* CLOCK_MONOTONIC */
    cancel_job *jobs;
    size_t count;
    int cancel_errors;      /* ftp_cancel() calls that did not return FTP_OK */
} cancel_board;

/* Returns 0, or -1 if the lock or condition cannot be made. */
int cancel_board_init(cancel_board *b, cancel_job *jobs, size_t count);
void cancel_board_destroy(cancel_board *b);

/* Thread body of the canceller: cancels each job once it is in the middle
 * of its transfer; returns when every job was cancelled or has finished, or
 * after a generous deadline. */
void *cancel_board_run(void *board);

/* Thread body of one job (argument: cancel_job). */
void *cancel_job_run(void *job);

#endif
