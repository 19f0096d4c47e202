/*
 * Fixtures shared by the public-API tests: a fresh session per test, and
 * callbacks for calls that must be refused before any of them could run.
 */
#ifndef FTPC_API_FIXTURES_H
#define FTPC_API_FIXTURES_H

#include <stddef.h>

#include <ftpc/ftpc.h>

/* Longest any wait may take in these tests, so a library bug fails a test
 * instead of hanging it. */
#define HANG_GUARD_MS 10000

/* cmocka group/test setup: *state becomes a new session with every timeout
 * at HANG_GUARD_MS; teardown frees it. */
int session_setup(void **state);
int session_teardown(void **state);

/* Each fails the running test if it is ever called. */
int sink_never_called(const void *data, size_t len, void *userdata);
int source_never_called(void *buf, size_t cap, size_t *out_len, void *userdata);
int line_never_called(const char *line, size_t len, void *userdata);
int entry_never_called(const char *name, size_t nfacts, const char *const *keys,
                       const char *const *values, void *userdata);
void trace_never_called(int kind, const char *text, size_t len, void *userdata);

#endif
