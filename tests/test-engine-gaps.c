/*
 * test-engine-gaps.c — the gap ledger: every interval in which a call the
 * engine records was established but its leg was not recording, with its
 * cause, as `gap` actions and as GSIP_REC_GAPS on the call (README, "The
 * gap ledger").  Times in the texts are the engine clock in ms.
 */
#include <string.h>

#include "engine-harness.h"

static const HarnessOptions with_gaps = { .gaps = TRUE };

/* R15: a hold on a recorded call with record-moh = false is a `hold` gap
 * from the acknowledged PAUSE to the acknowledged RESUME. */
static void
gap_hold (Harness *h)
{
	harness_start (h, &with_gaps);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	advance (h, 1000);
	ev_held (h, C1, "7001");
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	advance (h, 4000);
	ev_retrieved (h, C1, "7001");
	expect (h, REC (C1, "resume"), MARK (C1, "ON"),
		GAP (C1, 1000, 5000, "hold"), NULL);
}

/* R25: a dropped leg is a `re-establishing` gap until the redialled leg's
 * START is acknowledged; the ledger goes to the call's user data when the
 * session ends while the call goes on. */
static void
gap_redial_then_stop (Harness *h)
{
	harness_start (h, &with_gaps);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	advance (h, 2000);
	sip_drop (h, "+1555000");
	expect (h, NULL);
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"),
		GAP (C1, 2000, 7000, "re-establishing"), NULL);
	advance (h, 1000);
	req_private (h, 301, C1, "7001", STOP, NULL, NULL);
	expect (h, STOPPED (C1, "000"), ACK ("301", "7001", C1),
		GAPS (C1, "2.000-7.000:re-establishing"), NULL);
}

/* R22, R30: a call that waits for a port has a `no-free-port` gap until
 * its recording starts. */
static void
gap_no_free_port (Harness *h)
{
	HarnessOptions o = { .port_limit = 1, .gaps = TRUE };

	harness_start (h, &o);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	advance (h, 1000);
	inbound (h, C2, "7003");
	expect (h, ALARM ("no-free-port", "true"), NULL);
	advance (h, 3000);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), ALARM ("no-free-port", "false"),
		STARTED (C2, "000", "7003"),
		GAP (C2, 1000, 4000, "no-free-port"), NULL);
}

/* R23, R24, R30: a start refused for the link is a `server-link-down` gap
 * until the link is back and the leg records. */
static void
gap_link_down (Harness *h)
{
	harness_start (h, &with_gaps);
	sip_server_disconnected (h);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"), NULL);
	inbound (h, C1, "7001");
	expect (h, NULL);
	advance (h, 3000);
	expect (h, NULL);	/* reconnect-timeout is 10 s */
	sip_server_connected (h);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		STARTED (C1, "000", "7001"),
		GAP (C1, 0, 3000, "server-link-down"), NULL);
}

/* R26: the call's end closes the open gap; the call is gone, so nothing is
 * written to it. */
static void
gap_closed_at_call_end (Harness *h)
{
	harness_start (h, &with_gaps);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_held (h, C1, "7001");
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	advance (h, 2500);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, GAP (C1, 0, 2500, "hold"), RELEASE (C1, "000"), NULL);
}

/* The ledger keeps at most 64 gaps per call: the 65th merges the two
 * neighbours with the least recorded time between them. */
static void
gap_ledger_bounded (Harness *h)
{
	harness_start (h, NULL);	/* gap actions not listed */
	inbound (h, C1, "7001");
	for (guint i = 0; i < 70; i++) {
		advance (h, i == 3 ? 1 : 1000);	/* the closest pair: #2, #3 */
		ev_held (h, C1, "7001");
		advance (h, 1000);
		ev_retrieved (h, C1, "7001");
	}
	g_ptr_array_set_size (h->actions, 0);
	req_private (h, 302, C1, "7001", STOP, NULL, NULL);

	const char *last = g_ptr_array_index (h->actions, h->actions->len - 1);
	const char *v = strstr (last, "'GSIP_REC_GAPS':'");
	g_assert_nonnull (v);
	g_auto (GStrv) gaps = g_strsplit (v + strlen ("'GSIP_REC_GAPS':'"), ";", -1);
	g_assert_cmpuint (g_strv_length (gaps), ==, 64);
	/* The first merge joins #2 and #3 (1 ms apart); then every space is
	 * 1 s and the oldest pair goes first: #0-#6 end up as one gap. */
	g_assert_cmpstr (gaps[0], ==, "1.000-13.001:hold");
	g_assert_cmpstr (gaps[1], ==, "14.001-15.001:hold");
	g_assert_true (g_str_has_suffix (gaps[63], "-139.001:hold'}"));
	g_ptr_array_set_size (h->actions, 0);
}

/* R21: GSIP_REC_GAPS is the engine's own key: never sent to the leg. */
static void
gap_key_not_sent_to_leg (Harness *h)
{
	g_autoptr (RrecKvList) kv = rrec_kv_list_new ();

	harness_start (h, &with_gaps);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	rrec_kv_list_add_string (kv, "GSIP_REC_GAPS", "1.000-2.000:hold");
	rrec_kv_list_add_string (kv, "Segment", "gold");
	ev_attached_data_changed (h, C1, "7001", kv);
	expect (h, LEGDATA (C1, "'Segment':'gold'"), NULL);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	harness_add_moh ("gaps/R15/hold", FALSE, gap_hold);
	harness_add ("gaps/R25/redial-then-stop", gap_redial_then_stop);
	harness_add ("gaps/R22/no-free-port", gap_no_free_port);
	harness_add ("gaps/R24/link-down", gap_link_down);
	harness_add_moh ("gaps/R26/closed-at-call-end", FALSE,
			 gap_closed_at_call_end);
	harness_add_moh ("gaps/ledger-bounded", FALSE, gap_ledger_bounded);
	harness_add ("gaps/R21/key-not-sent-to-leg", gap_key_not_sent_to_leg);
	return g_test_run ();
}
