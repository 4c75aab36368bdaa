/*
 * gaps.h — the gap ledger of a call (gaps.c): the intervals in which the
 * engine meant to record it but its leg was not recording.
 */
#pragma once

#include "model.h"

/* Gap and GapLedger: model.h (a call frees its ledger). */

const char *rrec_gap_cause_name (guint cause);
/* Reads the call's machines after a step: opens, splits or closes a gap. */
void rrec_gaps_update (RrecEngine *e, Call *call);
void rrec_gaps_add (RrecEngine *e, Call *call, gint64 start, gint64 end,
		    guint cause);
char *rrec_gaps_encode (const Call *call);
/* The same into @out (its text replaced). */
void rrec_gaps_encode_into (const Call *call, GString *out);
void rrec_gaps_failover (RrecEngine *e, Call *call, gint64 since);
void rrec_gaps_restart (RrecEngine *e, Call *call, gint64 since);
void rrec_gaps_open (Call *call, guint cause, gint64 start);
gint64 rrec_gaps_open_start (const Call *call);
guint rrec_gaps_count (const Call *call);
