/*
 * Path helpers (see paths.h).
 */
#include "paths.h"

#include <stdlib.h>
#include <string.h>

int path_is_directory_form(const char *path)
{
    size_t len = strlen(path);
    return len == 0 || path[len - 1] == '/';
}

const char *path_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

char *path_join(const char *dir, const char *name)
{
    size_t dlen = strlen(dir), nlen = strlen(name);
    int need_slash = dlen > 0 && dir[dlen - 1] != '/';
    char *joined = malloc(dlen + (size_t)need_slash + nlen + 1);
    if (joined == NULL)
        return NULL;
    /* NOLINTNEXTLINE(bugprone-not-null-terminated-result): name and its NUL follow */
    memcpy(joined, dir, dlen);
    if (need_slash)
        joined[dlen] = '/';
    memcpy(joined + dlen + (size_t)need_slash, name, nlen + 1);
    return joined;
}

char *path_strip_trailing_slashes(const char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, path, len);
        copy[len] = '\0';
    }
    return copy;
}
