/*
 * rrec-store.h — the durable state store (store.c): the engine's saved
 * state in SQLite, one transaction per engine step.
 */
#pragma once

#include "rrec/engine.h"

typedef struct _RrecStore RrecStore;

/* Opens or creates the store at PATH; *STATE gets the stored state, or
 * NULL when the store is new.  NULL with RREC_ENGINE_ERROR_STORE when the
 * file cannot be opened or read; *DAMAGED then says whether the file
 * itself is unusable (damage, another schema version) rather than locked
 * by another engine or out of reach. */
RrecStore *rrec_store_open (const char *path, RrecStoreSync sync,
			    GBytes **state, gboolean *damaged, GError **error);
gboolean rrec_store_write (RrecStore *store, GBytes *bytes,
			   guint32 state_version, gint64 now, GError **error);
void rrec_store_close (RrecStore *store);
gboolean rrec_store_move_aside (const char *path, GError **error);
