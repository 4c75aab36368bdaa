/*
 * test-engine-r35.c — failure alarms and the limit on re-dials
 * (behaviour.md R35).
 */
#include "engine-harness.h"

#define RELEASE_FAILED(c, p) \
	"release-leg call=" c " port=+1555" p " reason=reestablish-failed"

static void
assert_alarm (Harness *h, gboolean raised)
{
	g_assert_cmpint (rrec_engine_alarm_is_raised (h->engine,
						      "recording-failing"), ==,
			 raised);
}

/* A client START whose first leg never comes up (R27): setup-failed. */
static void
failed_start (Harness *h, gint64 refid, const char *refid_text,
	      const char *port, gboolean first, gboolean alarm)
{
	g_autofree char *fn = g_strdup_printf (
		"call-userdata call=" C1 " data={'GSIP_REC_FN':'" C1
		"_7002_+1555%s','GSIP_REC_ID':'*'}", port);
	g_autofree char *dial = g_strdup_printf (
		"dial-leg call=" C1 " port=+1555%s uri=sip:+1555%s@sip.example.com"
		" dn=7002", port, port);
	g_autofree char *release = g_strdup_printf (
		"release-leg call=" C1 " port=+1555%s reason=*", port);
	g_autofree char *err = g_strdup_printf (
		"client-reply event=EventError refid=%s dn=7002 call=" C1
		" error=setup-failed", refid_text);

	req_private (h, refid, C1, "7002", START, NULL, NULL);
	expect (h, fn, dial, NULL);
	advance (h, 10000);
	if (first)
		expect (h, release, MARK (C1, "OFF"), err, NULL);
	else if (alarm)
		expect (h, release, ALARM ("recording-failing", "true"), err, NULL);
	else
		expect (h, release, err, NULL);
}

/* R35: recording-failure-alarm (default 3) failed starts in a row raise
 * `recording-failing`; the next START SIP Server acknowledges clears it. */
static void
r35_alarm_raised_and_cleared (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7002");
	failed_start (h, 351, "351", "000", TRUE, FALSE);
	assert_alarm (h, FALSE);
	failed_start (h, 352, "352", "001", FALSE, FALSE);
	assert_alarm (h, FALSE);
	failed_start (h, 353, "353", "002", FALSE, TRUE);
	assert_alarm (h, TRUE);
	/* raised once: a fourth failure says nothing more */
	failed_start (h, 354, "354", "003", FALSE, FALSE);
	h->healthy_sip = TRUE;
	req_private (h, 355, C1, "7002", START, NULL, NULL);
	expect (h, FN (C1, "7002", "004"), DIAL (C1, "004", "7002"),
		REC (C1, "start"), ALARM ("recording-failing", "false"),
		MARK (C1, "ON"), ACK ("355", "7002", C1), NULL);
	assert_alarm (h, FALSE);
}

/* R35: recording-failure-alarm = 0: never raised. */
static void
r35_alarm_off (Harness *h)
{
	HarnessOptions o = { .remote_recording = "recording-failure-alarm = 0\n" };

	harness_start (h, &o);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7002");
	failed_start (h, 356, "356", "000", TRUE, FALSE);
	failed_start (h, 357, "357", "001", FALSE, FALSE);
	failed_start (h, 358, "358", "002", FALSE, FALSE);
	assert_alarm (h, FALSE);
}

/* R35: a START acknowledged between failures starts the count again. */
static void
r35_success_resets_count (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7002");
	failed_start (h, 361, "361", "000", TRUE, FALSE);
	failed_start (h, 362, "362", "001", FALSE, FALSE);
	h->healthy_sip = TRUE;
	req_private (h, 363, C1, "7002", START, NULL, NULL);
	expect (h, FN (C1, "7002", "002"), DIAL (C1, "002", "7002"),
		REC (C1, "start"), MARK (C1, "ON"), ACK ("363", "7002", C1),
		NULL);
	req_private (h, 364, C1, "7002", STOP, NULL, NULL);
	expect (h, STOPPED (C1, "002"), ACK ("364", "7002", C1), NULL);
	h->healthy_sip = FALSE;
	failed_start (h, 365, "365", "003", FALSE, FALSE);
	failed_start (h, 366, "366", "004", FALSE, FALSE);
	assert_alarm (h, FALSE);
}

/* R35, R25: a re-dial that fails counts too (a dial plan that changes the
 * number fails every leg). */
static void
r35_redial_failures_count (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	h->healthy_sip = FALSE;
	sip_drop (h, "+1555000");
	for (int i = 0; i < 3; i++) {
		advance (h, 5000);
		expect (h, DIAL (C1, "000", "7001"), NULL);
		advance (h, 10000);
		if (i < 2)
			expect (h, RELEASE (C1, "000"), NULL);
		else
			expect (h, RELEASE (C1, "000"),
				ALARM ("recording-failing", "true"), NULL);
	}
	assert_state (h, C1, "reestablishing");
}

/* R35: reestablish-max-attempts = 2: the second re-dial in a row that
 * fails ends the session: its leg released with reason reestablish-failed
 * (no STOP), GSIP_RECORD = OFF, the call's triggers cleared as by a client
 * STOP (R10): 7001 does not start again; a new trigger (7003) does. */
static void
r35_max_attempts_gives_up (Harness *h)
{
	HarnessOptions o = { .remote_recording = "reestablish-max-attempts = 2\n" };

	harness_start (h, &o);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	h->healthy_sip = FALSE;
	sip_drop (h, "+1555000");
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), NULL);
	advance (h, 10000);
	expect (h, RELEASE (C1, "000"), NULL);
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), NULL);
	advance (h, 10000);
	expect (h, RELEASE_FAILED (C1, "000"), MARK (C1, "OFF"),
		GAPS (C1, "0.000-30.000:re-establishing"), NULL);
	assert_state (h, C1, NULL);
	ports_in_use (h, 0);
	g_assert_cmpuint (rrec_engine_pending_timers (h->engine), ==, 0);
	h->healthy_sip = TRUE;
	ev_held (h, C1, "7001");
	ev_retrieved (h, C1, "7001");
	expect (h, NULL);
	ev_established (h, C1, "7003", CALLER);
	expect (h, STARTED (C1, "001", "7003"), NULL);
}

/* R35: a START acknowledged in between starts the re-dials again. */
static void
r35_max_attempts_counts_in_a_row (Harness *h)
{
	HarnessOptions o = { .remote_recording = "reestablish-max-attempts = 2\n" };

	harness_start (h, &o);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	h->healthy_sip = FALSE;
	sip_drop (h, "+1555000");
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), NULL);
	advance (h, 10000);
	expect (h, RELEASE (C1, "000"), NULL);
	h->healthy_sip = TRUE;
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"), NULL);
	assert_state (h, C1, "recording");
	h->healthy_sip = FALSE;
	sip_drop (h, "+1555000");
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), NULL);
	advance (h, 10000);
	expect (h, RELEASE (C1, "000"), NULL);
	assert_state (h, C1, "reestablishing");
}

static void
add_tests (void)
{
	harness_add ("R35/alarm-raised-and-cleared", r35_alarm_raised_and_cleared);
	harness_add ("R35/alarm-off", r35_alarm_off);
	harness_add ("R35/success-resets-count", r35_success_resets_count);
	harness_add ("R35/redial-failures-count", r35_redial_failures_count);
	harness_add ("R35/max-attempts-gives-up", r35_max_attempts_gives_up);
	harness_add ("R35/max-attempts-counts-in-a-row",
		     r35_max_attempts_counts_in_a_row);
}

int
main (int argc, char **argv)
{
	return harness_run (argc, argv, add_tests);
}
