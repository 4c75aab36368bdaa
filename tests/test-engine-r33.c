/*
 * test-engine-r33.c — a SIP Server that fails over (behaviour.md R33):
 * after the link comes back, every leg that recorded is asked for; one
 * that SIP Server no longer has is dialled again.
 */
#include "engine-harness.h"

#define FAILOVER_RELEASE(c, p) \
	"release-leg call=" c " port=+1555" p " reason=server-failover"

/* Records C1 on 7001 (+1555000), then the link is lost at 1 s and comes
 * back at 11 s (one reconnection attempt in between). */
static void
link_lost_and_back_answering (Harness *h, const HarnessOptions *o,
			      gboolean answers)
{
	harness_start (h, o);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	advance (h, 1000);
	sip_server_disconnected (h);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"), NULL);
	advance (h, 10000);
	expect (h, LINK ("attempt"), NULL);
	h->healthy_sip = answers;
	sip_server_connected (h);
	h->healthy_sip = TRUE;
}

static void
link_lost_and_back (Harness *h, const HarnessOptions *o)
{
	link_lost_and_back_answering (h, o, TRUE);
}

/* R33: EventPartyInfo: the leg is alive, nothing changes. */
static void
r33_leg_alive (Harness *h)
{
	link_lost_and_back (h, NULL);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		QUERY (C1, "000"), NULL);
	assert_state (h, C1, "recording");
	/* the query's timer is gone with its answer */
	g_assert_cmpuint (rrec_engine_pending_timers (h->engine), ==, 0);
	advance (h, 20000);
	expect (h, NULL);
}

/* R33: EventError: the leg is gone; it counts as dropped (R25): released,
 * dialled again on the same port reestablish-recording-tout later, with a
 * `server-failover` gap from the loss of the link. */
static void
r33_failover_redials (Harness *h)
{
	HarnessOptions o = { .gaps = TRUE };

	h->failover = TRUE;
	link_lost_and_back (h, &o);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		QUERY (C1, "000"), FAILOVER_RELEASE (C1, "000"), NULL);
	assert_state (h, C1, "reestablishing");
	ports_in_use (h, 1);
	h->failover = FALSE;
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"),
		GAP (C1, 1000, 16000, "server-failover"), NULL);
	assert_state (h, C1, "recording");
}

/* R33: no answer within recording-setup-tout: the leg is gone. */
static void
r33_no_answer (Harness *h)
{
	/* the answer never comes */
	link_lost_and_back_answering (h, NULL, FALSE);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		QUERY (C1, "000"), NULL);
	advance (h, 10000);
	expect (h, FAILOVER_RELEASE (C1, "000"), NULL);
	h->healthy_sip = TRUE;
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"), NULL);
	assert_state (h, C1, "recording");
}

/* R33, R23: an answer that cannot come because the link went down again
 * decides nothing (no leg is released for a lost link); the next link-up
 * asks again. */
static void
r33_link_down_again (Harness *h)
{
	link_lost_and_back_answering (h, NULL, FALSE);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		QUERY (C1, "000"), NULL);
	sip_server_disconnected (h);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"), NULL);
	advance (h, 10000);
	expect (h, LINK ("attempt"), NULL);
	assert_state (h, C1, "recording");
	sip_server_connected (h);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		QUERY (C1, "000"), NULL);
	assert_state (h, C1, "recording");
}

/* R33, R14: a paused leg lost in a failover: the new leg is paused as soon
 * as its START is acknowledged (record-moh = false, a hold). */
static void
r33_paused_leg_redialled_paused (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_held (h, C1, "7001");
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	sip_server_disconnected (h);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"), NULL);
	h->failover = TRUE;
	sip_server_connected (h);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		QUERY (C1, "000"), FAILOVER_RELEASE (C1, "000"), NULL);
	h->failover = FALSE;
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"), MARK (C1, "ON"),
		REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	assert_state (h, C1, "paused");
}

/* R33, R25: with reestablish-recording-tout = 0 a leg lost in a failover
 * is lost for good. */
static void
r33_failover_no_redial (Harness *h)
{
	HarnessOptions o = { .remote_recording = "reestablish-recording-tout = 0\n" };

	h->failover = TRUE;
	link_lost_and_back (h, &o);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		QUERY (C1, "000"), FAILOVER_RELEASE (C1, "000"),
		MARK (C1, "OFF"), GAPS (C1, "1.000-11.000:server-failover"), NULL);
	assert_state (h, C1, NULL);
	ports_in_use (h, 0);
}

/* ---- a query is about the leg it asked for ------------------------------ */

/* The link comes back after a failover with C1's leg queried (R33), SIP
 * Server stops answering, and C1 is held: a PAUSE is in flight (R14).
 * Returns the query's ReferenceID. */
static gint64
pause_owed_while_queried (Harness *h, HarnessOptions *o)
{
	gint64 query;

	link_lost_and_back_answering (h, o, FALSE);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		QUERY (C1, "000"), NULL);
	query = h->refid_query;
	h->healthy_sip = FALSE;
	ev_held (h, C1, "7001");
	expect (h, REC (C1, "pause"), NULL);
	return query;
}

/* R33: SIP Server answers the query (the leg is alive) while a PAUSE is in
 * flight: nothing changes, the query's time-out included — the leg is not
 * released as gone once the PAUSE is acknowledged. */
static void
r33_alive_while_pausing (Harness *h)
{
	gint64 query;

	query = pause_owed_while_queried (h, NULL);
	assert_state (h, C1, "pausing");
	sip_ack (h, query);	/* as EventPartyInfo */
	expect (h, NULL);
	sip_ack (h, h->refid_pause);
	expect (h, MARK (C1, "PAUSED"), NULL);
	h->healthy_sip = TRUE;
	advance (h, 20000);
	expect (h, NULL);
	assert_state (h, C1, "paused");
	g_assert_cmpuint (rrec_engine_pending_timers (h->engine), ==, 0);
}

/* SIP Server's EventError to request @refid comes stale (§7): ignored,
 * counted, and C1 stays in @state. */
static void
stale_error (Harness *h, gint64 refid, const char *state)
{
	guint64 ignored = counters (h).ignored;

	sip_error (h, refid);
	expect (h, NULL);
	assert_state (h, C1, state);
	g_assert_cmpuint (counters (h).ignored, ==, ignored + 1);
}

/* A healthy SIP Server again: the leg lost in the failover (R33) is
 * dialled anew 5 s on, started and paused again (R25), the gap @gap
 * closed, and the call is paused. */
static void
redialled_paused (Harness *h, const char *gap)
{
	h->healthy_sip = TRUE;
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"), REC (C1, "pause"),
		gap, MARK (C1, "PAUSED"), NULL);
	assert_state (h, C1, "paused");
}

/* R33: SIP Server answers the query EventError (the leg is gone) while a
 * PAUSE is in flight: the leg counts as dropped (R25) with its
 * `server-failover` gap from the loss of the link, as when nothing is in
 * flight — not as a PAUSE refused, whose leg's state is unknown (R14). */
static void
r33_gone_while_pausing (Harness *h)
{
	HarnessOptions o = { .gaps = TRUE };
	gint64 query;

	query = pause_owed_while_queried (h, &o);
	assert_state (h, C1, "pausing");
	sip_error (h, query);
	expect (h, FAILOVER_RELEASE (C1, "000"), NULL);
	assert_state (h, C1, "reestablishing");
	redialled_paused (h, GAP (C1, 1000, 16000, "server-failover"));
}

/* R33, R25: the leg is found gone while a PAUSE is in flight and dialled
 * again; the old PAUSE's EventError comes while the new leg's START is
 * owed: it is stale (§7), not the new START refused — the new leg is not
 * released and its START's answer decides. */
static void
r33_late_pause_error_after_redial (Harness *h)
{
	HarnessOptions o = { .gaps = TRUE };
	gint64 query, pause;

	query = pause_owed_while_queried (h, &o);
	pause = h->refid_pause;
	sip_error (h, query);
	expect (h, FAILOVER_RELEASE (C1, "000"), NULL);
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), NULL);
	sip_leg_established (h, "0100000000000002", "1555000");
	expect (h, REC (C1, "start"), NULL);
	assert_state (h, C1, "starting");
	stale_error (h, pause, "starting");
	sip_ack (h, h->refid_start);
	expect (h, REC (C1, "pause"),
		GAP (C1, 1000, 16000, "server-failover"), NULL);
	assert_state (h, C1, "pausing");
}

/* R33: no answer to the query within recording-setup-tout while a PAUSE
 * is in flight (and unanswered): the leg is gone all the same. */
static void
r33_time_out_while_pausing (Harness *h)
{
	HarnessOptions o = { .gaps = TRUE };

	pause_owed_while_queried (h, &o);
	advance (h, 10000);
	expect (h, FAILOVER_RELEASE (C1, "000"), NULL);
	assert_state (h, C1, "reestablishing");
	redialled_paused (h, GAP (C1, 1000, 26000, "server-failover"));
}

/* R33, R25: the queried leg drops before the answer and is dialled again:
 * neither the old query's time-out nor its late answer decides anything
 * about the new leg. */
static void
r33_dropped_while_query_owed (Harness *h)
{
	gint64 query;

	link_lost_and_back_answering (h, NULL, FALSE);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		QUERY (C1, "000"), NULL);
	query = h->refid_query;
	sip_drop (h, "+1555000");
	expect (h, NULL);
	assert_state (h, C1, "reestablishing");
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"), NULL);
	assert_state (h, C1, "recording");
	advance (h, 20000);
	expect (h, NULL);
	assert_state (h, C1, "recording");
	/* the answer to the old leg's query comes at last: stale (§7) */
	stale_error (h, query, "recording");
}

/* R33, R31: an audit finds the queried leg gone and dials again at once:
 * the old query decides nothing about the new leg. */
static void
r33_gone_while_query_owed (Harness *h)
{
	const char *const c1_parties[] = { "7001", CALLER, NULL };
	const RrecLiveCall calls[] = { { C1, c1_parties } };
	const RrecLiveView view = { .calls = calls, .n_calls = 1,
				    .link_up = TRUE };

	link_lost_and_back_answering (h, NULL, FALSE);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		QUERY (C1, "000"), NULL);
	rrec_engine_reconcile (h->engine, h->now, &view);
	harness_feed_answers (h);
	expect (h, "reconcile call=" C1 " port=+1555000 reason=leg-gone-redial",
		DIAL (C1, "000", "7001"), REC (C1, "start"), NULL);
	assert_state (h, C1, "recording");
	advance (h, 20000);
	expect (h, NULL);
	assert_state (h, C1, "recording");
}

/* ---- a time-out reads its own query only ---------------------------------- */

/* R33: an unanswered query's time-out drops that query, found among its
 * session's own requests (one read), and the leg counts as gone; so does
 * a restored engine's (the restore run: the session's list of requests
 * is not saved but rebuilt). */
static void
r33_time_out_reads_own_query (Harness *h)
{
	guint64 before;

	link_lost_and_back_answering (h, NULL, FALSE);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		QUERY (C1, "000"), NULL);
	g_assert_cmpuint (requests_in_flight (h), ==, 1);
	advance (h, 9999);
	expect (h, NULL);
	before = request_visits (h);
	advance (h, 1);
	expect (h, FAILOVER_RELEASE (C1, "000"), NULL);
	g_assert_cmpuint (request_visits (h) - before, ==, 1);
	g_assert_cmpuint (requests_in_flight (h), ==, 0);
	assert_state (h, C1, "reestablishing");
}

/* As many legs recording as the harness has ports. */
#define MANY_LEGS 1000

/* R33, R25: after a failover that answers no query, each of MANY_LEGS
 * time-outs reads one request, its own session's query — not the other
 * queries still in flight (which made the time-outs cost the square of
 * the legs queried) — and every leg counts as gone. */
static void
r33_many_time_outs_read_own_queries (Harness *h)
{
	char conn[17];
	guint64 before;

	harness_start (h, NULL);
	for (guint i = 0; i < MANY_LEGS; i++) {
		g_snprintf (conn, sizeof conn, "%016x", 0x1000 + i);
		inbound (h, conn, "7001");
	}
	g_assert_cmpuint (harness_count_actions (h, "record call=* op=start*"),
			  ==, MANY_LEGS);
	ports_in_use (h, MANY_LEGS);
	sip_server_disconnected (h);
	advance (h, 10000);
	harness_count_actions (h, "*");
	h->healthy_sip = FALSE;
	sip_server_connected (h);
	g_assert_cmpuint (harness_count_actions (h, "query-leg *"),
			  ==, MANY_LEGS);
	g_assert_cmpuint (requests_in_flight (h), ==, MANY_LEGS);
	before = request_visits (h);
	advance (h, 10000);
	h->healthy_sip = TRUE;
	g_assert_cmpuint (harness_count_actions (h, "release-leg *=server-failover"),
			  ==, MANY_LEGS);
	/* one read each: its own query */
	g_assert_cmpuint (request_visits (h) - before, ==, MANY_LEGS);
	g_assert_cmpuint (requests_in_flight (h), ==, 0);
	g_snprintf (conn, sizeof conn, "%016x", 0x1000 + MANY_LEGS - 1);
	assert_state (h, conn, "reestablishing");
}

static void
add_tests (void)
{
	harness_add ("R33/leg-alive", r33_leg_alive);
	harness_add ("R33/failover-redials", r33_failover_redials);
	harness_add ("R33/no-answer", r33_no_answer);
	harness_add ("R33/link-down-again", r33_link_down_again);
	harness_add_moh ("R33/paused-leg-redialled-paused", FALSE,
			 r33_paused_leg_redialled_paused);
	harness_add ("R33/failover-no-redial", r33_failover_no_redial);
	harness_add_moh ("R33/alive-while-pausing", FALSE, r33_alive_while_pausing);
	harness_add ("R33/dropped-while-query-owed", r33_dropped_while_query_owed);
	harness_add_once ("R33/gone-while-query-owed", TRUE,
			  r33_gone_while_query_owed);
	harness_add_moh ("R33/gone-while-pausing", FALSE, r33_gone_while_pausing);
	harness_add_moh ("R33/late-pause-error-after-redial", FALSE,
			 r33_late_pause_error_after_redial);
	harness_add_moh ("R33/time-out-while-pausing", FALSE,
			 r33_time_out_while_pausing);
	harness_add ("R33/time-out-reads-own-query",
		     r33_time_out_reads_own_query);
	/* no restore run: MANY_LEGS calls saved and restored at each of
	 * thousands of steps (the small scenario above covers the restore) */
	harness_add_once ("R33/many-time-outs-read-own-queries", TRUE,
			  r33_many_time_outs_read_own_queries);
}

int
main (int argc, char **argv)
{
	return harness_run (argc, argv, add_tests);
}
