/*
 * store/sqlite-wal.h — the SQLite store's write-ahead log written in one
 * system call per commit (sqlite-wal.c says why and how).
 */
#pragma once

#include <sqlite3.h>

/* The name of the SQLite VFS to open the store with (registered on the
 * first call): the default VFS, with the WAL's writes gathered until
 * rrec_sqlite_wal_flush(). */
const char *rrec_sqlite_wal_vfs (void);

/* Hands the WAL bytes gathered since the last flush to the OS (one
 * pwrite), as a commit must before it is reported done.  SQLITE_OK, or
 * the error of the write: the connection then writes nothing more (each
 * later write of the WAL fails), so that the file never holds a commit
 * after one that is missing. */
int rrec_sqlite_wal_flush (sqlite3 *db);
