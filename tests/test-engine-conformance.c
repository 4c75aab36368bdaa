/*
 * test-engine-conformance.c — the rules behaviour.md made precise after
 * independent checks of the engine (issue #11): R4, R14, R16, R20, R27,
 * R30.  Each scenario fails without the fix it names.
 */
#include "engine-harness.h"

static void
reasons (Harness *h, const char *conn, guint expected)
{
	g_assert_cmpuint (rrec_engine_pause_reasons (h->engine, conn), ==,
			  expected);
}

/* ---- R20 ----------------------------------------------------------------- */

/* R20: a leg that only rings is released at its EventRinging, the first
 * SIP-side event, and counted as an orphan. */
static void
r20_ringing_orphan (Harness *h)
{
	harness_start (h, NULL);
	sip_leg_ringing (h, "0100000000000099", "+1555099");
	expect (h, ORPHAN ("+1555099"), NULL);
	g_assert_cmpuint (counters (h).orphans, ==, 1);
	ports_in_use (h, 0);
}

/* R20: the leg a dialling session waits for may ring: not an orphan. */
static void
r20_ringing_dialled_leg (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7001");
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"), NULL);
	sip_leg_ringing (h, "0100000000000001", "+1555000");
	expect (h, NULL);
	sip_leg_established (h, "0100000000000001", "+1555000");
	expect (h, REC (C1, "start"), NULL);
	g_assert_cmpuint (counters (h).orphans, ==, 0);
}

/* R20: an orphan released at its EventRinging is not released (or counted)
 * again when its EventEstablished crosses the release. */
static void
r20_ringing_then_established_once (Harness *h)
{
	harness_start (h, NULL);
	sip_leg_ringing (h, "0100000000000099", "+1555099");
	expect (h, ORPHAN ("+1555099"), NULL);
	sip_leg_established (h, "0100000000000099", "+1555099");
	expect (h, NULL);
	g_assert_cmpuint (counters (h).orphans, ==, 1);
}

/* ---- R16 ----------------------------------------------------------------- */

/* R16, R15: with record-moh = false a transfer's completion lifts `hold`
 * as well as `transfer`, even while another party is still held.  7001
 * and 7003 have record = true. */
static void
r16_completion_lifts_hold (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_established (h, C1, "7003", CALLER);
	expect (h, NULL);
	ev_held (h, C1, "7003");
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	reasons (h, C1, RREC_PAUSE_HOLD);
	/* the transfer completes at once: 7003 (record = true) is
	 * established already (R8) */
	ev_released (h, C1, "7001", RREC_CALL_STATE_TRANSFERRED, "7004");
	expect (h, REC (C1, "resume"), MARK (C1, "ON"), NULL);
	reasons (h, C1, 0);
}

/* ---- R27 ----------------------------------------------------------------- */

/* R27: a PAUSE while the session waits to re-dial (R25) needs no request:
 * EventACK at once, the pause applies to the next leg; a STOP then gets
 * EventACK too. */
static void
r27_pause_during_redial_wait (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	sip_drop (h, "+1555000");
	expect (h, NULL);
	assert_state (h, C1, "reestablishing");
	req_private (h, 271, C1, "7001", PAUSE, NULL, NULL);
	expect (h, ACK ("271", "7001", C1), NULL);
	reasons (h, C1, RREC_PAUSE_CLIENT);
	req_private (h, 272, C1, "7001", STOP, NULL, NULL);
	expect (h, MARK (C1, "OFF"), ACK ("272", "7001", C1), NULL);
	g_assert_cmpuint (counters (h).client_errors, ==, 0);
}

/* R27, R14: the PAUSE accepted during the wait pauses the next leg as soon
 * as its START is acknowledged. */
static void
r27_pause_during_redial_applies_to_next_leg (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	sip_drop (h, "+1555000");
	req_private (h, 273, C1, "7001", PAUSE, NULL, NULL);
	expect (h, ACK ("273", "7001", C1), NULL);
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"),
		REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	assert_state (h, C1, "paused");
}

/* R27: a PAUSE in flight when the call ends is answered EventACK, never an
 * error because the session ended meanwhile (R26). */
static void
r27_accepted_pause_acked_at_end (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	h->healthy_sip = FALSE;
	req_private (h, 274, C1, "7001", PAUSE, NULL, NULL);
	expect (h, REC (C1, "pause"), NULL);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), ACK ("274", "7001", C1), NULL);
	g_assert_cmpuint (counters (h).client_errors, ==, 0);
}

/* ---- R14 ----------------------------------------------------------------- */

/* R14: `client` belongs to the session: after a STOP, the next session
 * (here owned by another DN's mandatory recording) does not start paused. */
static void
r14_client_pause_ends_with_session (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	req_private (h, 141, C1, "7001", PAUSE, NULL, NULL);
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"),
		ACK ("141", "7001", C1), NULL);
	req_private (h, 142, C1, "7001", STOP, NULL, NULL);
	expect (h, STOPPED (C1, "000"), ACK ("142", "7001", C1), NULL);
	reasons (h, C1, 0);
	/* a new trigger: 7003 (record = true) joins */
	ev_established (h, C1, "7003", "7001");
	expect (h, STARTED (C1, "001", "7003"), NULL);
	assert_state (h, C1, "recording");
}

/* R14, R9: the same after a session ended because no trigger held. */
static void
r14_client_pause_ends_with_r9_stop (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	req_private (h, 143, C1, "7002", START, NULL, NULL);
	expect (h, STARTED (C1, "000", "7002"), ACK ("143", "7002", C1), NULL);
	req_private (h, 144, C1, "7002", PAUSE, NULL, NULL);
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"),
		ACK ("144", "7002", C1), NULL);
	/* 7002 leaves by a transfer out: its trigger goes, the caller stays
	 * with 7004 */
	ev_established (h, C1, "7004", CALLER);
	ev_released (h, C1, "7002", 0, NULL);
	expect (h, STOPPED (C1, "000"), NULL);
	reasons (h, C1, 0);
	ev_established (h, C1, "7001", CALLER);
	expect (h, STARTED (C1, "001", "7001"), NULL);
}

/* ---- R4 ------------------------------------------------------------------ */

/* R4: `record` = destination without OtherDN scopes the OtherDN of ThisDN's
 * latest event that named one — here the caller, not the agent who joined
 * the call first. */
static void
r4_connected_with_latest_other_dn (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7004");
	ev_established (h, C1, "7002", CALLER);
	expect (h, NULL);
	req_private (h, 41, C1, "7002", NONE, "destination", NULL);
	expect (h, STARTED (C1, "000", CALLER), ACK ("41", "7002", C1), NULL);
}

/* R4: with no such event, the only other present party; with several it
 * is a bad-request. */
static void
r4_several_parties_bad_request (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7004");
	ev_party_added (h, C1, "7004", "7002", NONE);
	expect (h, NULL);
	req_private (h, 42, C1, "7002", NONE, "destination", NULL);
	expect (h, ERR ("42", "7002", C1, "bad-request"), NULL);
	/* the caller leaves: 7004 is the only other present party */
	ev_party_deleted (h, C1, "7004", CALLER);
	req_private (h, 43, C1, "7002", NONE, "destination", NULL);
	expect (h, NULL);	/* R6: one established party so far */
	ev_established (h, C1, "7002", NULL);
	expect (h, STARTED (C1, "000", "7004"), ACK ("43", "7002", C1), NULL);
}

/* R4: the latest OtherDN no longer present: the only other present party. */
static void
r4_latest_other_dn_gone (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7004");
	ev_established (h, C1, "7002", "7004");
	ev_party_deleted (h, C1, "7002", "7004");
	ev_party_added (h, C1, "7002", OUTSIDE, NONE);
	expect (h, NULL);
	/* 7002's peer 7004 left; the caller and the outside number are both
	 * present: several */
	req_private (h, 44, C1, "7002", NONE, "destination", NULL);
	expect (h, ERR ("44", "7002", C1, "bad-request"), NULL);
}

/* ---- R30 ----------------------------------------------------------------- */

/* R30: a client START answered EventACK earlier stays a trigger when a
 * later start fails (link down): the call gets its session when the link
 * comes back. */
static void
r30_acked_client_trigger_survives_failure (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	req_private (h, 301, C1, "7002", START, NULL, NULL);
	expect (h, STARTED (C1, "000", "7002"), ACK ("301", "7002", C1), NULL);
	/* R9: too few parties; 7002's client trigger stays */
	ev_party_deleted (h, C1, "7002", CALLER);
	expect (h, STOPPED (C1, "000"), NULL);
	sip_server_disconnected (h);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"), NULL);
	ev_established (h, C1, "7004", "7002");
	expect (h, NULL);
	sip_server_connected (h);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		STARTED (C1, "001", "7002"), NULL);
}

/* R30: the client answered with the failure loses its trigger, another
 * client's trigger ACKed earlier stays. */
static void
r30_only_failed_clients_forgotten (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	req_private (h, 302, C1, "7002", START, NULL, NULL);
	expect (h, STARTED (C1, "000", "7002"), ACK ("302", "7002", C1), NULL);
	ev_party_deleted (h, C1, "7002", CALLER);
	expect (h, STOPPED (C1, "000"), NULL);
	sip_server_disconnected (h);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"), NULL);
	ev_established (h, C1, "7004", "7002");
	req_private (h, 303, C1, "7004", START, NULL, NULL);
	expect (h, ERR ("303", "7004", C1, "server-unavailable"), NULL);
	sip_server_connected (h);
	/* 7002's trigger holds; 7004's is forgotten: 7002 owns (R13) */
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		STARTED (C1, "001", "7002"), NULL);
}

static void
add_tests (void)
{
	harness_add ("R20/ringing-orphan", r20_ringing_orphan);
	harness_add ("R20/ringing-dialled-leg", r20_ringing_dialled_leg);
	harness_add ("R20/ringing-then-established-once",
		     r20_ringing_then_established_once);
	harness_add_moh ("R16/completion-lifts-hold", FALSE,
			 r16_completion_lifts_hold);
	harness_add ("R27/pause-during-redial-wait",
		     r27_pause_during_redial_wait);
	harness_add ("R27/pause-during-redial-applies-to-next-leg",
		     r27_pause_during_redial_applies_to_next_leg);
	harness_add ("R27/accepted-pause-acked-at-end",
		     r27_accepted_pause_acked_at_end);
	harness_add ("R14/client-pause-ends-with-session",
		     r14_client_pause_ends_with_session);
	harness_add ("R14/client-pause-ends-with-r9-stop",
		     r14_client_pause_ends_with_r9_stop);
	harness_add ("R4/connected-with-latest-other-dn",
		     r4_connected_with_latest_other_dn);
	harness_add ("R4/several-parties-bad-request",
		     r4_several_parties_bad_request);
	harness_add ("R4/latest-other-dn-gone", r4_latest_other_dn_gone);
	harness_add ("R30/acked-client-trigger-survives-failure",
		     r30_acked_client_trigger_survives_failure);
	harness_add ("R30/only-failed-clients-forgotten",
		     r30_only_failed_clients_forgotten);
}

int
main (int argc, char **argv)
{
	return harness_run (argc, argv, add_tests);
}
