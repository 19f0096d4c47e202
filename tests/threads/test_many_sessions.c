/*
 * Many sessions in many threads of one process against one local pyftpdlib
 * (issue 5, item 5; run under ThreadSanitizer by .ci/lanes/threads.sh).
 *
 * 1. 100 sessions on 100 threads, released together, each upload their own
 *    file (content unique to the thread) and download it again, byte for
 *    byte; the files the server stored are checked too.  Data modes cycle
 *    through AUTO, EPSV, PASV and active, so listeners and data connections
 *    come and go concurrently.  Nothing lost, nothing mixed up.
 * 2. The same 100 round trips while 10 more sessions run large transfers
 *    that a canceller thread interrupts with ftp_cancel(): each of those
 *    gets FTP_E_CANCELLED, then FTP_E_STATE, and ftp_connect() revives it
 *    for a round trip of its own (cancel_jobs.h).
 *
 * Worker threads report through result structs; only this thread asserts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftpc/ftpc.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cancel_jobs.h"
#include "real_files.h"
#include "real_server.h"
#include "round_trip.h"

#define ROUND_TRIPS 100
#define ROUND_TRIP_SIZE (256u * 1024u)
#define CANCEL_JOBS 10
#define CANCEL_SIZE (16u * 1024u * 1024u) /* each upload, and the file downloads read */
#define BIG_FILE "big.bin"
#define BIG_SEED 7

static real_server server;

static int start_server(void **state)
{
    (void)state;
    if (real_server_start(&server, REAL_PYFTPDLIB, "127.0.0.1", "threads") != 0)
        return -1;
    char path[1200], hex[SHA256_HEX_SIZE];
    real_path(&server, BIG_FILE, path, sizeof path);
    return real_write_pattern_file(path, BIG_SEED, CANCEL_SIZE, hex);
}

static int stop_server(void **state)
{
    (void)state;
    real_server_stop(&server);
    /* Up to ~130 MiB per run: not worth keeping once the run is over. */
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", server.root);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- starting threads together -------------------------------------- */

/* Holds every worker until all exist, so that they hit the server at once.
 * A gate rather than a barrier: if creating a thread fails, the ones
 * already waiting are let go instead of being stuck. */
typedef struct start_gate {
    pthread_mutex_t lock;
    pthread_cond_t opened;
    int open;
} start_gate;

static start_gate gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};

static void gate_wait(void)
{
    pthread_mutex_lock(&gate.lock);
    while (!gate.open)
        pthread_cond_wait(&gate.opened, &gate.lock);
    pthread_mutex_unlock(&gate.lock);
}

static void gate_set(int open)
{
    pthread_mutex_lock(&gate.lock);
    gate.open = open;
    pthread_cond_broadcast(&gate.opened);
    pthread_mutex_unlock(&gate.lock);
}

/* A thread body and its argument, started behind the gate. */
typedef struct gated_call {
    void *(*body)(void *);
    void *arg;
} gated_call;

static void *gated(void *arg)
{
    gated_call *call = arg;
    gate_wait();
    return call->body(call->arg);
}

/* Starts @p n threads behind the gate, opens it and joins them all. */
static void run_together(gated_call *calls, size_t n)
{
    pthread_t *threads = calloc(n, sizeof *threads);
    assert_non_null(threads);
    gate_set(0);
    size_t started = 0;
    while (started < n && pthread_create(&threads[started], NULL, gated, &calls[started]) == 0)
        started++;
    gate_set(1);
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    if (started < n)
        fail_msg("could only start %zu of %zu threads", started, n);
}

/* ---- round trips ------------------------------------------------------ */

typedef struct round_trip_worker {
    round_trip_plan plan;
    round_trip_result result;
} round_trip_worker;

static void *round_trip_thread(void *arg)
{
    round_trip_worker *w = arg;
    round_trip_session(&w->plan, &w->result);
    return NULL;
}

static void plan_round_trip(round_trip_plan *p, const char *prefix, unsigned index,
                            uint64_t seed, size_t size)
{
    static const int modes[] = {FTP_DATA_AUTO, FTP_DATA_EPSV, FTP_DATA_PASV, FTP_DATA_ACTIVE};
    memset(p, 0, sizeof *p);
    p->host = server.host;
    p->port = server.proc.port;
    p->user = server.user;
    p->password = server.password;
    snprintf(p->name, sizeof p->name, "%s-%03u.bin", prefix, index);
    p->seed = seed;
    p->size = size;
    /* Block sizes that differ from thread to thread and divide nothing. */
    p->blocksize = 4096 + (index % 8) * 1531;
    p->data_mode = modes[index % 4];
}

static void plan_round_trips(round_trip_worker *workers, const char *prefix, uint64_t seed_base)
{
    for (unsigned i = 0; i < ROUND_TRIPS; i++) {
        memset(&workers[i].result, 0, sizeof workers[i].result);
        plan_round_trip(&workers[i].plan, prefix, i, seed_base + i, ROUND_TRIP_SIZE);
    }
}

/* Prints a failed worker's story; returns 1 if it failed. */
static size_t report_failure(const char *what, size_t index, const round_trip_result *r)
{
    if (r->failure[0] == '\0')
        return 0;
    fprintf(stderr, "%s %zu: %s\n", what, index, r->failure);
    return 1;
}

static size_t report_round_trips(const round_trip_worker *workers, size_t n)
{
    size_t failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += report_failure("session", i, &workers[i].result);
    return failed;
}

/* The server's copy of every round-trip file holds exactly what its worker
 * sent: no upload landed in another worker's file. */
static size_t check_stored_files(const round_trip_worker *workers, size_t n)
{
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++) {
        const round_trip_plan *p = &workers[i].plan;
        char path[1200];
        real_path(&server, p->name, path, sizeof path);
        size_t len = 0;
        unsigned char *got = real_read_file(path, &len);
        unsigned char *want = real_pattern(p->seed, p->size);
        if (got == NULL || len != p->size || memcmp(got, want, len) != 0) {
            fprintf(stderr, "the server's %s is not what worker %zu sent\n", p->name, i);
            wrong++;
        }
        free(got);
        free(want);
    }
    return wrong;
}

static void hundred_sessions_each_move_their_own_file(void **state)
{
    (void)state;
    static round_trip_worker workers[ROUND_TRIPS];
    static gated_call calls[ROUND_TRIPS];
    plan_round_trips(workers, "a", 1000);
    for (size_t i = 0; i < ROUND_TRIPS; i++)
        calls[i] = (gated_call){round_trip_thread, &workers[i]};

    run_together(calls, ROUND_TRIPS);

    assert_int_equal(report_round_trips(workers, ROUND_TRIPS), 0);
    assert_int_equal(check_stored_files(workers, ROUND_TRIPS), 0);
}

/* ---- cancels in the middle of transfers ------------------------------- */

static void plan_cancel_jobs(cancel_job *jobs, cancel_board *board)
{
    for (unsigned i = 0; i < CANCEL_JOBS; i++) {
        cancel_job *job = &jobs[i];
        memset(job, 0, sizeof *job);
        job->board = board;
        job->s = ftp_session_new();
        assert_non_null(job->s);
        job->upload = i % 2 == 0;
        job->size = CANCEL_SIZE;
        if (job->upload) {
            snprintf(job->name, sizeof job->name, "cancelled-%02u.bin", i);
            job->seed = 5000 + i;
        } else {
            snprintf(job->name, sizeof job->name, "%s", BIG_FILE);
            job->seed = BIG_SEED;
        }
        /* Revived, the session moves a file of its own. */
        plan_round_trip(&job->revive, "revived", i, 6000 + i, ROUND_TRIP_SIZE);
    }
}

static void cancel_mid_transfer_while_others_run(void **state)
{
    (void)state;
    static round_trip_worker workers[ROUND_TRIPS];
    static cancel_job jobs[CANCEL_JOBS];
    static gated_call calls[ROUND_TRIPS + CANCEL_JOBS + 1];
    cancel_board board;
    assert_int_equal(cancel_board_init(&board, jobs, CANCEL_JOBS), 0);
    plan_cancel_jobs(jobs, &board);
    plan_round_trips(workers, "b", 2000);

    size_t n = 0;
    calls[n++] = (gated_call){cancel_board_run, &board};
    for (size_t i = 0; i < CANCEL_JOBS; i++)
        calls[n++] = (gated_call){cancel_job_run, &jobs[i]};
    for (size_t i = 0; i < ROUND_TRIPS; i++)
        calls[n++] = (gated_call){round_trip_thread, &workers[i]};

    run_together(calls, n);

    size_t failed = report_round_trips(workers, ROUND_TRIPS);
    for (size_t i = 0; i < CANCEL_JOBS; i++) {
        printf("# cancel job %zu: %s %s cancelled after %llu of %llu bytes\n", i,
               jobs[i].upload ? "STOR" : "RETR", jobs[i].name,
               (unsigned long long)jobs[i].moved, (unsigned long long)jobs[i].size);
        failed += report_failure("cancelled session", i, &jobs[i].result);
    }
    int cancel_errors = board.cancel_errors;
    for (size_t i = 0; i < CANCEL_JOBS; i++)
        ftp_session_free(jobs[i].s);
    cancel_board_destroy(&board);
    assert_int_equal(cancel_errors, 0);
    assert_int_equal(failed, 0);
    assert_int_equal(check_stored_files(workers, ROUND_TRIPS), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hundred_sessions_each_move_their_own_file),
        cmocka_unit_test(cancel_mid_transfer_while_others_run),
    };
    return cmocka_run_group_tests_name("threads: many sessions, cancels", tests, start_server,
                                       stop_server);
}
