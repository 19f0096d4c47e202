/*
 * Small helpers for '/'-separated paths, local and remote alike.
 */
#ifndef FTPC_CLI_PATHS_H
#define FTPC_CLI_PATHS_H

/* True for "" and for a path ending in '/': it names a directory, not a file. */
int path_is_directory_form(const char *path);

/* The last component of @p path ("a/b.txt" -> "b.txt"); borrows from it. */
const char *path_basename(const char *path);

/* "dir" + "/" + "name" in a new string (no doubled '/'), or NULL (no memory). */
char *path_join(const char *dir, const char *name);

/* A copy of @p path without trailing '/' ("/" itself stays), or NULL. */
char *path_strip_trailing_slashes(const char *path);

#endif
