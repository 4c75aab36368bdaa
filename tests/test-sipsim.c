/*
 * test-sipsim.c — the legs the simulated SIP Server keeps (src/sim/sipsim.c,
 * behaviour.md §6), for a restart's view and R33's failover: a release
 * takes a leg away by its port or by its ConnID in any case, also a ConnID
 * that two ports had, and nothing else; and the answers it keeps for a
 * replay resumed after a kill.
 */
#include "rrec-sipsim.h"

static void
dial (RrecSipSim *sim, const char *port, const char *want_leg)
{
	RrecAction a = { .kind = RREC_ACTION_DIAL_LEG, .port = port };
	RrecMessage m;

	rrec_sip_sim_hear (sim, &a);
	g_assert_true (rrec_sip_sim_next (sim, &m));
	g_assert_cmpint (m.type, ==, RREC_MSG_EVENT_ESTABLISHED);
	g_assert_cmpstr (m.dnis, ==, port);
	g_assert_cmpstr (m.conn_id, ==, want_leg);
	g_assert_false (rrec_sip_sim_next (sim, &m));
}

static void
release (RrecSipSim *sim, const char *port, const char *leg)
{
	RrecAction a = { .kind = RREC_ACTION_RELEASE_LEG, .port = port, .leg = leg };

	rrec_sip_sim_hear (sim, &a);
}

/* a SIP-side EventEstablished of the log: a leg the simulator did not dial */
static void
log_leg (RrecSipSim *sim, const char *port, const char *leg)
{
	RrecMessage m;

	rrec_message_init (&m, RREC_SIDE_SIP, RREC_MSG_EVENT_ESTABLISHED);
	m.dnis = port;
	m.conn_id = leg;
	rrec_sip_sim_saw (sim, &m);
}

static guint
n_legs (RrecSipSim *sim)
{
	guint n = 0;

	rrec_sip_sim_legs (sim, &n);
	return n;
}

static void
test_release_by_conn_id (void)
{
	RrecSipSim *sim = rrec_sip_sim_new ("annc", 0xab00000000000000ULL, TRUE);

	dial (sim, "+1555000", "ab00000000000001");
	dial (sim, "+1555001", "ab00000000000002");
	dial (sim, "+1555002", "ab00000000000003");
	g_assert_cmpuint (n_legs (sim), ==, 3);

	/* by ConnID alone, in another case */
	release (sim, NULL, "AB00000000000002");
	g_assert_null (rrec_sip_sim_leg_at (sim, "+1555001"));
	g_assert_cmpuint (n_legs (sim), ==, 2);

	/* by port, with the ConnID: the same leg */
	release (sim, "+1555000", "ab00000000000001");
	g_assert_null (rrec_sip_sim_leg_at (sim, "1555000"));
	g_assert_cmpstr (rrec_sip_sim_leg_at (sim, "+1555002"), ==, "ab00000000000003");

	/* a port given with another leg's ConnID: both go */
	dial (sim, "+1555000", "ab00000000000004");
	release (sim, "+1555000", "ab00000000000003");
	g_assert_cmpuint (n_legs (sim), ==, 0);

	/* a ConnID no leg has: nothing goes */
	dial (sim, "+1555003", "ab00000000000005");
	release (sim, NULL, "ab00000000000001");
	g_assert_cmpuint (n_legs (sim), ==, 1);
	rrec_sip_sim_free (sim);
}

/* The log's legs may share a ConnID: a release by it takes all of them,
 * also after one of them went by its port or came up again. */
static void
test_shared_conn_id (void)
{
	RrecSipSim *sim = rrec_sip_sim_new ("annc", 0x0100000000000000ULL, TRUE);

	log_leg (sim, "+1555010", "00ab");
	log_leg (sim, "+1555011", "00AB");
	log_leg (sim, "+1555012", "00ab");
	log_leg (sim, "+1555013", "other");
	g_assert_cmpuint (n_legs (sim), ==, 4);
	release (sim, "+1555010", NULL);
	log_leg (sim, "+1555011", "00ab");	/* up again on its port */
	g_assert_cmpuint (n_legs (sim), ==, 3);
	release (sim, NULL, "00aB");
	g_assert_cmpuint (n_legs (sim), ==, 1);
	g_assert_cmpstr (rrec_sip_sim_leg_at (sim, "+1555013"), ==, "other");

	/* R33: a failover loses every leg; a ConnID seen again is a new leg */
	log_leg (sim, "+1555014", "00ab");
	rrec_sip_sim_failover (sim);
	g_assert_cmpuint (n_legs (sim), ==, 0);
	log_leg (sim, "+1555015", "00ab");
	release (sim, NULL, "00AB");
	g_assert_cmpuint (n_legs (sim), ==, 0);
	rrec_sip_sim_free (sim);
}

/* The answers keep their ports while the engine, taking one, makes the
 * simulator hear more (the FIFO empties and fills again). */
static void
test_answers_in_order (void)
{
	RrecSipSim *sim = rrec_sip_sim_new ("annc", 0, TRUE);
	RrecAction rec = { .kind = RREC_ACTION_RECORD, .port = "+1555020", .refid = 7 };
	RrecAction dial_a = { .kind = RREC_ACTION_DIAL_LEG, .port = "+1555021" };
	RrecMessage m;

	rrec_sip_sim_hear (sim, &rec);
	rrec_sip_sim_hear (sim, &dial_a);
	g_assert_true (rrec_sip_sim_next (sim, &m));
	g_assert_cmpint (m.type, ==, RREC_MSG_EVENT_ACK);
	g_assert_cmpint (m.reference_id, ==, 7);
	g_assert_true (rrec_sip_sim_next (sim, &m));
	g_assert_cmpint (m.type, ==, RREC_MSG_EVENT_ESTABLISHED);
	/* heard while this answer is out: the last one's port stays */
	dial_a.port = "+1555022";
	rrec_sip_sim_hear (sim, &dial_a);
	g_assert_cmpstr (m.dnis, ==, "+1555021");
	g_assert_true (rrec_sip_sim_next (sim, &m));
	g_assert_cmpstr (m.dnis, ==, "+1555022");
	g_assert_cmpstr (m.conn_id, ==, "0000000000000002");
	g_assert_false (rrec_sip_sim_next (sim, &m));
	g_assert_cmpuint (n_legs (sim), ==, 2);
	rrec_sip_sim_free (sim);
}

/* --resume (issue #12, R33): the answers taken at the latest millisecond
 * are kept, as they were and in order — a leg that came up, an EventACK,
 * a leg query's EventPartyInfo and, after a failover, its EventError —
 * a later millisecond drops them, and once keeping stops they stay
 * readable while new answers are not kept. */
static void
test_keep_answers (void)
{
	RrecSipSim *sim = rrec_sip_sim_new ("annc", 0x5e00000000000000ULL, TRUE);
	RrecAction start = { .kind = RREC_ACTION_RECORD, .refid = 7,
			     .port = "+1555000" };
	RrecAction query = { .kind = RREC_ACTION_QUERY_LEG, .refid = 8,
			     .port = "+1555000" };
	RrecMessage m;

	rrec_sip_sim_keep_at (sim, 1000);
	dial (sim, "+1555000", "5e00000000000001");
	rrec_sip_sim_keep_at (sim, 2000);	/* drops the leg's */
	dial (sim, "+1555001", "5e00000000000002");
	rrec_sip_sim_hear (sim, &start);
	rrec_sip_sim_hear (sim, &query);
	while (rrec_sip_sim_next (sim, &m))
		;
	rrec_sip_sim_failover (sim);
	query.refid = 9;
	rrec_sip_sim_hear (sim, &query);
	g_assert_true (rrec_sip_sim_next (sim, &m));
	g_assert_cmpint (m.type, ==, RREC_MSG_EVENT_ERROR);
	rrec_sip_sim_keep_stop (sim);
	start.refid = 10;
	rrec_sip_sim_hear (sim, &start);	/* not kept */
	g_assert_true (rrec_sip_sim_next (sim, &m));

	g_assert_true (rrec_sip_sim_kept (sim, 0, &m));
	g_assert_cmpint (m.type, ==, RREC_MSG_EVENT_ESTABLISHED);
	g_assert_cmpstr (m.conn_id, ==, "5e00000000000002");
	g_assert_cmpstr (m.dnis, ==, "+1555001");
	g_assert_cmpstr (m.this_dn, ==, "annc");
	g_assert_true (rrec_sip_sim_kept (sim, 1, &m));
	g_assert_cmpint (m.type, ==, RREC_MSG_EVENT_ACK);
	g_assert_cmpint (m.reference_id, ==, 7);
	g_assert_null (m.this_dn);
	g_assert_true (rrec_sip_sim_kept (sim, 2, &m));
	g_assert_cmpint (m.type, ==, RREC_MSG_EVENT_PARTY_INFO);
	g_assert_cmpint (m.reference_id, ==, 8);
	g_assert_cmpstr (m.this_dn, ==, "annc");
	g_assert_true (rrec_sip_sim_kept (sim, 3, &m));
	g_assert_cmpint (m.type, ==, RREC_MSG_EVENT_ERROR);
	g_assert_cmpint (m.reference_id, ==, 9);
	g_assert_false (rrec_sip_sim_kept (sim, 4, &m));
	rrec_sip_sim_keep_at (sim, 3000);
	g_assert_false (rrec_sip_sim_kept (sim, 0, &m));
	rrec_sip_sim_free (sim);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/sipsim/release-by-conn-id", test_release_by_conn_id);
	g_test_add_func ("/sipsim/shared-conn-id", test_shared_conn_id);
	g_test_add_func ("/sipsim/answers-in-order", test_answers_in_order);
	g_test_add_func ("/sipsim/keep-answers", test_keep_answers);
	return g_test_run ();
}
