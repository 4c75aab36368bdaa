/*
 * store/sqlite-wal.c — the SQLite store's write-ahead log (WAL) written in
 * one system call per commit.
 *
 * SQLite writes each frame of a commit with two pwrite() calls (its
 * 24-byte header, then the page): a step that changes a call and the
 * engine row costs four or six system calls, and on a virtual machine a
 * system call is most of a step's price (`perf` on `rrec bench --only
 * store`: 46% of the durable replay in the kernel, nearly all of it in
 * pwrite).  This VFS is the default one with the WAL's writes gathered in
 * memory while SQLite writes a transaction, and handed to the OS in one
 * pwrite() by rrec_sqlite_wal_flush(), which the backend calls as soon as
 * COMMIT returns — before the commit is reported to the engine, so before
 * any action of the step reaches the host.
 *
 * What a commit guarantees does not change: once the backend's commit
 * returns, the whole transaction is in the OS's hands (sync NORMAL: it
 * survives the death of the process), and with sync FULL SQLite's fsync
 * of the WAL comes after the gathered bytes are written (every sync, read,
 * size, truncation and close of the WAL writes them first).  Nobody else
 * reads the WAL meanwhile: the store is locked exclusively by its engine
 * (sqlite.c), and SQLite itself reads it only through this file.
 *
 * A failed flush (a full disk, an I/O error) happens after SQLite took the
 * commit as done: the file may then lack a commit that SQLite's memory
 * has.  The file is left alone from then on — every later write, read or
 * sync of the WAL fails with the same error — so the store's file never
 * holds a commit after a missing one, and a restart reads it back as of
 * the last commit that reached the OS (SQLite's recovery stops at the
 * first frame that is not there).  The engine raises `state-store`.
 *
 * The file grows ahead of the log, GROW_BY bytes of zeros at a time: on
 * this machine's ext4 a write that extends a file costs nearly twice one
 * that overwrites (2.5 against 1.35 µs for a commit's 2 KiB; with the
 * zeros written 64 KiB at a time, 1.6 µs a commit, theirs included).
 * What follows the last commit is then zeros instead of nothing, which
 * SQLite reads as it reads the frames of an earlier generation that a
 * log started anew leaves behind: its recovery stops at the first frame
 * that is not of the log's generation, or whose checksum fails, and a
 * frame of zeros is neither.  So what a commit guarantees, and what a
 * restart reads, stay as they were.  The zeros never go past the
 * process's file size limit (where a write would raise SIGXFSZ), and a
 * write of zeros that fails is forgotten (the file is no longer grown
 * ahead): the commit's own write then fails or not, as it would have.
 *
 * The VFS is registered once per process under the name "rrec-wal"; it
 * keeps no state of its own (each WAL file keeps its buffer).  Files other
 * than a WAL are the default VFS's files, untouched.
 */
#include <string.h>
#include <sys/resource.h>

#include <glib.h>

#include "sqlite-wal.h"

#define GATHER_MAX (64 * 1024)	/* a larger commit is written as it comes */
#define GROW_BY (64 * 1024)	/* zeros written ahead of the log (see the
				 * top: 256 KiB measured as well, 1 MiB
				 * worse than none) */

typedef struct {
	sqlite3_file base;
	sqlite3_file *real;	/* the default VFS's file, after this struct */
	unsigned char *buf;
	size_t len, cap;
	sqlite3_int64 at;	/* the file offset of buf[0] */
	int error;		/* a flush failed: every later call fails */
	sqlite3_int64 size;	/* the file's size; -1: not known, or no
				 * longer grown ahead */
} WalFile;

#define REAL(f) (((WalFile *) (f))->real)

static unsigned char zeros[GROW_BY];

/*
 * Before a write of [@off, @end) that goes past the file's end: zeros
 * from the end to GROW_BY beyond @end (rounded down to a multiple of it,
 * at most the file size limit), so that this write and the next few
 * overwrite rather than extend the file (see the top).  A write that
 * starts past the end (SQLite never leaves a hole in its log) grows
 * nothing.
 */
static void
grow (WalFile *w, sqlite3_int64 off, sqlite3_int64 end)
{
	sqlite3_int64 to;
	struct rlimit lim;

	if (w->size < 0 || end <= w->size || off > w->size)
		return;
	to = (end / GROW_BY + 1) * GROW_BY;
	/* read each time (once every GROW_BY bytes): the process may
	 * change its limit */
	if (getrlimit (RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY &&
	    lim.rlim_cur < (rlim_t) to)
		to = (sqlite3_int64) lim.rlim_cur;
	while (w->size < to) {
		int n = (int) MIN (to - w->size, (sqlite3_int64) sizeof zeros);

		if (w->real->pMethods->xWrite (w->real, zeros, n,
					       w->size) != SQLITE_OK) {
			w->size = -1;	/* the write itself tells */
			return;
		}
		w->size += n;
	}
}

/* A write of the real file, growing it ahead first; the size follows. */
static int
write_real (WalFile *w, const void *p, int n, sqlite3_int64 off)
{
	int rc;

	grow (w, off, off + n);
	rc = w->real->pMethods->xWrite (w->real, p, n, off);
	if (rc == SQLITE_OK && w->size >= 0 && off + n > w->size)
		w->size = off + n;
	return rc;
}

static int
flush (WalFile *w)
{
	int rc;

	if (w->error)
		return w->error;
	if (w->len == 0)
		return SQLITE_OK;
	rc = write_real (w, w->buf, (int) w->len, w->at);
	w->len = 0;
	if (rc != SQLITE_OK)
		w->error = rc;
	return rc;
}

static int
wal_close (sqlite3_file *f)
{
	WalFile *w = (WalFile *) f;
	int rc = flush (w);
	int rc2 = w->real->pMethods->xClose (w->real);

	g_free (w->buf);
	w->buf = NULL;
	return rc != SQLITE_OK ? rc : rc2;
}

static int
wal_read (sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	int rc = flush ((WalFile *) f);

	return rc != SQLITE_OK ? rc : REAL (f)->pMethods->xRead (REAL (f), p, n, off);
}

/*
 * A write that continues the gathered bytes, or lands inside them (SQLite
 * rewrites a frame of the transaction in place when a page changes
 * again), is kept; any other is preceded by a flush.
 */
static int
wal_write (sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	WalFile *w = (WalFile *) f;
	size_t end;
	int rc;

	if (w->error)
		return w->error;
	if (w->len > 0 && off >= w->at && off <= w->at + (sqlite3_int64) w->len &&
	    (size_t) (off - w->at) + (size_t) n <= w->cap) {
		memcpy (w->buf + (off - w->at), p, n);
		end = (size_t) (off - w->at) + (size_t) n;
		if (end > w->len)
			w->len = end;
		return SQLITE_OK;
	}
	rc = flush (w);
	if (rc != SQLITE_OK)
		return rc;
	if ((size_t) n > w->cap)
		return write_real (w, p, n, off);
	memcpy (w->buf, p, n);
	w->len = (size_t) n;
	w->at = off;
	return SQLITE_OK;
}

static int
wal_truncate (sqlite3_file *f, sqlite3_int64 size)
{
	WalFile *w = (WalFile *) f;
	int rc = flush (w);

	if (rc == SQLITE_OK)
		rc = REAL (f)->pMethods->xTruncate (REAL (f), size);
	if (w->size >= 0)
		w->size = rc == SQLITE_OK ? size : -1;
	return rc;
}

static int
wal_sync (sqlite3_file *f, int flags)
{
	int rc = flush ((WalFile *) f);

	return rc != SQLITE_OK ? rc : REAL (f)->pMethods->xSync (REAL (f), flags);
}

static int
wal_file_size (sqlite3_file *f, sqlite3_int64 *size)
{
	int rc = flush ((WalFile *) f);

	return rc != SQLITE_OK ? rc : REAL (f)->pMethods->xFileSize (REAL (f), size);
}

static int
wal_lock (sqlite3_file *f, int lock)
{
	return REAL (f)->pMethods->xLock (REAL (f), lock);
}

static int
wal_unlock (sqlite3_file *f, int lock)
{
	return REAL (f)->pMethods->xUnlock (REAL (f), lock);
}

static int
wal_check_reserved_lock (sqlite3_file *f, int *out)
{
	return REAL (f)->pMethods->xCheckReservedLock (REAL (f), out);
}

static int
wal_file_control (sqlite3_file *f, int op, void *arg)
{
	int rc = flush ((WalFile *) f);

	return rc != SQLITE_OK ? rc :
		REAL (f)->pMethods->xFileControl (REAL (f), op, arg);
}

static int
wal_sector_size (sqlite3_file *f)
{
	return REAL (f)->pMethods->xSectorSize (REAL (f));
}

static int
wal_device_characteristics (sqlite3_file *f)
{
	return REAL (f)->pMethods->xDeviceCharacteristics (REAL (f));
}

/* Version 1: the WAL needs no shared memory (the store's lock is
 * exclusive: SQLite keeps the WAL's index in its own memory) and is never
 * memory-mapped. */
static const sqlite3_io_methods wal_methods = {
	.iVersion = 1,
	.xClose = wal_close,
	.xRead = wal_read,
	.xWrite = wal_write,
	.xTruncate = wal_truncate,
	.xSync = wal_sync,
	.xFileSize = wal_file_size,
	.xLock = wal_lock,
	.xUnlock = wal_unlock,
	.xCheckReservedLock = wal_check_reserved_lock,
	.xFileControl = wal_file_control,
	.xSectorSize = wal_sector_size,
	.xDeviceCharacteristics = wal_device_characteristics,
};

/* ---- the VFS: the default one, a WAL opened as a WalFile ------------------ */

#define BASE(v) ((sqlite3_vfs *) (v)->pAppData)

static gsize
real_offset (void)
{
	return (sizeof (WalFile) + 15) & ~(gsize) 15;
}

static int
vfs_open (sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags,
	  int *out_flags)
{
	WalFile *w = (WalFile *) f;
	int rc;

	if (!(flags & SQLITE_OPEN_WAL))
		return BASE (v)->xOpen (BASE (v), name, f, flags, out_flags);
	memset (w, 0, sizeof *w);
	w->real = (sqlite3_file *) ((char *) f + real_offset ());
	rc = BASE (v)->xOpen (BASE (v), name, w->real, flags, out_flags);
	if (rc != SQLITE_OK) {
		if (w->real->pMethods)
			w->real->pMethods->xClose (w->real);
		w->base.pMethods = NULL;
		return rc;
	}
	w->cap = GATHER_MAX;
	w->buf = g_malloc (w->cap);
	/* where the file ends (see the top) */
	if (w->real->pMethods->xFileSize (w->real, &w->size) != SQLITE_OK)
		w->size = -1;
	w->base.pMethods = &wal_methods;
	return SQLITE_OK;
}

static int
vfs_delete (sqlite3_vfs *v, const char *name, int sync_dir)
{
	return BASE (v)->xDelete (BASE (v), name, sync_dir);
}

static int
vfs_access (sqlite3_vfs *v, const char *name, int flags, int *out)
{
	return BASE (v)->xAccess (BASE (v), name, flags, out);
}

static int
vfs_full_pathname (sqlite3_vfs *v, const char *name, int n, char *out)
{
	return BASE (v)->xFullPathname (BASE (v), name, n, out);
}

static void *
vfs_dl_open (sqlite3_vfs *v, const char *name)
{
	return BASE (v)->xDlOpen (BASE (v), name);
}

static void
vfs_dl_error (sqlite3_vfs *v, int n, char *out)
{
	BASE (v)->xDlError (BASE (v), n, out);
}

static void (*vfs_dl_sym (sqlite3_vfs *v, void *h, const char *sym)) (void)
{
	return BASE (v)->xDlSym (BASE (v), h, sym);
}

static void
vfs_dl_close (sqlite3_vfs *v, void *h)
{
	BASE (v)->xDlClose (BASE (v), h);
}

static int
vfs_randomness (sqlite3_vfs *v, int n, char *out)
{
	return BASE (v)->xRandomness (BASE (v), n, out);
}

static int
vfs_sleep (sqlite3_vfs *v, int us)
{
	return BASE (v)->xSleep (BASE (v), us);
}

static int
vfs_current_time (sqlite3_vfs *v, double *out)
{
	return BASE (v)->xCurrentTime (BASE (v), out);
}

static int
vfs_get_last_error (sqlite3_vfs *v, int n, char *out)
{
	return BASE (v)->xGetLastError ? BASE (v)->xGetLastError (BASE (v), n, out) : 0;
}

static int
vfs_current_time_int64 (sqlite3_vfs *v, sqlite3_int64 *out)
{
	return BASE (v)->xCurrentTimeInt64 (BASE (v), out);
}

static sqlite3_vfs wal_vfs = {
	.iVersion = 2,
	.zName = "rrec-wal",
	.xOpen = vfs_open,
	.xDelete = vfs_delete,
	.xAccess = vfs_access,
	.xFullPathname = vfs_full_pathname,
	.xDlOpen = vfs_dl_open,
	.xDlError = vfs_dl_error,
	.xDlSym = vfs_dl_sym,
	.xDlClose = vfs_dl_close,
	.xRandomness = vfs_randomness,
	.xSleep = vfs_sleep,
	.xCurrentTime = vfs_current_time,
	.xGetLastError = vfs_get_last_error,
	.xCurrentTimeInt64 = vfs_current_time_int64,
};

static gpointer
register_vfs (gpointer unused)
{
	sqlite3_vfs *base = sqlite3_vfs_find (NULL);

	/* the default VFS of every SQLite build on Linux is version 2 or
	 * later ("unix"); without one, the store goes without this VFS */
	if (base == NULL || base->iVersion < 2)
		return NULL;
	wal_vfs.pAppData = base;
	wal_vfs.mxPathname = base->mxPathname;
	wal_vfs.szOsFile = (int) (real_offset () + (gsize) base->szOsFile);
	if (sqlite3_vfs_register (&wal_vfs, 0) != SQLITE_OK)
		return NULL;
	return (gpointer) wal_vfs.zName;
}

const char *
rrec_sqlite_wal_vfs (void)
{
	static GOnce once = G_ONCE_INIT;

	return g_once (&once, register_vfs, NULL);
}

int
rrec_sqlite_wal_flush (sqlite3 *db)
{
	sqlite3_file *f = NULL;

	if (sqlite3_file_control (db, "main", SQLITE_FCNTL_JOURNAL_POINTER,
				  &f) != SQLITE_OK || f == NULL ||
	    f->pMethods != &wal_methods)
		return SQLITE_OK;	/* no WAL open, or not ours */
	return flush ((WalFile *) f);
}
