/*
 * rrec-store.h — the durable state store (store.c): what of the engine's
 * state is written at the end of each engine step, and how it is read
 * back; the database behind it is a backend (store/backend.h).
 */
#pragma once

#include "rrec/engine.h"
#include "store/backend.h"
#include "store/state-buf.h"

typedef struct _RrecStore RrecStore;

/* What store.c keeps between steps; store-rows.c reads and writes it. */
struct _RrecStore {
	RrecStoreBackend *backend;
	GArray *touched;	/* call ids (guint64) marked since the last
				 * commit, each once (store.c) */
	GHashTable *touched_set;	/* the same ids (guint64*), once there
					 * are more than a few */
	GHashTable *stored;	/* call id -> hash of its stored row */
	StateBuf engine_row;	/* the ENGINE row last written */
	gsize engine_stable;	/* its length before the volatile fields */
	gsize engine_numbering;	/* where its numbering is (not compared) */
	guint64 pool_changes;	/* the pool's count at the last write */
	gboolean written;	/* something was written since the open */
	StateBuf buf;		/* the rows of a commit */
	StateBuf engine_new;	/* the ENGINE row of a commit */
	GArray *changes;	/* a commit's rows (store-rows.c) */
	GPtrArray *requests;	/* a commit's pending requests */
	GArray *held;		/* RrecAction: the step's actions, copied */
	GStringChunk *strings;	/* their strings */
	gboolean releasing;

	/* group commit (store.c) */
	gboolean queued;	/* the host has more input in hand: the next
				 * fed step may stay uncommitted */
	guint32 commit_kinds;	/* with the hint, 1 << RrecActionKind: the
				 * step is committed if it decides one */
	gboolean urgent;	/* the step decided one */
	guint pending;		/* steps ended since the last commit */
	gint64 clock;		/* the engine clock of the last of them */
	gboolean held_back;	/* a write failed on a shared store: the held
				 * actions wait for the next good one */
};


/* Opens or creates the store at @location (backend.h: open); NULL with
 * RREC_ENGINE_ERROR_STORE and *@status when it cannot be used. */
RrecStore *rrec_store_open (const char *location, RrecStoreSync sync,
			    gboolean fresh, RrecStoreOpenStatus *status,
			    GError **error);

/* store-rows.c: the stored state into @engine, new and empty (its pool
 * is replaced).  FALSE with @error when it cannot be read (*@damaged:
 * the engine is then unusable, to be freed); TRUE with *@restored FALSE
 * when the store is new (the engine stays empty). */
gboolean rrec_store_restore (RrecStore *store, RrecEngine *engine,
			     gboolean *restored, gboolean *damaged,
			     GError **error);

/* store-rows.c: what the steps since the last commit changed, in one
 * transaction, with the clock of the last of them (@clock). */
gboolean rrec_store_write (RrecStore *store, RrecEngine *engine, gint64 clock,
			   GError **error);
void rrec_store_close (RrecStore *store);

/* An action of the step, held (copied) until the step is stored: TRUE.
 * FALSE while held actions are being delivered (deliver it now). */
gboolean rrec_store_hold (RrecStore *store, const RrecAction *action);
/* After the write: the held actions to @deliver, in order. */
typedef void (*RrecStoreDeliver) (gpointer data, const RrecAction *action);
void rrec_store_release (RrecStore *store, RrecStoreDeliver deliver,
			 gpointer data);
/* Whether a step that failed to be stored keeps its actions back
 * (backend.h: shared). */
gboolean rrec_store_holds_back (RrecStore *store);

/* ---- group commit (store.c) ---- */

/* Steps per batch at most: the step that makes this many is committed
 * with those before it, hinted or not. */
#define RREC_STORE_BATCH_MAX 64

/* The host's hint (rrec_engine_more_queued()): the next fed step may be
 * left uncommitted, unless it decides an action of @commit_kinds (bits
 * 1 << RrecActionKind). */
void rrec_store_set_queued (RrecStore *store, guint32 commit_kinds);
/* The end of a step at @clock.  @may_wait: a fed step, which the hint may
 * leave uncommitted.  TRUE: the step stays pending with the batch; FALSE:
 * commit now (rrec_store_write() then rrec_store_committed()). */
gboolean rrec_store_step_ends (RrecStore *store, gint64 clock,
			       gboolean may_wait);
/* Steps ended and not committed (a batch in progress). */
guint rrec_store_pending (RrecStore *store);
/* The clock of the last step ended: the clock the commit writes. */
gint64 rrec_store_clock (RrecStore *store);
/* After a commit was tried: @ok, or it failed (the held actions then wait
 * when the store holds back, rrec_store_held_back()). */
void rrec_store_committed (RrecStore *store, gboolean ok);
gboolean rrec_store_held_back (RrecStore *store);

/* The step may change the call @call_id: the write looks at it. */
void rrec_store_touch (RrecStore *store, guint64 call_id);
/* The calls marked are written: none is marked any more. */
void rrec_store_untouch_all (RrecStore *store);

/* A damaged store at @location moved aside (backend.h: move_aside). */
gboolean rrec_store_move_aside (const char *location, char **moved_to,
				GError **error);
