/*
 * rrec-logmessage.h — a block of a T-Server log (rrec/logreader.h) as the
 * T-Library message the engine is fed (rrec/message.h): which side sent
 * it, and its attributes.  Beside the reader, for every host that replays
 * a log (`rrec replay`, `rrec bench`).
 */
#pragma once

#include "rrec/logreader.h"
#include "rrec/message.h"

/* A converted block; what the message points to lives here. */
typedef struct {
	RrecMessage msg;
	GPtrArray *strings;	/* numbers written out as text */
	RrecKvList *extensions;
	RrecKvList *user_data;
	char *error;		/* why the block could not be converted */
} RrecLogMessage;

/* The side of a block: SIP Server's (its sender is @server, the SIP
 * Server application of the configuration), a client's request, or an
 * event of a call (behaviour.md §6). */
RrecSide rrec_log_block_side (const RrecLogBlock *b, const char *server);

/* Converts @b (of @side, of the known message @type) into @c, zeroed
 * before or reset; FALSE with c->error set when an attribute has the
 * wrong kind of value.  Reset @c before the next block (its lists' memory
 * is used again) and clear it when done. */
gboolean rrec_log_message_convert (RrecLogMessage *c, const RrecLogBlock *b,
				   RrecSide side, int type);
void rrec_log_message_reset (RrecLogMessage *c);
void rrec_log_message_clear (RrecLogMessage *c);
