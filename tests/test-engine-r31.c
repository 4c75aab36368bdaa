/*
 * test-engine-r31.c — calls that end outside the call models (behaviour.md
 * R31): EventCallDeleted, and rrec_engine_reconcile() used as an audit at
 * any time.
 */
#include "engine-harness.h"

#define DELETED(c, p) \
	"release-leg call=" c " port=+1555" p " reason=call-deleted"
#define GONE(c, p) "release-leg call=" c " port=+1555" p " reason=call-gone"

static void
call_deleted (Harness *h, const char *conn)
{
	RrecMessage m = skype_msg (RREC_MSG_EVENT_CALL_DELETED, conn, NULL);

	harness_feed (h, &m);
}

/* R31: EventCallDeleted ends the call as R26 does, whatever parties the
 * engine still believes present: no GSIP request, the leg released with
 * reason call-deleted, the port free. */
static void
r31_call_deleted_ends_call (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	ev_established (h, C1, "7003", CALLER);
	expect (h, STARTED (C1, "000", "7001"), NULL);
	call_deleted (h, C1);
	expect (h, DELETED (C1, "000"), NULL);
	ports_in_use (h, 0);
	g_assert_false (rrec_engine_has_call (h->engine, C1));
	/* events for it afterwards are unknown-call events (§7) */
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, NULL);
}

/* R31, R26: a leg still being dialled is released too. */
static void
r31_call_deleted_while_dialing (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7001");
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"), NULL);
	call_deleted (h, C1);
	expect (h, DELETED (C1, "000"), NULL);
	ports_in_use (h, 0);
	g_assert_cmpuint (rrec_engine_pending_timers (h->engine), ==, 0);
}

/* R31, R25: while the session waits to re-dial: no leg to release, the
 * port is freed and the redial timer cancelled. */
static void
r31_call_deleted_while_reestablishing (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	sip_drop (h, "+1555000");
	assert_state (h, C1, "reestablishing");
	call_deleted (h, C1);
	expect (h, NULL);
	ports_in_use (h, 0);
	g_assert_cmpuint (rrec_engine_pending_timers (h->engine), ==, 0);
}

/* R31, R27: a client START still waiting for two parties gets its one
 * reply, setup-failed. */
static void
r31_call_deleted_answers_waiting_start (Harness *h)
{
	harness_start (h, NULL);
	ev_ringing (h, C1, "7002", CALLER, RREC_CALL_TYPE_INBOUND);
	req_private (h, 311, C1, "7002", START, NULL, NULL);
	expect (h, NULL);
	call_deleted (h, C1);
	expect (h, ERR ("311", "7002", C1, "setup-failed"), NULL);
}

/* R31, §7: an EventCallDeleted for an unknown call is ignored. */
static void
r31_unknown_call_ignored (Harness *h)
{
	guint64 before;

	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	before = counters (h).ignored;
	call_deleted (h, C2);
	expect (h, NULL);
	g_assert_cmpuint (counters (h).ignored, ==, before + 1);
	assert_state (h, C1, "recording");
}

/* R31: the freed port goes to a call waiting for one (R30). */
static void
r31_call_deleted_frees_port (Harness *h)
{
	one_port_taken (h);
	inbound (h, C2, "7003");
	expect (h, ALARM ("no-free-port", "true"), NULL);
	call_deleted (h, C1);
	expect (h, DELETED (C1, "000"), ALARM ("no-free-port", "false"),
		STARTED (C2, "000", "7003"), NULL);
}

/* ---- the rule an action names (§5: `rule` of each JSON line) ------------- */

/* "reason rule" of every release-leg the engine hands over, in order. */
static GPtrArray *released;

static void
release_hook (Harness *h, const RrecAction *a)
{
	if (a->kind == RREC_ACTION_RELEASE_LEG)
		g_ptr_array_add (released, g_strdup_printf ("%s %s", a->reason,
							    a->rule ? a->rule : "-"));
}

static void
watch_releases (Harness *h)
{
	if (released == NULL)
		released = g_ptr_array_new_with_free_func (g_free);
	g_ptr_array_set_size (released, 0);
	h->action_hook = release_hook;
}

static void
assert_released (const char *const *want)
{
	guint n = 0;

	while (want[n])
		n++;
	for (guint i = 0; i < MAX (n, released->len); i++)
		if (i >= n || i >= released->len ||
		    g_strcmp0 (want[i], g_ptr_array_index (released, i)) != 0)
			g_error ("release %u: wanted '%s', got '%s'", i,
				 i < n ? want[i] : "(none)",
				 i < released->len ?
				 (char *) g_ptr_array_index (released, i) :
				 "(none)");
	g_ptr_array_set_size (released, 0);
}

/* R31: the leg of a call ended by EventCallDeleted is released by R31's
 * decision (R26 says how: no GSIP request), whatever state its session is
 * in: the rule of the release-leg is R31, in recording, dialling, starting
 * and paused sessions. */
static void
r31_release_names_r31 (Harness *h)
{
	static const char *const one[] = { "call-deleted R31", NULL };
	HarnessOptions o = { .port_limit = 1 };	/* every call on +1555000 */

	harness_start (h, &o);
	watch_releases (h);
	/* recording */
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	call_deleted (h, C1);
	expect (h, DELETED (C1, "000"), NULL);
	assert_released (one);
	/* paused by a client (R17) */
	inbound (h, C2, "7001");
	expect (h, STARTED (C2, "000", "7001"), NULL);
	req_private (h, 401, C2, "7001", PAUSE, NULL, NULL);
	expect (h, REC (C2, "pause"), MARK (C2, "PAUSED"),
		ACK ("401", "7001", C2), NULL);
	call_deleted (h, C2);
	expect (h, DELETED (C2, "000"), NULL);
	assert_released (one);
	/* dialling, then starting: SIP Server answers by hand */
	h->healthy_sip = FALSE;
	inbound (h, C3, "7001");
	expect (h, FN (C3, "7001", "000"), DIAL (C3, "000", "7001"), NULL);
	call_deleted (h, C3);
	expect (h, DELETED (C3, "000"), NULL);
	assert_released (one);
	inbound (h, C4, "7001");
	expect (h, FN (C4, "7001", "000"), DIAL (C4, "000", "7001"), NULL);
	sip_leg_established (h, "0100000000000004", "+1555000");
	expect (h, REC (C4, "start"), NULL);
	call_deleted (h, C4);
	expect (h, DELETED (C4, "000"), NULL);
	assert_released (one);
	h->action_hook = NULL;
}

/* ---- the audit ------------------------------------------------------------ */

/* R31: reconcile at any time (not after a restart) is an audit: a call the
 * host no longer has ends with reason call-gone; a call it has is left
 * alone, with its client still waiting; nothing is reported reattached. */
static void
r31_audit_call_gone (Harness *h)
{
	const char *const c2_parties[] = { "7003", CALLER, NULL };
	const RrecLiveCall calls[] = { { C2, c2_parties }, { C3, NULL } };
	RrecLiveView view = { .calls = calls, .n_calls = 2 };
	guint64 orphans;

	harness_start (h, NULL);
	inbound (h, C1, "7001");
	inbound (h, C2, "7003");
	expect (h, STARTED (C1, "000", "7001"), STARTED (C2, "001", "7003"),
		NULL);
	ev_ringing (h, C3, "7002", CALLER, RREC_CALL_TYPE_INBOUND);
	req_private (h, 312, C3, "7002", START, NULL, NULL);
	expect (h, NULL);
	orphans = counters (h).orphans;

	const RrecLiveLeg legs[] = {
		{ "+1555001", rrec_sip_sim_leg_at (h->sim, "+1555001") },
	};
	view.legs = legs;
	view.n_legs = 1;
	view.link_up = TRUE;
	h->now += 1000;
	rrec_engine_reconcile (h->engine, h->now, &view);
	harness_feed_answers (h);
	expect (h, GONE (C1, "000"), NULL);
	g_assert_false (rrec_engine_has_call (h->engine, C1));
	assert_state (h, C2, "recording");
	g_assert_cmpuint (counters (h).orphans, ==, orphans);
	ports_in_use (h, 1);
	/* the client of C3 still waits for its start (R27) */
	ev_established (h, C3, "7002", CALLER);
	expect (h, STARTED (C3, "002", "7002"), ACK ("312", "7002", C3), NULL);
}

/* R31: an audit of calls only (calls_only) leaves legs and the link alone;
 * a party the host no longer lists is released (R26 when none is left). */
static void
r31_audit_calls_only (Harness *h)
{
	const char *const c1_parties[] = { "7001", CALLER, NULL };
	const char *const c2_parties[] = { CALLER, NULL };
	const RrecLiveCall calls[] = { { C1, c1_parties }, { C2, c2_parties } };
	RrecLiveView view = { .calls = calls, .n_calls = 2, .calls_only = TRUE };

	harness_start (h, NULL);
	inbound (h, C1, "7001");
	inbound (h, C2, "7003");
	expect (h, STARTED (C1, "000", "7001"), STARTED (C2, "001", "7003"),
		NULL);
	rrec_engine_reconcile (h->engine, h->now, &view);
	harness_feed_answers (h);
	/* 7003 is gone from C2: no DN of this T-Server is left (R26) */
	expect (h, GONE (C2, "001"), NULL);
	assert_state (h, C1, "recording");
	g_assert_true (rrec_engine_link_is_up (h->engine));
}

/* R31: an audit's release of a call the host no longer has names R31, the
 * rule that decided it (as EventCallDeleted's); a call that lost its last
 * DN of this T-Server in the audit ends by R26 (its last release). */
static void
r31_audit_release_names_r31 (Harness *h)
{
	static const char *const want[] = { "call-gone R31", "call-gone R26",
					    NULL };
	const char *const c2_parties[] = { CALLER, NULL };
	const RrecLiveCall calls[] = { { C2, c2_parties } };
	RrecLiveView view = { .calls = calls, .n_calls = 1, .calls_only = TRUE };

	harness_start (h, NULL);
	watch_releases (h);
	inbound (h, C1, "7001");
	inbound (h, C2, "7003");
	expect (h, STARTED (C1, "000", "7001"), STARTED (C2, "001", "7003"),
		NULL);
	/* C1 is not in the view; C2 is, without 7003 */
	rrec_engine_reconcile (h->engine, h->now, &view);
	harness_feed_answers (h);
	expect (h, GONE (C1, "000"), GONE (C2, "001"), NULL);
	assert_released (want);
	h->action_hook = NULL;
}

/* R31, R20: an audit with the legs: a leg no session owns is an orphan; a
 * session whose leg SIP Server no longer has dials again on its port. */
static void
r31_audit_legs (Harness *h)
{
	const char *const c1_parties[] = { "7001", CALLER, NULL };
	const RrecLiveCall calls[] = { { C1, c1_parties } };
	const RrecLiveLeg legs[] = { { "+1555007", "0100000000000077" } };
	const RrecLiveView view = { .calls = calls, .n_calls = 1, .legs = legs,
				    .n_legs = 1, .link_up = TRUE };

	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	rrec_engine_reconcile (h->engine, h->now, &view);
	harness_feed_answers (h);
	expect (h, "reconcile call=" C1 " port=+1555000 reason=leg-gone-redial",
		DIAL (C1, "000", "7001"), "release-leg port=+1555007 reason=orphan",
		REC (C1, "start"), NULL);
	g_assert_cmpuint (counters (h).orphans, ==, 1);
	assert_state (h, C1, "recording");
}

static void
add_tests (void)
{
	harness_add ("R31/call-deleted-ends-call", r31_call_deleted_ends_call);
	harness_add ("R31/call-deleted-while-dialing",
		     r31_call_deleted_while_dialing);
	harness_add ("R31/call-deleted-while-reestablishing",
		     r31_call_deleted_while_reestablishing);
	harness_add ("R31/call-deleted-answers-waiting-start",
		     r31_call_deleted_answers_waiting_start);
	harness_add ("R31/unknown-call-ignored", r31_unknown_call_ignored);
	harness_add ("R31/call-deleted-frees-port", r31_call_deleted_frees_port);
	harness_add ("R31/release-names-r31", r31_release_names_r31);
	/* an audit is a reconcile on an engine not just restored: these
	 * scenarios call it directly, so they run without the restore run */
	harness_add_once ("R31/audit-call-gone", TRUE, r31_audit_call_gone);
	harness_add_once ("R31/audit-calls-only", TRUE, r31_audit_calls_only);
	harness_add_once ("R31/audit-legs", TRUE, r31_audit_legs);
	harness_add_once ("R31/audit-release-names-r31", TRUE,
			  r31_audit_release_names_r31);
}

int
main (int argc, char **argv)
{
	return harness_run (argc, argv, add_tests);
}
