/*
 * rrec-store.h — the durable state store (store.c): what of the engine's
 * state is written at the end of each engine step, and how it is read
 * back; the database behind it is a backend (store/backend.h).
 */
#pragma once

#include "rrec/engine.h"
#include "store/backend.h"

typedef struct _RrecStore RrecStore;

/* Opens or creates the store at @location (backend.h: open); NULL with
 * RREC_ENGINE_ERROR_STORE and *@status when it cannot be used. */
RrecStore *rrec_store_open (const char *location, RrecStoreSync sync,
			    gboolean fresh, RrecStoreOpenStatus *status,
			    GError **error);

/* A new engine in the stored state, or NULL: with @error when the stored
 * state cannot be read (*@damaged), without when the store is new. */
RrecEngine *rrec_store_restore (RrecStore *store, RrecConfig *config,
				const RrecHostCallbacks *callbacks,
				gpointer user_data, gboolean *damaged,
				GError **error);

/* The end of one engine step: what it changed, in one transaction. */
gboolean rrec_store_write (RrecStore *store, RrecEngine *engine,
			   GError **error);
void rrec_store_close (RrecStore *store);

/* An action of the step, held (copied) until the step is stored: TRUE.
 * FALSE while held actions are being delivered (deliver it now). */
gboolean rrec_store_hold (RrecStore *store, const RrecAction *action);
/* After the write: the held actions to the host, in order. */
void rrec_store_release (RrecStore *store, RrecEngine *engine);
/* Whether a step that failed to be stored keeps its actions back
 * (backend.h: shared), and whether actions are waiting now. */
gboolean rrec_store_holds_back (RrecStore *store);
gboolean rrec_store_has_held (RrecStore *store);

/* The step may change the call @call_id: the write looks at it. */
void rrec_store_touch (RrecStore *store, guint64 call_id);

/* A damaged store at @location moved aside (backend.h: move_aside). */
gboolean rrec_store_move_aside (const char *location, char **moved_to,
				GError **error);
