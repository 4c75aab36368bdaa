/*
 * test-engine-leg.c — ports, the recording leg, failures, client replies
 * and the visible state (behaviour.md R18-R30).
 */
#include "engine-harness.h"

static RrecMessage
with_user_data (int type, const char *conn, const char *dn, const char *other,
		const RrecKvList *kv)
{
	RrecMessage m = skype_msg (type, conn, dn);

	m.other_dn = other;
	m.user_data = kv;
	return m;
}

/* ---- R18 ----------------------------------------------------------------- */

/* R18: never-used ports in ascending order, then the one released longest
 * ago (a pool of three). */
static void
r18_port_order (Harness *h)
{
	HarnessOptions o = { .port_limit = 3 };

	harness_start (h, &o);
	inbound (h, C1, "7001");
	inbound (h, C2, "7003");
	inbound (h, C3, "7005");
	expect (h, STARTED (C1, "000", "7001"), STARTED (C2, "001", "7003"),
		STARTED (C3, "002", "7005"), NULL);
	ports_in_use (h, 3);
	ev_released (h, C2, "7003", 0, NULL);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C2, "001"), RELEASE (C1, "000"), NULL);
	ports_in_use (h, 1);
	inbound (h, C4, "7001");
	inbound (h, C5, "7003");
	expect (h, STARTED (C4, "001", "7001"), STARTED (C5, "000", "7003"),
		NULL);
}

/* R18: never-used ports come before released ones. */
static void
r18_never_used_first (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	ev_released (h, C1, "7001", 0, NULL);
	inbound (h, C2, "7003");
	expect (h, STARTED (C1, "000", "7001"), RELEASE (C1, "000"),
		STARTED (C2, "001", "7003"), NULL);
}

/* ---- R19 ----------------------------------------------------------------- */

/* R19: a leg is matched by DNIS = port; without the leading '+' too. */
static void
r19_dnis_without_plus (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7001");
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"), NULL);
	sip_leg_ringing (h, "0100000000000001", "1555000");
	expect (h, NULL);	/* M9: up at its EventEstablished */
	sip_leg_established (h, "0100000000000001", "1555000");
	expect (h, REC (C1, "start"), NULL);
	assert_state (h, C1, "starting");
	sip_ack (h, h->refid_start);
	expect (h, MARK (C1, "ON"), NULL);
	assert_state (h, C1, "recording");
}

/* R19, R21: START is followed by the call's user data. */
static void
r19_start_then_user_data (Harness *h)
{
	g_autoptr (RrecKvList) kv = rrec_kv_list_new ();
	RrecMessage m;

	harness_start (h, NULL);
	rrec_kv_list_add_string (kv, "Customer", "A1");
	m = with_user_data (RREC_MSG_EVENT_RINGING, C1, "7001", CALLER, kv);
	m.call_type = RREC_CALL_TYPE_INBOUND;
	harness_feed (h, &m);
	ev_established (h, C1, "7001", CALLER);
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"),
		REC (C1, "start"), LEGDATA (C1, "'Customer':'A1'"),
		MARK (C1, "ON"), NULL);
}

/* ---- R20 ----------------------------------------------------------------- */

/* R20: a leg for no session is released at once and counted. */
static void
r20_unknown_dnis_orphan (Harness *h)
{
	harness_start (h, NULL);
	sip_leg_established (h, "0100000000000099", "+1555123");
	expect (h, ORPHAN ("+1555123"), NULL);
	g_assert_cmpuint (counters (h).orphans, ==, 1);
	ports_in_use (h, 0);
}

/* R20: a second leg for a port whose session has its leg is an orphan;
 * the session keeps its own. */
static void
r20_duplicate_leg_orphan (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	sip_leg_established (h, "0100000000000077", "+1555000");
	expect (h, ORPHAN ("+1555000"), NULL);
	g_assert_cmpuint (counters (h).orphans, ==, 1);
	assert_state (h, C1, "recording");
}

/* R19, R20, R25: a leg's ConnID is matched in any case, whether or not it
 * has all 16 hex digits: the same leg ringing again is a duplicate, not an
 * orphan, and its release is the session's (a START unanswered: it ends). */
static void
leg_up_twice (Harness *h, const char *leg, const char *again)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7001");
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"), NULL);
	sip_leg_established (h, leg, "+1555000");
	expect (h, REC (C1, "start"), NULL);
	sip_leg_ringing (h, again, "+1555000");
	expect (h, NULL);
	g_assert_cmpuint (counters (h).ignored, ==, 1);
	g_assert_cmpuint (counters (h).orphans, ==, 0);
	/* R25: its release, named in the other case, is the session's */
	sip_leg_released (h, again, NULL);
	expect (h, RELEASE (C1, "000"), MARK (C1, "OFF"), NULL);
	g_assert_cmpuint (counters (h).orphans, ==, 0);
}

static void
r19_leg_text_any_case (Harness *h)
{
	leg_up_twice (h, "7a", "7A");
}

static void
r19_leg_hex_any_case (Harness *h)
{
	leg_up_twice (h, "01000000000000ab", "01000000000000AB");
}

/* R20, R26: a leg that comes up after its call ended is an orphan. */
static void
r20_late_leg_orphan (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7001");
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"), NULL);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	sip_leg_established (h, "0100000000000001", "+1555000");
	expect (h, ORPHAN ("+1555000"), NULL);
	g_assert_cmpuint (counters (h).orphans, ==, 1);
}

/* ---- R21 ----------------------------------------------------------------- */

/* R21: EventAttachedDataChanged sends the leg what is new or changed. */
static void
r21_changed_keys_sent (Harness *h)
{
	g_autoptr (RrecKvList) a = rrec_kv_list_new ();
	g_autoptr (RrecKvList) b = rrec_kv_list_new ();
	g_autoptr (RrecKvList) c = rrec_kv_list_new ();
	RrecMessage m;

	harness_start (h, NULL);
	rrec_kv_list_add_string (a, "A", "1");
	rrec_kv_list_add_string (b, "A", "1");
	rrec_kv_list_add_string (b, "B", "2");
	rrec_kv_list_add_string (c, "A", "3");
	rrec_kv_list_add_string (c, "B", "2");
	m = with_user_data (RREC_MSG_EVENT_RINGING, C1, "7001", CALLER, a);
	m.call_type = RREC_CALL_TYPE_INBOUND;
	harness_feed (h, &m);
	ev_established (h, C1, "7001", CALLER);
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"),
		REC (C1, "start"), LEGDATA (C1, "'A':'1'"), MARK (C1, "ON"),
		NULL);
	ev_attached_data_changed (h, C1, "7001", b);
	expect (h, LEGDATA (C1, "'B':'2'"), NULL);
	ev_attached_data_changed (h, C1, "7001", c);
	expect (h, LEGDATA (C1, "'A':'3'"), NULL);
	ev_attached_data_changed (h, C1, "7001", c);
	expect (h, NULL);
}

/* R21, R28: the keys the engine writes are never sent to the leg. */
static void
r21_own_keys_not_sent (Harness *h)
{
	g_autoptr (RrecKvList) kv = rrec_kv_list_new ();

	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	rrec_kv_list_add_string (kv, "GSIP_REC_FN", C1 "_7001_+1555000");
	rrec_kv_list_add_string (kv, "GSIP_RECORD", "ON");
	rrec_kv_list_add_string (kv, "C", "x");
	ev_attached_data_changed (h, C1, "7001", kv);
	expect (h, LEGDATA (C1, "'C':'x'"), NULL);
}

/* R21: updates made before the leg is up are sent once it is, once. */
static void
r21_updates_before_leg_up (Harness *h)
{
	g_autoptr (RrecKvList) a = rrec_kv_list_new ();
	g_autoptr (RrecKvList) b = rrec_kv_list_new ();

	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7001");
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"), NULL);
	rrec_kv_list_add_string (a, "A", "1");
	rrec_kv_list_add_string (b, "A", "2");
	ev_attached_data_changed (h, C1, "7001", a);
	ev_attached_data_changed (h, C1, "7001", b);
	expect (h, NULL);
	sip_leg_established (h, "0100000000000001", "+1555000");
	expect (h, REC (C1, "start"), LEGDATA (C1, "'A':'2'"), NULL);
	sip_ack (h, h->refid_start);
	sip_ack (h, h->refid_userdata);
	expect (h, MARK (C1, "ON"), NULL);
}

/* ---- R22 ----------------------------------------------------------------- */

/* R22, R30: no free port: the start fails with the alarm; the DN's
 * trigger stays, and the call gets the next freed port, clearing it. */
static void
r22_no_free_port (Harness *h)
{
	one_port_taken (h);
	inbound (h, C2, "7003");
	expect (h, ALARM ("no-free-port", "true"), NULL);
	g_assert_true (rrec_engine_alarm_is_raised (h->engine, "no-free-port"));
	assert_state (h, C2, NULL);
	ev_released (h, C1, "7001", 0, NULL);
	/* Choice: the alarm is cleared as the port is taken, before the file
	 * name and the dial that use it. */
	expect (h, RELEASE (C1, "000"), ALARM ("no-free-port", "false"),
		STARTED (C2, "000", "7003"), NULL);
	g_assert_false (rrec_engine_alarm_is_raised (h->engine, "no-free-port"));
}

/* R22, R30: a client START without a port gets no-free-port and is
 * forgotten: a freed port does not start it. */
static void
r22_client_no_free_port (Harness *h)
{
	one_port_taken (h);
	inbound (h, C2, "7002");
	req_private (h, 221, C2, "7002", START, NULL, NULL);
	expect (h, ALARM ("no-free-port", "true"),
		ERR ("221", "7002", C2, "no-free-port"), NULL);
	g_assert_cmpuint (counters (h).client_errors, ==, 1);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	assert_state (h, C2, NULL);
	ports_in_use (h, 0);
}

/* ---- R23, R24 ------------------------------------------------------------ */

/* R23: with the link down a client START fails server-unavailable. */
static void
r23_link_down_client_start (Harness *h)
{
	harness_start (h, NULL);
	sip_server_disconnected (h);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"), NULL);
	g_assert_false (rrec_engine_link_is_up (h->engine));
	inbound (h, C1, "7002");
	req_private (h, 231, C1, "7002", START, NULL, NULL);
	expect (h, ERR ("231", "7002", C1, "server-unavailable"), NULL);
	ports_in_use (h, 0);
}

/* R23: sessions recording when the link goes down are kept intact. */
static void
r23_link_down_keeps_sessions (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	sip_server_disconnected (h);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"), NULL);
	assert_state (h, C1, "recording");
	advance (h, 10000);
	expect (h, LINK ("attempt"), NULL);
	sip_server_connected (h);
	/* R33: the leg is asked for; SIP Server still has it */
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		QUERY (C1, "000"), NULL);
	assert_state (h, C1, "recording");
	ports_in_use (h, 1);
}

/* R24: a reconnection every reconnect-timeout, reconnect-attempts times,
 * then nothing until the host says the link is up.  (Choice: the first
 * attempt is one timeout after the loss.) */
static void
r24_reconnect_attempts (Harness *h)
{
	HarnessOptions o = {
		.app = "reconnect-timeout = 10\nreconnect-attempts = 3\n",
	};

	harness_start (h, &o);
	sip_server_disconnected (h);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"), NULL);
	g_assert_true (rrec_engine_alarm_is_raised (h->engine,
						    "server-link-down"));
	advance (h, 9999);
	expect (h, NULL);
	advance (h, 1);
	expect (h, LINK ("attempt"), NULL);
	advance (h, 10000);
	expect (h, LINK ("attempt"), NULL);
	advance (h, 10000);
	expect (h, LINK ("attempt"), NULL);
	advance (h, 10000);
	advance (h, 100000);
	expect (h, NULL);
	g_assert_cmpuint (rrec_engine_pending_timers (h->engine), ==, 0);
	sip_server_connected (h);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"), NULL);
	g_assert_true (rrec_engine_link_is_up (h->engine));
	g_assert_false (rrec_engine_alarm_is_raised (h->engine,
						     "server-link-down"));
}

/* ---- R25 ----------------------------------------------------------------- */

/* R25: a dropped leg is dialled again on the same port after
 * reestablish-recording-tout; the port stays taken meanwhile (R18). */
static void
r25_redial_same_port (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	advance (h, 1000);
	sip_drop (h, "+1555000");
	expect (h, NULL);
	g_printerr ("STATE %s\n", rrec_engine_session_state (h->engine, C1));
	ports_in_use (h, 1);
	inbound (h, C2, "7003");
	expect (h, STARTED (C2, "001", "7003"), NULL);
	advance (h, 4999);
	expect (h, NULL);
	advance (h, 1);
	/* R28: no new file name, GSIP_RECORD is still ON: nothing written. */
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"), NULL);
	assert_state (h, C1, "recording");
	g_assert_cmpuint (counters (h).sessions, ==, 2);
}

/* R25: reestablish-recording-tout = 0: a dropped leg ends the session. */
static void
r25_tout_zero_never_redials (Harness *h)
{
	HarnessOptions o = {
		.remote_recording = "reestablish-recording-tout = 0\n",
	};

	harness_start (h, &o);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	sip_drop (h, "+1555000");
	expect (h, MARK (C1, "OFF"), NULL);
	assert_state (h, C1, NULL);
	ports_in_use (h, 0);
	advance (h, 60000);
	expect (h, NULL);
	g_assert_cmpuint (rrec_engine_pending_timers (h->engine), ==, 0);
}

/* R25: a re-dialled leg not up within recording-setup-tout (10 s) counts
 * as a drop: released, and dialled again later. */
static void
r25_setup_timeout_is_a_drop (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	h->healthy_sip = FALSE;
	sip_drop (h, "+1555000");
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), NULL);
	advance (h, 9999);
	expect (h, NULL);
	advance (h, 1);
	expect (h, RELEASE (C1, "000"), NULL);
	g_printerr ("STATE %s\n", rrec_engine_session_state (h->engine, C1));
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), NULL);
	sip_leg_established (h, "0100000000000042", "+1555000");
	expect (h, REC (C1, "start"), NULL);
	sip_ack (h, h->refid_start);
	expect (h, NULL);
	assert_state (h, C1, "recording");
}

/* R25: a re-dialled leg whose START is refused counts as a drop. */
static void
r25_start_refused_is_a_drop (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	h->healthy_sip = FALSE;
	sip_drop (h, "+1555000");
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), NULL);
	sip_leg_established (h, "0100000000000042", "+1555000");
	expect (h, REC (C1, "start"), NULL);
	sip_error (h, h->refid_start);
	expect (h, RELEASE (C1, "000"), NULL);
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), NULL);
}

/* R25: the redial waits for the link when it is down. */
static void
r25_redial_waits_for_link (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	sip_drop (h, "+1555000");
	sip_server_disconnected (h);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"), NULL);
	advance (h, 5000);
	expect (h, NULL);
	advance (h, 5000);
	expect (h, LINK ("attempt"), NULL);
	ports_in_use (h, 1);
	sip_server_connected (h);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		DIAL (C1, "000", "7001"), REC (C1, "start"), NULL);
	assert_state (h, C1, "recording");
}

/* ---- R26 ----------------------------------------------------------------- */

/* R26: the call ends while its leg is being dialled: released at once, no
 * GSIP request, port freed, timers cancelled. */
static void
r26_release_while_dialing (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7001");
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"), NULL);
	g_assert_cmpuint (rrec_engine_pending_timers (h->engine), ==, 1);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	ports_in_use (h, 0);
	g_assert_cmpuint (rrec_engine_pending_timers (h->engine), ==, 0);
	g_assert_false (rrec_engine_has_call (h->engine, C1));
	g_assert_cmpuint (rrec_engine_active_calls (h->engine), ==, 0);
}

/* R26: the call ends while a dropped leg waits for its redial. */
static void
r26_release_while_reestablishing (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	sip_drop (h, "+1555000");
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, NULL);
	ports_in_use (h, 0);
	g_assert_cmpuint (rrec_engine_pending_timers (h->engine), ==, 0);
	advance (h, 10000);
	expect (h, NULL);
}

/* R26: a transfer to a DN of no T-Server's (external) ends the call; one
 * to a DN of this T-Server does not. */
static void
r26_transfer_out_ends (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	inbound (h, C2, "7003");
	expect (h, STARTED (C1, "000", "7001"), STARTED (C2, "001", "7003"),
		NULL);
	ev_released (h, C1, "7001", RREC_CALL_STATE_TRANSFERRED, "7002");
	expect (h, NULL);
	g_assert_true (rrec_engine_has_call (h->engine, C1));
	ev_released (h, C2, "7003", RREC_CALL_STATE_TRANSFERRED, OUTSIDE);
	expect (h, RELEASE (C2, "001"), NULL);
	g_assert_false (rrec_engine_has_call (h->engine, C2));
}

/* R26: the call ends while its session is stopping: nothing more sent. */
static void
r26_release_while_stopping (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	h->healthy_sip = FALSE;
	ev_party_deleted (h, C1, "7001", CALLER);
	expect (h, STOPPED (C1, "000"), NULL);
	assert_state (h, C1, "stopping");
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, NULL);
	g_assert_false (rrec_engine_has_call (h->engine, C1));
	ports_in_use (h, 0);
	g_assert_cmpuint (rrec_engine_pending_timers (h->engine), ==, 0);
}

/* R26, R27: a client START waiting for two parties on a call that ends
 * unanswered gets its one reply, an EventError.  (The spec names no code
 * for it: any is accepted.) */
static void
r26_abandoned_waiting_start (Harness *h)
{
	harness_start (h, NULL);
	ev_ringing (h, C1, "7002", CALLER, RREC_CALL_TYPE_INBOUND);
	req_private (h, 261, C1, "7002", START, NULL, NULL);
	expect (h, NULL);
	ev_abandoned (h, C1, "7002");
	expect (h, ERR ("261", "7002", C1, "*"), NULL);
	g_assert_false (rrec_engine_has_call (h->engine, C1));
}

/* ---- R27 ----------------------------------------------------------------- */

#define UNKNOWN "00000000000000ff"

/* R27: unknown ConnID: no-such-call, for every request. */
static void
r27_no_such_call (Harness *h)
{
	harness_start (h, NULL);
	req_private (h, 271, UNKNOWN, "7001", START, NULL, NULL);
	req_private (h, 272, UNKNOWN, "7001", STOP, NULL, NULL);
	req_private (h, 273, UNKNOWN, "7001", PAUSE, NULL, NULL);
	req_private (h, 274, UNKNOWN, "7001", RESUME, NULL, NULL);
	expect (h, ERR ("271", "7001", UNKNOWN, "no-such-call"),
		ERR ("272", "7001", UNKNOWN, "no-such-call"),
		ERR ("273", "7001", UNKNOWN, "no-such-call"),
		ERR ("274", "7001", UNKNOWN, "no-such-call"), NULL);
	g_assert_cmpuint (counters (h).client_errors, ==, 4);
}

/* R27: PAUSE, RESUME, STOP without a session: not-recording. */
static void
r27_not_recording (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	req_private (h, 275, C1, "7002", STOP, NULL, NULL);
	req_private (h, 276, C1, "7002", PAUSE, NULL, NULL);
	req_private (h, 277, C1, "7002", RESUME, NULL, NULL);
	expect (h, ERR ("275", "7002", C1, "not-recording"),
		ERR ("276", "7002", C1, "not-recording"),
		ERR ("277", "7002", C1, "not-recording"), NULL);
}

/* R27: neither a known PrivateMsgID nor a valid `record`, or no ConnID:
 * bad-request. */
static void
r27_bad_request (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	req_private (h, 278, C1, "7002", NONE, NULL, NULL);
	req_private (h, 279, C1, "7002", NONE, "sometimes", NULL);
	req_private (h, 280, C1, "7002", 4242, NULL, NULL);
	req_private (h, 281, NULL, "7002", START, NULL, NULL);
	/* The reply names the call whenever the request named one (§5). */
	expect (h, ERR ("278", "7002", C1, "bad-request"),
		ERR ("279", "7002", C1, "bad-request"),
		ERR ("280", "7002", C1, "bad-request"),
		"client-reply event=EventError refid=281 dn=7002 error=bad-request",
		NULL);
	assert_state (h, C1, NULL);
}

/* R27, §7: a request without a ReferenceID cannot be answered: malformed. */
static void
r27_no_reference_id (Harness *h)
{
	g_autoptr (GError) error = NULL;
	RrecMessage m;

	harness_start (h, NULL);
	inbound (h, C1, "7002");
	rrec_message_init (&m, RREC_SIDE_CLIENT,
			   RREC_MSG_REQUEST_PRIVATE_SERVICE);
	m.conn_id = C1;
	m.this_dn = "7002";
	m.private_msg_id = START;
	g_assert_false (harness_try_feed (h, &m, &error));
	g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_MALFORMED);
	expect (h, NULL);
	g_assert_cmpuint (counters (h).malformed, ==, 1);
	assert_state (h, C1, NULL);
}

/* A chain of DEPTH nested lists, each level also holding WIDTH leaves. */
static RrecKvList *
nested_kv (guint depth, guint width)
{
	RrecKvList *l = rrec_kv_list_new ();

	for (guint i = 0; i < width; i++)
		rrec_kv_list_add_int (l, "leaf", i);
	if (depth > 1)
		rrec_kv_list_add_list (l, "down", nested_kv (depth - 1, width));
	return l;
}

/* §7: user data nested deeper than 32 makes the message malformed, and the
 * depth is found in time linear in the list: 40 levels are refused at once
 * (a depth measured twice per level would take 2^40 steps: the test would
 * never end); 32 levels, each with three leaves, are accepted. */
static void
s7_nested_user_data (Harness *h)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecKvList) deep = nested_kv (40, 1);
	g_autoptr (RrecKvList) limit = nested_kv (32, 3);
	RrecMessage m;

	harness_start (h, NULL);
	inbound (h, C1, "7002");	/* not recorded: no actions */
	m = skype_msg (RREC_MSG_EVENT_ATTACHED_DATA_CHANGED, C1, "7002");
	m.user_data = deep;
	g_assert_false (harness_try_feed (h, &m, &error));
	g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_MALFORMED);
	g_clear_error (&error);
	m.user_data = NULL;
	m.extensions = deep;
	g_assert_false (harness_try_feed (h, &m, &error));
	g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_MALFORMED);
	g_clear_error (&error);
	g_assert_cmpuint (counters (h).malformed, ==, 2);
	expect (h, NULL);
	m.extensions = NULL;
	m.user_data = limit;
	g_assert_true (harness_try_feed (h, &m, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (counters (h).malformed, ==, 2);
}

/* R21, §7: the look-up of a key in a long list (the user data of a call,
 * up to 10,000 keys) is indexed; it still gives the last pair of a key,
 * also after appends and after rrec_kv_list_set_string(). */
static void
s7_kv_find_long_list (void)
{
	g_autoptr (RrecKvList) l = rrec_kv_list_new ();
	char key[16];

	for (guint i = 0; i < 10000; i++) {
		g_snprintf (key, sizeof key, "k%u", i % 5000);
		rrec_kv_list_add_int (l, key, i);
	}
	for (guint i = 0; i < 5000; i++) {
		g_snprintf (key, sizeof key, "k%u", i);
		g_assert_cmpint (rrec_kv_list_find (l, key), ==, 5000 + i);
	}
	g_assert_cmpint (rrec_kv_list_find (l, "none"), ==, -1);
	rrec_kv_list_add_string (l, "k7", "late");
	g_assert_cmpint (rrec_kv_list_find (l, "k7"), ==, 10000);
	g_assert_cmpstr (rrec_kv_list_lookup_string (l, "k7"), ==, "late");
	rrec_kv_list_set_string (l, "k8", "set");	/* the first k8, pair 8 */
	g_assert_cmpint (rrec_kv_list_find (l, "k8"), ==, 5008);
	rrec_kv_list_set_string (l, "new", "x");
	g_assert_cmpint (rrec_kv_list_find (l, "new"), ==, 10001);
	g_autoptr (RrecKvList) c = rrec_kv_list_copy (l);
	g_assert_true (rrec_kv_list_equal (l, c));
	g_assert_cmpint (rrec_kv_list_find (c, "k4999"), ==, 9999);
}

/* R27: the first leg not up within recording-setup-tout: setup-failed, to
 * every START waiting for that session (R7). */
static void
r27_setup_timeout (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7002");
	req_private (h, 282, C1, "7002", START, NULL, NULL);
	expect (h, FN (C1, "7002", "000"), DIAL (C1, "000", "7002"), NULL);
	req_private (h, 283, C1, "7002", START, NULL, NULL);
	expect (h, NULL);
	advance (h, 10000);
	/* R28: the session ends while the call goes on: OFF (see R9). */
	expect (h, RELEASE (C1, "000"), MARK (C1, "OFF"),
		ERR ("282", "7002", C1, "setup-failed"),
		ERR ("283", "7002", C1, "setup-failed"), NULL);
	assert_state (h, C1, NULL);
	ports_in_use (h, 0);
}

/* R27: the first leg's START refused: setup-failed. */
static void
r27_start_refused (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7002");
	req_private (h, 284, C1, "7002", START, NULL, NULL);
	expect (h, FN (C1, "7002", "000"), DIAL (C1, "000", "7002"), NULL);
	sip_leg_established (h, "0100000000000001", "+1555000");
	expect (h, REC (C1, "start"), NULL);
	sip_error (h, h->refid_start);
	expect (h, RELEASE (C1, "000"), MARK (C1, "OFF"),
		ERR ("284", "7002", C1, "setup-failed"), NULL);
}

/* As many calls recording as the harness has ports. */
#define MANY_CALLS 1000

/* R27, R26: MANY_CALLS calls end, each while a client's PAUSE awaits SIP
 * Server's answer: each client gets its EventACK, and each session's end
 * reads its own request in flight only — not every request in flight
 * (which made the ends cost the square of the calls). */
static void
r27_ends_read_own_requests (Harness *h)
{
	char conn[17];
	guint64 before;

	harness_start (h, NULL);
	for (guint i = 0; i < MANY_CALLS; i++) {
		g_snprintf (conn, sizeof conn, "%016x", 0x1000 + i);
		inbound (h, conn, "7001");
	}
	g_assert_cmpuint (harness_count_actions (h, "record call=* op=start*"),
			  ==, MANY_CALLS);
	h->healthy_sip = FALSE;
	for (guint i = 0; i < MANY_CALLS; i++) {
		g_snprintf (conn, sizeof conn, "%016x", 0x1000 + i);
		req_private (h, 5000 + i, conn, "7001", PAUSE, NULL, NULL);
	}
	g_assert_cmpuint (harness_count_actions (h, "record call=* op=pause*"),
			  ==, MANY_CALLS);
	g_assert_cmpuint (requests_in_flight (h), ==, MANY_CALLS);
	before = request_visits (h);
	for (guint i = 0; i < MANY_CALLS; i++) {
		g_snprintf (conn, sizeof conn, "%016x", 0x1000 + i);
		ev_released (h, conn, "7001", 0, NULL);
	}
	h->healthy_sip = TRUE;
	g_assert_cmpuint (harness_count_actions (h, "client-reply event=EventACK *"),
			  ==, MANY_CALLS);
	/* one read each: its own PAUSE */
	g_assert_cmpuint (request_visits (h) - before, ==, MANY_CALLS);
	g_assert_cmpuint (requests_in_flight (h), ==, 0);
	g_assert_cmpuint (counters (h).client_errors, ==, 0);
	ports_in_use (h, 0);
}

/* R27: the order of checks: a supervisor's START on a recorded call is
 * not-allowed, not the EventACK of R7. */
static void
r27_supervisor_before_session (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	supervisor_joins (h, C1, "7001");
	req_private (h, 285, C1, "7009", START, NULL, NULL);
	expect (h, ERR ("285", "7009", C1, "not-allowed"), NULL);
}

/* R27: a STOP is answered when SIP Server acknowledged it, not before. */
static void
r27_stop_answered_on_ack (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	h->healthy_sip = FALSE;
	req_private (h, 286, C1, "7001", STOP, NULL, NULL);
	expect (h, STOPPED (C1, "000"), NULL);
	sip_ack (h, h->refid_stop);
	expect (h, ACK ("286", "7001", C1), NULL);
}

/* ---- R28, R29 ------------------------------------------------------------ */

/* R28: GSIP_RECORD follows what SIP Server acknowledged, written only when
 * it changes; GSIP_REC_FN on the first dial only. */
static void
r28_written_when_changed (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	sip_drop (h, "+1555000");
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"), NULL);
	req_private (h, 287, C1, "7001", PAUSE, NULL, NULL);
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"),
		ACK ("287", "7001", C1), NULL);
	req_private (h, 288, C1, "7001", STOP, NULL, NULL);
	/* the gap ledger goes to the call as the session ends (README) */
	expect (h, STOPPED (C1, "000"), ACK ("288", "7001", C1),
		"call-userdata call=" C1
		" data={'GSIP_REC_GAPS':'0.000-5.000:re-establishing'}", NULL);
}

/* R28, R29: the default template; date and time of the session's start on
 * the engine's clock. */
static void
r29_default_file_name (Harness *h)
{
	HarnessOptions o = { .filename = "" };
	RrecMessage m;

	harness_start (h, &o);
	rrec_engine_set_date (h->engine, "2024-05-06");
	advance (h, ((13 * 60 + 45) * 60 + 7) * 1000);
	m = skype_msg (RREC_MSG_EVENT_RINGING, C1, "7001");
	m.other_dn = CALLER;
	m.call_type = RREC_CALL_TYPE_INBOUND;
	m.call_uuid = "0RV9H7S6O8V3BSHAG7GK2LAES00002M";
	m.ani = CALLER;
	m.dnis = "7001";
	harness_feed (h, &m);
	advance (h, 2000);
	ev_established (h, C1, "7001", CALLER);
	expect (h,
		"call-userdata call=" C1 " data={'GSIP_REC_FN':"
		"'0RV9H7S6O8V3BSHAG7GK2LAES00002M_7001_+14155550100_7001_"
		"2024-05-06_13-45-09',"
		"'GSIP_REC_ID':'0RV9H7S6O8V3BSHAG7GK2LAES00002M-1'}",
		DIAL (C1, "000", "7001"), REC (C1, "start"), MARK (C1, "ON"),
		NULL);
}

/* R28, R29: a session started after the engine's date moved on names the
 * new day, not the one an earlier session was named with. */
static void
r29_file_name_next_day (Harness *h)
{
	HarnessOptions o = { .filename = "$CONNID$_$DATE$_$TIME$" };
	RrecMessage m;

	harness_start (h, &o);
	rrec_engine_set_date (h->engine, "2024-05-06");
	advance (h, ((23 * 60 + 59) * 60 + 50) * 1000);
	m = skype_msg (RREC_MSG_EVENT_RINGING, C1, "7001");
	m.other_dn = CALLER;
	harness_feed (h, &m);
	ev_established (h, C1, "7001", CALLER);
	expect (h,
		"call-userdata call=" C1 " data={'GSIP_REC_FN':"
		"'" C1 "_2024-05-06_23-59-50',"
		"'GSIP_REC_ID':'" C1 "-1'}",
		DIAL (C1, "000", "7001"), REC (C1, "start"), MARK (C1, "ON"),
		NULL);
	rrec_engine_set_date (h->engine, "2024-05-07");
	advance (h, 20 * 1000);
	m = skype_msg (RREC_MSG_EVENT_RINGING, C2, "7003");
	m.other_dn = CALLER;
	harness_feed (h, &m);
	ev_established (h, C2, "7003", CALLER);
	expect (h,
		"call-userdata call=" C2 " data={'GSIP_REC_FN':"
		"'" C2 "_2024-05-07_00-00-10',"
		"'GSIP_REC_ID':'" C2 "-1'}",
		DIAL (C2, "001", "7003"), REC (C2, "start"), MARK (C2, "ON"),
		NULL);
}

/* R29: characters outside the safe set become '_'. */
static void
r29_unsafe_characters (Harness *h)
{
	HarnessOptions o = { .filename = "$CALLUUID$-$ANI$" };
	RrecMessage m;

	harness_start (h, &o);
	m = skype_msg (RREC_MSG_EVENT_RINGING, C1, "7001");
	m.other_dn = CALLER;
	m.call_type = RREC_CALL_TYPE_INBOUND;
	m.call_uuid = "a/b c";
	m.ani = "Bob <bob@x>";
	harness_feed (h, &m);
	ev_established (h, C1, "7001", CALLER);
	/* R34: the recording id is the CallUUID as given */
	expect (h, "call-userdata call=" C1 " data={'GSIP_REC_FN':'a_b_c-Bob__bob_x_',"
		"'GSIP_REC_ID':'a/b c-1'}",
		DIAL (C1, "000", "7001"), REC (C1, "start"), MARK (C1, "ON"),
		NULL);
}

/* R29: a DN shorter than its table entry's head (16 bytes) is written
 * from the head, a longer one from its name (dntab.h): owners, ANIs and
 * DNISes of 15, 16 and 17 characters are each written whole. */
#define DN15 "700000000000015"
#define DN16 "7000000000000016"
#define DN17 "70000000000000017"
#define ANI15 "+14155550100015"
#define ANI16 "+141555501000016"
#define ANI17 "+1415555010000017"

static void
r29_dn_lengths (Harness *h)
{
	HarnessOptions o = {
		.filename = "$DN$_$ANI$_$DNIS$",
		.groups = "[dn:" DN15 "]\ntype = extension\nrecord = true\n"
			  "[dn:" DN16 "]\ntype = extension\nrecord = true\n"
			  "[dn:" DN17 "]\ntype = extension\nrecord = true\n",
	};
	const struct {
		const char *conn, *dn, *ani, *dnis, *port, *name;
	} calls[] = {
		{ C1, DN15, ANI16, DN17, "000", DN15 "_" ANI16 "_" DN17 },
		{ C2, DN16, ANI17, DN15, "001", DN16 "_" ANI17 "_" DN15 },
		{ C3, DN17, ANI15, DN16, "002", DN17 "_" ANI15 "_" DN16 },
	};

	G_STATIC_ASSERT (sizeof DN15 == 16 && sizeof DN16 == 17 && sizeof DN17 == 18);
	G_STATIC_ASSERT (sizeof ANI15 == 16 && sizeof ANI16 == 17 && sizeof ANI17 == 18);
	harness_start (h, &o);
	for (guint i = 0; i < G_N_ELEMENTS (calls); i++) {
		RrecMessage m = skype_msg (RREC_MSG_EVENT_RINGING, calls[i].conn,
					   calls[i].dn);
		g_autofree char *fn = g_strdup_printf (
			"call-userdata call=%s data={'GSIP_REC_FN':'%s',"
			"'GSIP_REC_ID':'%s-1'}", calls[i].conn, calls[i].name,
			calls[i].conn);
		g_autofree char *dial = g_strdup_printf (
			"dial-leg call=%s port=+1555%s uri=sip:+1555%s@sip.example.com dn=%s",
			calls[i].conn, calls[i].port, calls[i].port, calls[i].dn);
		g_autofree char *rec = g_strdup_printf ("record call=%s op=start",
							 calls[i].conn);
		g_autofree char *mark = g_strdup_printf (
			"call-userdata call=%s data={'GSIP_RECORD':'ON'}",
			calls[i].conn);

		m.other_dn = CALLER;
		m.ani = calls[i].ani;
		m.dnis = calls[i].dnis;
		harness_feed (h, &m);
		ev_established (h, calls[i].conn, calls[i].dn, CALLER);
		expect (h, fn, dial, rec, mark, NULL);
	}
}

/* ---- R30 ----------------------------------------------------------------- */

/* R30: a record=true DN's call that could not start while the link was
 * down gets its session when the link comes back. */
static void
r30_link_back_starts_calls (Harness *h)
{
	harness_start (h, NULL);
	sip_server_disconnected (h);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"), NULL);
	inbound (h, C1, "7001");
	expect (h, NULL);
	assert_state (h, C1, NULL);
	sip_server_connected (h);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		STARTED (C1, "000", "7001"), NULL);
}

/* R30: a client's failed start is answered and forgotten. */
static void
r30_client_start_forgotten (Harness *h)
{
	harness_start (h, NULL);
	sip_server_disconnected (h);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"), NULL);
	inbound (h, C1, "7002");
	req_private (h, 301, C1, "7002", START, NULL, NULL);
	expect (h, ERR ("301", "7002", C1, "server-unavailable"), NULL);
	sip_server_connected (h);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"), NULL);
	assert_state (h, C1, NULL);
}

/* R30: freed ports go to the waiting calls, oldest call first. */
static void
r30_port_freed_oldest_first (Harness *h)
{
	one_port_taken (h);
	inbound (h, C2, "7003");
	inbound (h, C3, "7005");
	expect (h, ALARM ("no-free-port", "true"), NULL);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), ALARM ("no-free-port", "false"),
		STARTED (C2, "000", "7003"), NULL);
	ev_released (h, C2, "7003", 0, NULL);
	expect (h, RELEASE (C2, "000"), STARTED (C3, "000", "7005"), NULL);
}

/* R30, R22: an older call that joins the wait after newer ones goes before
 * them: C4 was created first but became recordable (R6) only once C2 and
 * C3 were waiting for the port. */
static void
r30_port_freed_oldest_joined_late (Harness *h)
{
	one_port_taken (h);
	ev_ringing (h, C4, "7003", CALLER, RREC_CALL_TYPE_INBOUND);
	inbound (h, C2, "7003");
	inbound (h, C3, "7005");
	expect (h, ALARM ("no-free-port", "true"), NULL);
	ev_established (h, C4, "7003", CALLER);
	expect (h, NULL);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), ALARM ("no-free-port", "false"),
		STARTED (C4, "000", "7003"), NULL);
	ev_released (h, C4, "7003", 0, NULL);
	expect (h, RELEASE (C4, "000"), STARTED (C2, "000", "7003"), NULL);
	/* a call that leaves the wait loses its place: C3 waits alone */
	ev_released (h, C2, "7003", 0, NULL);
	expect (h, RELEASE (C2, "000"), STARTED (C3, "000", "7005"), NULL);
}

#define MANY_WAITING 10000

/* R30, R22: MANY_WAITING calls wait for the one port, and get it one by
 * one as each recording ends, oldest first.  A call's join, its leave and
 * each port's offer read O(log n) of the waiting calls (a tree search),
 * not all of them: about 4 searches of log2(10^4) ~ 14 steps per call,
 * where a list scanned each time read ~n^2 (10^8) in all. */
static void
r30_port_freed_reads_few_waiting (Harness *h)
{
	HarnessOptions o = { .port_limit = 1 };
	char conn[17], prev[17], pattern[64];
	guint64 before;

	harness_start (h, &o);
	before = waiting_visits (h);
	for (guint i = 0; i <= MANY_WAITING; i++) {
		g_snprintf (conn, sizeof conn, "%016x", 0x10000 + i);
		inbound (h, conn, "7001");
	}
	g_assert_cmpuint (harness_count_actions (h, "dial-leg call=* port=*"),
			  ==, 1);
	g_assert_true (rrec_engine_alarm_is_raised (h->engine, "no-free-port"));
	for (guint i = 0; i < MANY_WAITING; i++) {
		g_snprintf (prev, sizeof prev, "%016x", 0x10000 + i);
		g_snprintf (conn, sizeof conn, "%016x", 0x10000 + i + 1);
		ev_released (h, prev, "7001", 0, NULL);
		/* the oldest waiting call dials (one port: it alone) */
		g_snprintf (pattern, sizeof pattern, "dial-leg call=%s port=*",
			    conn);
		g_assert_cmpuint (harness_count_actions (h, pattern), ==, 1);
	}
	ports_in_use (h, 1);
	g_test_message ("waiting calls read: %" G_GUINT64_FORMAT " for %u calls",
			waiting_visits (h) - before, MANY_WAITING);
	g_assert_cmpuint (waiting_visits (h) - before, <=, 64 * MANY_WAITING);
}

/* R26 before R16: a transfer out of this T-Server with record-moh = false
 * ends the call: the leg is released, no PAUSE. */
static void
r26_transfer_out_no_pause (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_released (h, C1, "7001", RREC_CALL_STATE_TRANSFERRED, OUTSIDE);
	expect (h, RELEASE (C1, "000"), NULL);
}

/* R21: user data seen before the session exists goes to its leg. */
static void
r21_data_before_session (Harness *h)
{
	g_autoptr (RrecKvList) kv = rrec_kv_list_new ();

	harness_start (h, NULL);
	inbound (h, C1, "7002");
	rrec_kv_list_add_string (kv, "Order", "42");
	ev_attached_data_changed (h, C1, "7002", kv);
	expect (h, NULL);
	req_private (h, 211, C1, "7002", START, NULL, NULL);
	expect (h, FN (C1, "7002", "000"), DIAL (C1, "000", "7002"),
		REC (C1, "start"), LEGDATA (C1, "'Order':'42'"),
		MARK (C1, "ON"), ACK ("211", "7002", C1), NULL);
}

/* R24: reconnect-attempts = 0: no attempt at all. */
static void
r24_no_attempts (Harness *h)
{
	HarnessOptions o = { .app = "reconnect-attempts = 0\n" };

	harness_start (h, &o);
	sip_server_disconnected (h);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"), NULL);
	advance (h, 60000);
	expect (h, NULL);
	g_assert_cmpuint (rrec_engine_pending_timers (h->engine), ==, 0);
}

/* R22: the alarm is raised once while it stands, and cleared once. */
static void
r22_alarm_raised_once (Harness *h)
{
	one_port_taken (h);
	inbound (h, C2, "7002");
	req_private (h, 222, C2, "7002", START, NULL, NULL);
	req_private (h, 223, C2, "7002", START, NULL, NULL);
	expect (h, ALARM ("no-free-port", "true"),
		ERR ("222", "7002", C2, "no-free-port"),
		ERR ("223", "7002", C2, "no-free-port"), NULL);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	inbound (h, C3, "7003");
	expect (h, ALARM ("no-free-port", "false"),
		STARTED (C3, "000", "7003"), NULL);
	ev_released (h, C3, "7003", 0, NULL);
	inbound (h, C4, "7005");
	expect (h, RELEASE (C3, "000"), STARTED (C4, "000", "7005"), NULL);
}

/* R25, R26: the leg dropped while the PAUSE is in flight: redialled, and
 * the new leg paused once started (R14). */
static void
r25_drop_while_pausing (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	h->healthy_sip = FALSE;
	req_private (h, 251, C1, "7001", PAUSE, NULL, NULL);
	expect (h, REC (C1, "pause"), NULL);
	sip_drop (h, "+1555000");
	/* R27: the PAUSE is answered once SIP Server has acknowledged one:
	 * the new leg's. */
	expect (h, NULL);
	h->healthy_sip = TRUE;
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"),
		REC (C1, "pause"), MARK (C1, "PAUSED"),
		ACK ("251", "7001", C1), NULL);
	assert_state (h, C1, "paused");
}

static void
add_tests (void)
{
	harness_add ("R18/ports-ascending-then-oldest-released",
		     r18_port_order);
	harness_add ("R18/never-used-first", r18_never_used_first);
	harness_add ("R19/dnis-without-plus", r19_dnis_without_plus);
	harness_add ("R19/start-then-user-data", r19_start_then_user_data);
	harness_add ("R20/unknown-dnis-orphan", r20_unknown_dnis_orphan);
	harness_add ("R19/leg-text-any-case", r19_leg_text_any_case);
	harness_add ("R19/leg-hex-any-case", r19_leg_hex_any_case);
	harness_add ("R20/duplicate-leg-orphan", r20_duplicate_leg_orphan);
	harness_add ("R20/late-leg-orphan", r20_late_leg_orphan);
	harness_add ("R21/changed-keys-sent", r21_changed_keys_sent);
	harness_add ("R21/own-keys-not-sent", r21_own_keys_not_sent);
	harness_add ("R21/updates-before-leg-up", r21_updates_before_leg_up);
	harness_add ("R22/no-free-port-alarm", r22_no_free_port);
	harness_add ("R22/client-no-free-port", r22_client_no_free_port);
	harness_add ("R23/link-down-client-start",
		     r23_link_down_client_start);
	harness_add ("R23/link-down-keeps-sessions",
		     r23_link_down_keeps_sessions);
	harness_add ("R24/reconnect-attempts", r24_reconnect_attempts);
	harness_add ("R25/redial-same-port", r25_redial_same_port);
	harness_add ("R25/tout-zero-never-redials",
		     r25_tout_zero_never_redials);
	harness_add ("R25/setup-timeout-is-a-drop",
		     r25_setup_timeout_is_a_drop);
	harness_add ("R25/start-refused-is-a-drop",
		     r25_start_refused_is_a_drop);
	harness_add ("R25/redial-waits-for-link", r25_redial_waits_for_link);
	harness_add ("R26/release-while-dialing", r26_release_while_dialing);
	harness_add ("R26/release-while-reestablishing",
		     r26_release_while_reestablishing);
	harness_add ("R26/transfer-out-ends", r26_transfer_out_ends);
	harness_add ("R26/release-while-stopping",
		     r26_release_while_stopping);
	harness_add ("R26/abandoned-waiting-start",
		     r26_abandoned_waiting_start);
	harness_add ("R27/no-such-call", r27_no_such_call);
	harness_add ("R27/not-recording", r27_not_recording);
	harness_add ("R27/bad-request", r27_bad_request);
	harness_add ("R27/no-reference-id-malformed", r27_no_reference_id);
	harness_add ("S7/user-data-nested-linear", s7_nested_user_data);
	g_test_add_func ("/engine/S7/kv-find-long-list", s7_kv_find_long_list);
	harness_add ("R27/setup-timeout-setup-failed", r27_setup_timeout);
	harness_add ("R27/start-refused-setup-failed", r27_start_refused);
	/* no restore run: MANY_CALLS calls saved and restored at each of
	 * thousands of steps */
	harness_add_once ("R27/ends-read-own-requests", TRUE,
			  r27_ends_read_own_requests);
	harness_add ("R27/supervisor-checked-before-session",
		     r27_supervisor_before_session);
	harness_add ("R27/stop-answered-on-ack", r27_stop_answered_on_ack);
	harness_add ("R28/written-only-when-changed",
		     r28_written_when_changed);
	harness_add ("R29/default-file-name-on-first-dial",
		     r29_default_file_name);
	harness_add ("R29/file-name-next-day-on-first-dial",
		     r29_file_name_next_day);
	harness_add ("R29/unsafe-characters", r29_unsafe_characters);
	harness_add ("R29/dn-head-lengths", r29_dn_lengths);
	harness_add ("R30/link-back-starts-waiting-calls",
		     r30_link_back_starts_calls);
	harness_add ("R30/client-failed-start-forgotten",
		     r30_client_start_forgotten);
	harness_add ("R30/port-freed-oldest-first",
		     r30_port_freed_oldest_first);
	harness_add ("R30/port-freed-oldest-joined-late",
		     r30_port_freed_oldest_joined_late);
	/* no restore run: MANY_WAITING calls saved and restored at each step */
	harness_add_once ("R30/port-freed-reads-few-waiting", TRUE,
			  r30_port_freed_reads_few_waiting);
	harness_add_moh ("R26/transfer-out-no-pause", FALSE,
			 r26_transfer_out_no_pause);
	harness_add ("R21/data-before-session", r21_data_before_session);
	harness_add ("R24/no-attempts", r24_no_attempts);
	harness_add ("R22/alarm-raised-once", r22_alarm_raised_once);
	harness_add ("R25/drop-while-pausing", r25_drop_while_pausing);
}

int
main (int argc, char **argv)
{
	return harness_run (argc, argv, add_tests);
}
