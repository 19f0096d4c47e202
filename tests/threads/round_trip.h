/*
 * One session's round trip, run on a worker thread: upload a file of its
 * own, download it again and compare every byte with what was sent.
 *
 * Worker threads never call cmocka (its assertions longjmp and are not
 * thread-safe): they write what went wrong into a round_trip_result, and
 * the main thread asserts on the results after joining them.
 */
#ifndef THREADS_ROUND_TRIP_H
#define THREADS_ROUND_TRIP_H

#include <ftpc/ftpc.h>

#include <stddef.h>
#include <stdint.h>

/* What a worker reports: an empty text means everything checked out. */
typedef struct round_trip_result {
    char failure[768];
} round_trip_result;

/* Records the first failure only: later ones are usually its consequences. */
void round_trip_fail(round_trip_result *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Records "<step> -> <error name>: <ftp_last_error>" unless @p rc is
 * @p expected; returns 1 if it matched. */
int round_trip_expect(round_trip_result *r, ftp_session *s, const char *step, int rc,
                      int expected);

/* What one round trip moves. */
typedef struct round_trip_plan {
    const char *host;
    unsigned port;
    const char *user, *password;
    char name[64];   /* the remote file name, unique to the worker */
    uint64_t seed;   /* its content: the pseudo-random stream @p seed */
    size_t size;
    size_t blocksize;
    int data_mode;   /* enum ftp_data_mode */
} round_trip_plan;

/*
 * On a connected, logged-in session: STOR the plan's file, check SIZE and
 * the transfer report, RETR it and compare it byte for byte with the
 * stream it came from.  Returns 1 if all of that worked.
 */
int round_trip_transfer(ftp_session *s, const round_trip_plan *plan, round_trip_result *r);

/* A whole session: new, connect, login, round_trip_transfer(), QUIT, free. */
void round_trip_session(const round_trip_plan *plan, round_trip_result *r);

#endif
