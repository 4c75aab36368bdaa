/*
 * store/backend.h — the small interface between the durable state store
 * (store.c: what to write, when) and a database that keeps it (a backend:
 * where and how).  SQLite (store-sqlite.c, embedded, the default) and
 * PostgreSQL sit behind it.
 *
 * What a backend keeps — the logical schema, version RREC_STORE_SCHEMA_VERSION
 * (each backend maps it onto its own tables and says how in its source):
 *
 *   - one ENGINE row (key 0): the engine's own fields (clock, link, port
 *     pool, counters, numbering), a few hundred bytes;
 *   - one PORTS row (key 0): the port pool's order of reuse (the ports
 *     released and not yet taken again); written only when it changes;
 *   - one CALL row per call in progress (key: its ConnID as a number),
 *     holding the call with its parties, session, timers and pending SIP
 *     requests;
 *   - per row: a format version of its bytes (engine-state.c), an order
 *     (CALL: the call's creation order; ENGINE: the engine clock at the
 *     write, ms) and the bytes, opaque to the backend;
 *   - the schema version, and something that tells an rrec store from any
 *     other database (an rrec store is never confused with another
 *     program's data, and another program's data is never written).
 *
 * One engine step is one transaction: begin, put or remove the rows the
 * step changed, commit.  A reader (a restart) sees the rows after some
 * committed step, never half of one.  Rows not put or removed in a step
 * stay as they were.
 *
 * Errors are GError in RREC_ENGINE_ERROR, code RREC_ENGINE_ERROR_STORE,
 * with a message that names the store (the path, or the database without
 * its password) and the backend's own reason.
 *
 * Every backend is used from one thread at a time (the engine's); a
 * backend object belongs to the engine that opened it.
 */
#pragma once

#include <glib.h>

#include "rrec/engine.h"

G_BEGIN_DECLS

/* The logical schema above.  1: one row holding the whole state (rrec
 * 0.x up to issue #12); 2: per-object rows. */
#define RREC_STORE_SCHEMA_VERSION 2

typedef enum {
	RREC_STORE_ROW_ENGINE = 0,	/* key 0: the engine's own fields */
	RREC_STORE_ROW_CALL = 1,	/* key: the call's ConnID as a number */
	RREC_STORE_ROW_PORTS = 2,	/* key 0: the port pool's free ports */
} RrecStoreRowKind;

/* One row, as put and as read back.  @bytes is valid during the call
 * (put) or the callback (load) only. */
typedef struct {
	RrecStoreRowKind kind;
	guint64 key;
	guint32 version;	/* format version of @bytes (engine-state.c) */
	gint64 order;		/* CALL: creation order; ENGINE: clock (ms);
				 * PORTS: 0 */
	const guint8 *bytes;
	gsize len;
} RrecStoreRow;

/* What rrec_store_backend_open found, when it returns NULL. */
typedef enum {
	/* opened (the return value is not NULL) */
	RREC_STORE_OPEN_OK = 0,
	/* cannot be reached or created (a missing directory, a directory,
	 * no permission, no server): nothing was touched */
	RREC_STORE_OPEN_UNREACHABLE,
	/* held by another engine: nothing was touched */
	RREC_STORE_OPEN_LOCKED,
	/* something that is not an rrec store (a file that is not a
	 * database, another program's database): refused, nothing touched */
	RREC_STORE_OPEN_NOT_OURS,
	/* an rrec store that cannot be read (damaged pages, another schema
	 * version): the caller may move it aside (move_aside) and start anew */
	RREC_STORE_OPEN_DAMAGED,
} RrecStoreOpenStatus;

/* Called once per stored row by load: the ENGINE row first (when there
 * is one), then the PORTS row (when there is one), then the CALL rows in
 * ascending order.  Returning FALSE stops
 * the load; the callback then sets @error. */
typedef gboolean (*RrecStoreRowFunc) (const RrecStoreRow *row, gpointer data,
				      GError **error);

typedef struct _RrecStoreBackend RrecStoreBackend;

typedef struct {
	/* "sqlite", "postgresql": for messages */
	const char *name;

	/*
	 * The store is shared with a standby engine that may take it over
	 * (PostgreSQL): a step that could not be stored is not acted on —
	 * its actions wait, with those of the steps after it, for the next
	 * write that succeeds — since the standby would restore the state
	 * without it.  FALSE (SQLite, a local file): the actions go out
	 * anyway, with the alarm `state-store`.
	 */
	gboolean shared;

	/*
	 * Opens the store at @location (SQLite: a file path; PostgreSQL: a
	 * connection string) and takes it exclusively for this engine until
	 * close: a second open of the same store gets LOCKED.  Creates the
	 * store (schema RREC_STORE_SCHEMA_VERSION, private to its owner) when
	 * nothing is there; checks it otherwise.  With @fresh, every stored
	 * row is removed once it is known to be an rrec store (a replay that
	 * starts anew); a store of another schema version is DAMAGED either
	 * way.  NULL with @error and *@status on failure.
	 */
	RrecStoreBackend *(*open) (const char *location, RrecStoreSync sync,
				   gboolean fresh, RrecStoreOpenStatus *status,
				   GError **error);

	/* Reads every stored row (see RrecStoreRowFunc).  A store with no
	 * ENGINE row is empty (new): no callback.  A row that cannot be read
	 * is an error, reported with *@damaged TRUE. */
	gboolean (*load) (RrecStoreBackend *backend, RrecStoreRowFunc func,
			  gpointer data, gboolean *damaged, GError **error);

	/* One step: begin, any number of put/remove, then commit (or
	 * rollback after a failure; rollback never fails). */
	gboolean (*begin) (RrecStoreBackend *backend, GError **error);
	/* Inserts or replaces the row of (@row->kind, @row->key). */
	gboolean (*put) (RrecStoreBackend *backend, const RrecStoreRow *row,
			 GError **error);
	/* Removes the row of (@kind, @key); no row is not an error. */
	gboolean (*remove) (RrecStoreBackend *backend, RrecStoreRowKind kind,
			    guint64 key, GError **error);
	gboolean (*commit) (RrecStoreBackend *backend, GError **error);
	void (*rollback) (RrecStoreBackend *backend);

	/* Releases the lock and everything held; writes nothing (no
	 * goodbye: a closed store reads as after its last commit). */
	void (*close) (RrecStoreBackend *backend);

	/*
	 * A DAMAGED store at @location kept for inspection under a name that
	 * no earlier one has (SQLite: FILE.corrupt, FILE.corrupt.1, …; with
	 * its -wal and -shm), so that a new store can be created at
	 * @location.  *@moved_to (may be NULL) gets where it went.
	 */
	gboolean (*move_aside) (const char *location, char **moved_to,
				GError **error);
} RrecStoreBackendOps;

/* Every backend object starts with this. */
struct _RrecStoreBackend {
	const RrecStoreBackendOps *ops;
};

/* The backends built in. */
extern const RrecStoreBackendOps rrec_store_backend_sqlite;
extern const RrecStoreBackendOps rrec_store_backend_pg;	/* store/pg.c */

/* The backend for @location: PostgreSQL for "postgresql://…" or
 * "postgres://…" (when built with it), SQLite for anything else. */
const RrecStoreBackendOps *rrec_store_backend_for (const char *location);

G_END_DECLS
