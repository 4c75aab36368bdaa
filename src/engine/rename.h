/*
 * rename.h — a call renamed by EventPartyChanged (behaviour.md R32).
 */
#pragma once

#include "model.h"

/* The call machine's `rename` action (fsm/call.fsm, RENAMED). */
void rrec_call_rename (gpointer call, gconstpointer posted);
/* The call O that @m names as PreviousConnID, moved to @new_id by its
 * table, or NULL when @m is no rename. */
Call *rrec_engine_rename_call (RrecEngine *e, const RrecMessage *m,
			       guint64 new_id);
