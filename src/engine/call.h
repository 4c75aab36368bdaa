/*
 * call.h — the call and party machines bound to the engine (call.c).
 */
#pragma once

#include "model.h"

extern const RrecFsmBinding rrec_call_binding;
/* The party machine's owner: the party with its call (log labels name
 * both, party[<ConnID>/<DN>]). */
typedef struct {
	Call *call;
	Party *party;
	char label[80];
} PartyRef;

extern const RrecFsmBinding rrec_party_binding;

/* The call's triggers want it recorded: not a consultation (R11), two
 * established parties (R6), a trigger holds (R1-R5).  wants_session is
 * this with no session and no wait (R7, R30). */
gboolean rrec_call_recordable (Call *c);
/* Posts EVALUATE: the call's parties or triggers changed (R6, R8, R9). */
void rrec_call_evaluate (RrecEngine *e, Call *call);
/* After a restore: the waiting calls, from their states (R30). */
void rrec_call_rebuild_waiting (RrecEngine *e);
/* For the tests: the waiting calls' keys compared and entries read so far
 * (joins, leaves, offers: R30).  Not saved. */
guint64 rrec_call_waiting_visits (RrecEngine *e);
/* Frees the queue of waiting calls (with the engine). */
void rrec_call_waiting_free (RrecEngine *e);
/* The core's settle and finish hooks (R30; ended calls freed). */
gboolean rrec_call_settle (RrecEngine *e);
void rrec_call_finish (RrecEngine *e);
