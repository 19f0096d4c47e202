/* Ceiling: memcpy bandwidth of one core, the cost of a single user-space
 * copy of every byte (what a read()-into-a-buffer client pays per byte on
 * top of the kernel's own copy).
 *
 *   memcpy_bw [MIB] [REPEAT]
 *
 * Copies a MIB-MiB buffer (default 256, far beyond any cache) into another
 * REPEAT times (default 10) and prints one JSON line:
 * {"bytes": N, "seconds": [s1, s2, ...]}; bandwidth = bytes copied per
 * second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ceiling.h"

/* Called through a volatile pointer so the compiler cannot drop or merge
 * copies whose result nobody reads. */
static void *(*volatile copy)(void *, const void *, size_t) = memcpy;

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
    int repeat = argc > 2 ? atoi(argv[2]) : 10;
    if (mib == 0 || repeat <= 0) {
        fputs("usage: memcpy_bw [MIB] [REPEAT]\n", stderr);
        return 2;
    }
    size_t size = mib << 20;
    unsigned char *from = malloc(size);
    unsigned char *to = malloc(size);
    if (from == NULL || to == NULL) {
        fputs("memcpy_bw: out of memory\n", stderr);
        free(from);
        free(to);
        return 1;
    }
    /* Touch every page of both buffers first: page faults are not memcpy.
     * Not with zeros: the compiler may turn malloc + memset 0 into calloc,
     * which leaves fresh pages untouched. */
    memset(from, 0x5a, size);
    memset(to, 0xa5, size);
    printf("{\"bytes\": %zu, \"seconds\": [", size);
    for (int i = 0; i < repeat; i++) {
        double start = ceiling_now();
        copy(to, from, size);
        printf("%s%.6f", i ? ", " : "", ceiling_now() - start);
    }
    printf("]}\n");
    int ok = to[size - 1] == 0x5a;
    free(from);
    free(to);
    return ok ? 0 : 1;
}
