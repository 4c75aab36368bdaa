/*
 * gaps.c — the gap ledger: every interval in which a call the engine means
 * to record was established but its leg was not recording, with its cause.
 *
 * A gap is an observation of the machines' states, not a decision: after
 * every step of a call's or its session's machine the engine reads which
 * cause (if any) applies now (gap_cause_now) and, when it differs from the
 * open gap's, closes that gap and opens the next.  No row of fsm/ changes
 * what the engine does because of a gap, so the tables stay the single
 * source of behaviour and a missed transition cannot leave a gap open: the
 * cause is re-read from the states themselves.
 *
 * A closed gap is emitted as a `gap` action, kept in the call's ledger
 * (bounded, see rrec_gaps_add) and written to the call's user data as
 * GSIP_REC_GAPS (rrec_gaps_encode) when the call has no session any more
 * while it goes on.  Gaps of no length (a pause acknowledged in the same
 * millisecond it was asked for) are not gaps.
 */
#include <string.h>

#include "gaps.h"
#include "call.h"

const char *
rrec_gap_cause_name (guint cause)
{
	static const char *const names[GAP_N_CAUSES] = {
		[GAP_NONE] = "none",
		[GAP_HOLD] = "hold",
		[GAP_TRANSFER] = "transfer",
		[GAP_CLIENT] = "client",
		[GAP_REESTABLISHING] = "re-establishing",
		[GAP_LINK_DOWN] = "server-link-down",
		[GAP_NO_PORT] = "no-free-port",
		[GAP_RESTART] = "restart",
		[GAP_SERVER_FAILOVER] = "server-failover",
	};

	return cause < GAP_N_CAUSES ? names[cause] : "unknown";
}

static const char *
gap_rule (guint cause)
{
	switch (cause) {
	case GAP_HOLD:
		return "R15";
	case GAP_TRANSFER:
		return "R16";
	case GAP_CLIENT:
		return "R17";
	case GAP_REESTABLISHING:
		return "R25";
	case GAP_LINK_DOWN:
		return "R24";
	case GAP_NO_PORT:
		return "R22";
	case GAP_RESTART:
		return "R25";
	case GAP_SERVER_FAILOVER:
		return "R33";
	default:
		return NULL;
	}
}

/* A paused leg's cause: a transfer explains a hold that comes with it
 * (M5), and either explains a client's pause during it. */
static guint8
pause_cause (guint pause, guint8 open)
{
	if (pause & RREC_PAUSE_TRANSFER)
		return GAP_TRANSFER;
	if (pause & RREC_PAUSE_HOLD)
		return GAP_HOLD;
	if (pause & RREC_PAUSE_CLIENT)
		return GAP_CLIENT;
	/* resuming: the set emptied, the leg records once SIP Server says so */
	return open != GAP_NONE ? open : GAP_CLIENT;
}

/* Does the engine still mean to record the call without a session? A call
 * waiting for R30, or whose leg was lost for good (reestablish 0), that
 * the call table would record (its wants_session guard, call.c). */
static gboolean
still_wanted (Call *c)
{
	return (c->state == RREC_CALL_STATE_WAITING || c->lost) &&
	       rrec_call_recordable (c);
}

static gboolean
setting_up (const Session *s)
{
	switch (s ? s->state : RREC_SESSION_STATE_ENDED) {
	case RREC_SESSION_STATE_IDLE:
	case RREC_SESSION_STATE_DIALING:
	case RREC_SESSION_STATE_STARTING:
	case RREC_SESSION_STATE_REESTABLISHING:
	case RREC_SESSION_STATE_LINK_WAIT:
		return TRUE;
	default:
		return FALSE;
	}
}

static guint8
gap_cause_now (Call *c)
{
	Session *s = c->session;

	if (c->state == RREC_CALL_STATE_ENDED)
		return GAP_NONE;
	/* A leg gone at a restart: `restart` until the new leg is up and
	 * started; what comes after (a pause) has its own cause. */
	if (c->restarting) {
		if (setting_up (s))
			return GAP_RESTART;
		c->restarting = FALSE;
	}
	/* R33: likewise a leg lost in a failover */
	if (c->failing_over) {
		if (setting_up (s))
			return GAP_SERVER_FAILOVER;
		c->failing_over = FALSE;
	}
	if (s != NULL) {
		switch (s->state) {
		case RREC_SESSION_STATE_RECORDING:
		case RREC_SESSION_STATE_PAUSING:	/* records until the ACK */
			return GAP_NONE;
		case RREC_SESSION_STATE_PAUSED:
		case RREC_SESSION_STATE_RESUMING:
			return pause_cause (c->pause, c->gap_cause);
		case RREC_SESSION_STATE_REESTABLISHING:
			return GAP_REESTABLISHING;
		case RREC_SESSION_STATE_LINK_WAIT:
			return GAP_LINK_DOWN;
		case RREC_SESSION_STATE_IDLE:
		case RREC_SESSION_STATE_DIALING:
		case RREC_SESSION_STATE_STARTING:
			/* Setting up the first leg is no gap; a gap already
			 * open (a redial, a retry after R30) goes on with
			 * its cause until the leg records. */
			if (c->gap_cause != GAP_NONE)
				return c->gap_cause;
			return s->started ? GAP_REESTABLISHING : GAP_NONE;
		default:
			break;	/* stopping, ended: as without a session */
		}
	}
	if (still_wanted (c))
		return c->lost ? GAP_REESTABLISHING : c->fail_cause;
	return GAP_NONE;
}

static GapLedger *
ledger (Call *c)
{
	if (c->ledger == NULL)	/* a block of an ended call's, when kept */
		c->ledger = rrec_core_mem_take0 (c->engine, sizeof (GapLedger));
	return c->ledger;
}

guint
rrec_gaps_count (const Call *c)
{
	return c->ledger ? c->ledger->n : 0;
}

gint64
rrec_gaps_open_start (const Call *c)
{
	return c->gap_cause != GAP_NONE && c->ledger ? c->ledger->open_start : 0;
}

/* Sets the open gap (GAP_NONE: none open). */
void
rrec_gaps_open (Call *c, guint cause, gint64 start)
{
	c->gap_cause = cause;
	if (cause != GAP_NONE)
		ledger (c)->open_start = start;
}

static void
emit_gap (RrecEngine *e, Call *c, gint64 start, gint64 end, guint cause)
{
	RrecAction a = {
		.kind = RREC_ACTION_GAP,
		.rule = gap_rule (cause),
		.call = c->conn,
		.start_ms = start,
		.end_ms = end,
		.reason = rrec_gap_cause_name (cause),
	};

	rrec_engine_emit (e, &a);
}

/*
 * Keeps a closed gap in the call's ledger.  The ledger is bounded (memory
 * per call must stay small): when a 65th gap arrives, the two neighbours
 * with the shortest recorded time between them become one gap over both
 * (and that time), with the cause of the longer.  A merged ledger thus may
 * over-state the unrecorded time, never under-state it.
 */
void
rrec_gaps_add (RrecEngine *e, Call *c, gint64 start, gint64 end, guint cause)
{
	GapLedger *l = ledger (c);

	if (l->n == GAP_LEDGER_MAX) {
		guint best = 0;
		gint64 best_space = G_MAXINT64;

		for (guint i = 0; i + 1 < l->n; i++) {
			gint64 space = l->gaps[i + 1].start - l->gaps[i].end;
			if (space < best_space) {
				best_space = space;
				best = i;
			}
		}
		Gap *a = &l->gaps[best], *b = &l->gaps[best + 1];
		if (b->end - b->start > a->end - a->start)
			a->cause = b->cause;
		a->end = b->end;
		memmove (b, b + 1, (l->n - best - 2) * sizeof (Gap));
		l->n--;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? MIN (l->cap * 2, GAP_LEDGER_MAX) : 2;
		GapLedger *grown = rrec_core_mem_take (
			c->engine, sizeof (GapLedger) + l->cap * sizeof (Gap));

		memcpy (grown, l, sizeof (GapLedger) + l->n * sizeof (Gap));
		/* the old block held the l->n gaps it had room for */
		rrec_core_mem_give_size (c->engine, l, sizeof (GapLedger) +
					 l->n * sizeof (Gap));
		c->ledger = l = grown;
	}
	l->gaps[l->n++] = (Gap) { start, end, cause };
	c->gaps_dirty = TRUE;
}

/*
 * GSIP_REC_GAPS: "START-END:CAUSE;…" in the order the gaps closed, START
 * and END in seconds of the engine clock with three decimals (in replay:
 * seconds since the log's midnight), e.g. "12.500-20.000:hold;31.000-
 * 36.250:re-establishing".  At most 64 entries (merged as above).
 */
void
rrec_gaps_encode_into (const Call *c, GString *s)
{
	g_string_truncate (s, 0);
	for (guint i = 0; i < rrec_gaps_count (c); i++) {
		const Gap *g = &c->ledger->gaps[i];
		char entry[128];

		/* g_snprintf into the stack: g_string_append_printf allocates */
		g_snprintf (entry, sizeof entry, "%s%" G_GINT64_FORMAT ".%03d-%"
			    G_GINT64_FORMAT ".%03d:%s",
			    i ? ";" : "",
			    g->start / 1000, (int) (g->start % 1000),
			    g->end / 1000, (int) (g->end % 1000),
			    rrec_gap_cause_name (g->cause));
		g_string_append (s, entry);
	}
}

char *
rrec_gaps_encode (const Call *c)
{
	GString *s = g_string_new (NULL);

	rrec_gaps_encode_into (c, s);
	return g_string_free (s, FALSE);
}

/* The ledger goes to the call's user data when the session has ended and
 * the call goes on (the host cannot write to a released call). */
static G_GNUC_NO_INLINE void
write_userdata (RrecEngine *e, Call *c)
{
	RrecKvList *data = rrec_core_kv_take (e);

	/* the text is made in the engine's kept buffer */
	if (e->name_scratch == NULL)
		e->name_scratch = g_string_sized_new (256);
	rrec_gaps_encode_into (c, e->name_scratch);
	rrec_kv_list_add_string (data, "GSIP_REC_GAPS", e->name_scratch->str);
	RrecAction a = {
		.kind = RREC_ACTION_CALL_USERDATA,
		.rule = "R28",
		.call = c->conn,
		.data = data,
	};
	c->gaps_dirty = FALSE;
	rrec_engine_emit (e, &a);
	rrec_core_kv_give (e, data);
}

/* The open gap's cause became @cause: the gap open until now is closed. */
static G_GNUC_NO_INLINE void
cause_changed (RrecEngine *e, Call *c, guint8 cause)
{
	gint64 start = rrec_gaps_open_start (c);

	if (c->gap_cause != GAP_NONE && e->now > start) {
		emit_gap (e, c, start, e->now, c->gap_cause);
		rrec_gaps_add (e, c, start, e->now, c->gap_cause);
	}
	rrec_gaps_open (c, cause, e->now);
}

/* Read after every step of a call's machines: the rare changes out of
 * line, so that the usual "nothing changed" saves no registers for them
 * (issue #14). */
void
rrec_gaps_update (RrecEngine *e, Call *c)
{
	guint8 cause = gap_cause_now (c);

	if (G_UNLIKELY (cause != c->gap_cause))
		cause_changed (e, c, cause);
	if (G_UNLIKELY (c->gaps_dirty) && c->session == NULL &&
	    c->state != RREC_CALL_STATE_ENDED)
		write_userdata (e, c);
}

/* A restart found the call's leg gone: whatever gap was open ends at the
 * crash (the last stored step, @since), and a `restart` gap runs from there
 * until a new leg records. */
void
rrec_gaps_restart (RrecEngine *e, Call *c, gint64 since)
{
	gint64 start = rrec_gaps_open_start (c);

	if (c->gap_cause != GAP_NONE && since > start) {
		emit_gap (e, c, start, since, c->gap_cause);
		rrec_gaps_add (e, c, start, since, c->gap_cause);
	}
	if (c->gap_cause == GAP_NONE || since > start)
		start = since;
	rrec_gaps_open (c, GAP_RESTART, start);
	c->restarting = TRUE;
}

/* R33: a query found the leg gone after the link came back: whatever gap
 * was open ends when the link was lost (@since), the last moment the leg
 * is known to have been there, and a `server-failover` gap runs from there
 * until a new leg records. */
void
rrec_gaps_failover (RrecEngine *e, Call *c, gint64 since)
{
	gint64 start = rrec_gaps_open_start (c);

	if (c->gap_cause != GAP_NONE && since > start) {
		emit_gap (e, c, start, since, c->gap_cause);
		rrec_gaps_add (e, c, start, since, c->gap_cause);
	}
	if (c->gap_cause == GAP_NONE || since > start)
		start = since;
	rrec_gaps_open (c, GAP_SERVER_FAILOVER, start);
	c->failing_over = TRUE;
}
