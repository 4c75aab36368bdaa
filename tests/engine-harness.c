/*
 * engine-harness.c — the scenario harness of the engine tests: see
 * engine-harness.h.
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "engine-harness.h"
#include "engine-private.h"	/* RrecEngine.request_visits */

typedef struct {
	HarnessScenario fn;
	gboolean record_moh;
	gboolean restore;
} Registration;

/* ---- the host side ----------------------------------------------------- */

static void
on_action (const RrecAction *a, gpointer user_data)
{
	Harness *h = user_data;

	if (h->action_hook)
		h->action_hook (h, a);
	/* State changes are a trace whose names may change (§5). */
	if (a->kind == RREC_ACTION_STATE)
		return;
	if (a->kind == RREC_ACTION_GAP && !h->gaps)
		return;

	/* §5: the original call's ConnID is 16 lower-case hex digits. */
	if (a->call != NULL) {
		g_assert_cmpuint (strlen (a->call), ==, 16);
		for (const char *p = a->call; *p; p++)
			g_assert_true (g_ascii_isxdigit (*p) &&
				       !g_ascii_isupper (*p));
	}

	g_ptr_array_add (h->actions, rrec_action_to_string (a));

	switch (a->kind) {
	case RREC_ACTION_RECORD:
	case RREC_ACTION_LEG_USERDATA:
		h->last_refid = a->refid;
		if (a->kind == RREC_ACTION_LEG_USERDATA)
			h->refid_userdata = a->refid;
		else if (a->op == RREC_GSIP_RECORD_START) {
			h->refid_start = a->refid;
			g_free (h->start_ext);
			h->start_ext = a->data ? rrec_kv_list_to_string (a->data) : NULL;
		}
		else if (a->op == RREC_GSIP_RECORD_PAUSE)
			h->refid_pause = a->refid;
		else if (a->op == RREC_GSIP_RECORD_RESUME)
			h->refid_resume = a->refid;
		else if (a->op == RREC_GSIP_RECORD_STOP)
			h->refid_stop = a->refid;
		break;
	case RREC_ACTION_DIAL_LEG:
	case RREC_ACTION_RELEASE_LEG:
	case RREC_ACTION_CALL_USERDATA:
	case RREC_ACTION_CLIENT_REPLY:
	case RREC_ACTION_ALARM:
	case RREC_ACTION_LINK:
	case RREC_ACTION_STATE:
	case RREC_ACTION_GAP:
		break;
	case RREC_ACTION_QUERY_LEG:
		h->refid_query = a->refid;	/* R33 */
		break;
	case RREC_ACTION_RECONCILE:
	case RREC_ACTION_CALL_RENAMED:
	case RREC_N_ACTIONS:
		break;
	}
	/* the simulated SIP Server (src/sim/sipsim.c) answers after the step */
	rrec_sip_sim_set_healthy (h->sim, h->healthy_sip);
	rrec_sip_sim_set_link (h->sim, h->link_up);
	rrec_sip_sim_hear (h->sim, a);
}

static const RrecHostCallbacks callbacks = {
	.dial_leg = on_action,
	.sip_request = on_action,
	.release_leg = on_action,
	.client_reply = on_action,
	.call_userdata = on_action,
	.alarm = on_action,
	.link = on_action,
	.trace = on_action,
	.gap = on_action,
	.reconcile = on_action,
	.call_renamed = on_action,
	.query_leg = on_action,
};

/* ---- set-up ------------------------------------------------------------- */

static const char standard_config[] =
	"[remote-recording]\n"
	"server-application = SIPServer_SfB\n"
	"trunk-group = annc\n"
	"uri-pattern = sip:{+1555{DDD}}{@sip.example.com}\n"
	"recording-filename = %s\n"
	"record-moh = %s\n"
	"%s"
	"\n"
	"[app:SIPServer_SfB]\n"
	"%s"
	"\n"
	"[dn:7001]\ntype = extension\nrecord = true\n"
	"[dn:7002]\ntype = extension\n"
	"[dn:7003]\ntype = extension\nrecord = true\n"
	"[dn:7004]\ntype = extension\nrecord = false\n"
	"[dn:7005]\ntype = acd-position\nrecord = true\n"
	"[dn:5000]\ntype = routing-point\nrecord = true\n"
	"[dn:5001]\ntype = routing-point\n"
	"[dn:7009]\ntype = extension\nrecord = true\n"
	"[dn:annc]\ntype = trunk-group\n"
	"%s";

void
harness_start (Harness *h, const HarnessOptions *opts)
{
	static const HarnessOptions none = { 0 };
	g_autoptr (GError) error = NULL;
	g_autofree char *text = NULL;

	if (opts == NULL)
		opts = &none;
	g_assert_null (h->engine);
	h->gaps = opts->gaps;
	text = g_strdup_printf (standard_config,
				opts->filename ? opts->filename
					       : "$CONNID$_$DN$_$PORT$",
				h->record_moh ? "true" : "false",
				opts->remote_recording ? opts->remote_recording : "",
				opts->app ? opts->app : "",
				opts->groups ? opts->groups : "");
	h->config = rrec_config_new_from_data (text, strlen (text),
					       "harness.ini", &error);
	g_assert_no_error (error);
	g_assert_nonnull (h->config);
	g_assert_cmpstr (rrec_config_get_warnings (h->config)[0], ==, NULL);
	if (opts->port_limit)
		rrec_config_set_port_limit (h->config, opts->port_limit);
	h->engine = rrec_engine_new (h->config, &callbacks, h);
	g_assert_nonnull (h->engine);
	/* §6: the link is up when the engine starts. */
	g_assert_true (rrec_engine_link_is_up (h->engine));
}

/* Saves, frees and restores the engine, when the scenario runs that way;
 * the restored engine must save to the very same bytes. */
static void
restore_step (Harness *h)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GBytes) saved = NULL;
	g_autoptr (GBytes) again = NULL;
	RrecEngine *restored;

	if (!h->restore_each_step)
		return;
	saved = rrec_engine_save (h->engine);
	g_assert_nonnull (saved);
	restored = rrec_engine_restore (h->config, &callbacks, h, saved,
					&error);
	g_assert_no_error (error);
	if (restored == NULL)
		return;		/* failed above; go on with the old one */
	rrec_engine_free (h->engine);
	h->engine = restored;
	again = rrec_engine_save (h->engine);
	g_assert_true (g_bytes_equal (saved, again));
	h->restores++;
}

static void
drain_answers (Harness *h)
{
	RrecMessage m;

	rrec_sip_sim_set_link (h->sim, h->link_up);
	while (rrec_sip_sim_next (h->sim, &m)) {
		g_autoptr (GError) error = NULL;

		/* Not drained again from inside: this loop goes on. */
		restore_step (h);
		g_assert_true (rrec_engine_feed (h->engine, &m, &error));
		g_assert_no_error (error);
	}
}

gboolean
harness_try_feed (Harness *h, const RrecMessage *msg, GError **error)
{
	gboolean ok;

	restore_step (h);
	ok = rrec_engine_feed (h->engine, msg, error);
	drain_answers (h);
	return ok;
}

void
harness_feed_answers (Harness *h)
{
	drain_answers (h);
}

void
harness_feed (Harness *h, const RrecMessage *msg)
{
	g_autoptr (GError) error = NULL;

	g_assert_true (harness_try_feed (h, msg, &error));
	g_assert_no_error (error);
}

void
advance (Harness *h, gint64 ms)
{
	restore_step (h);
	h->now += ms;
	rrec_engine_advance (h->engine, h->now);
	g_assert_cmpint (rrec_engine_get_time (h->engine), ==, h->now);
	drain_answers (h);
}

static char *
join_list (GPtrArray *list)
{
	GString *s = g_string_new (NULL);

	for (guint i = 0; i < list->len; i++)
		g_string_append_printf (s, "    %s\n",
					(const char *) list->pdata[i]);
	if (list->len == 0)
		g_string_append (s, "    (nothing)\n");
	return g_string_free (s, FALSE);
}

void
harness_expect (Harness *h, const char *where, ...)
{
	g_autoptr (GPtrArray) want = g_ptr_array_new ();
	gboolean same;
	va_list ap;

	va_start (ap, where);
	for (const char *s = va_arg (ap, const char *); s != NULL;
	     s = va_arg (ap, const char *))
		g_ptr_array_add (want, (gpointer) s);
	va_end (ap);

	same = want->len == h->actions->len;
	for (guint i = 0; same && i < want->len; i++) {
		const char *w = want->pdata[i];
		const char *got = h->actions->pdata[i];

		same = strchr (w, '*') ? g_pattern_match_simple (w, got)
				       : strcmp (w, got) == 0;
	}
	if (!same) {
		g_autofree char *a = join_list (want);
		g_autofree char *b = join_list (h->actions);
		g_autofree char *msg = g_strdup_printf (
			"%s: actions differ (%s)\n  expected:\n%s  actual:\n%s",
			where, h->restore_each_step ? "restore at every step"
						    : "plain", a, b);

		g_test_message ("%s", msg);
		h->mismatches++;
		if (h->engine_bug == NULL)
			g_test_fail ();
	}
	g_ptr_array_set_size (h->actions, 0);
}

void
engine_bug (Harness *h, const char *text)
{
	g_free (h->engine_bug);
	h->engine_bug = g_strdup_printf ("engine bug: %s", text);
	g_test_incomplete (h->engine_bug);
}

/* ---- messages ----------------------------------------------------------- */

RrecMessage
skype_msg (int type, const char *conn, const char *dn)
{
	RrecMessage m;

	rrec_message_init (&m, RREC_SIDE_SKYPE, type);
	m.conn_id = conn;
	m.this_dn = dn;
	return m;
}

void
ev_ringing (Harness *h, const char *conn, const char *dn, const char *other,
	    gint64 call_type)
{
	RrecMessage m = skype_msg (RREC_MSG_EVENT_RINGING, conn, dn);

	m.other_dn = other;
	m.call_type = call_type;
	harness_feed (h, &m);
}

void
ev_dialing (Harness *h, const char *conn, const char *dn, const char *other,
	    gint64 call_type)
{
	RrecMessage m = skype_msg (RREC_MSG_EVENT_DIALING, conn, dn);

	m.other_dn = other;
	m.call_type = call_type;
	harness_feed (h, &m);
}

void
ev_established (Harness *h, const char *conn, const char *dn,
		const char *other)
{
	RrecMessage m = skype_msg (RREC_MSG_EVENT_ESTABLISHED, conn, dn);

	m.other_dn = other;
	harness_feed (h, &m);
}

void
ev_held (Harness *h, const char *conn, const char *dn)
{
	RrecMessage m = skype_msg (RREC_MSG_EVENT_HELD, conn, dn);

	harness_feed (h, &m);
}

void
ev_retrieved (Harness *h, const char *conn, const char *dn)
{
	RrecMessage m = skype_msg (RREC_MSG_EVENT_RETRIEVED, conn, dn);

	harness_feed (h, &m);
}

void
ev_released (Harness *h, const char *conn, const char *dn, gint64 call_state,
	     const char *third_party)
{
	RrecMessage m = skype_msg (RREC_MSG_EVENT_RELEASED, conn, dn);

	m.call_state = call_state;
	m.third_party_dn = third_party;
	harness_feed (h, &m);
}

void
ev_abandoned (Harness *h, const char *conn, const char *dn)
{
	RrecMessage m = skype_msg (RREC_MSG_EVENT_ABANDONED, conn, dn);

	harness_feed (h, &m);
}

void
ev_party_changed (Harness *h, const char *conn, const char *dn,
		  const char *previous_conn, const char *third_party)
{
	RrecMessage m = skype_msg (RREC_MSG_EVENT_PARTY_CHANGED, conn, dn);

	m.previous_conn_id = previous_conn;
	m.third_party_dn = third_party;
	harness_feed (h, &m);
}

void
ev_party_added (Harness *h, const char *conn, const char *dn,
		const char *third_party, gint64 role)
{
	RrecMessage m = skype_msg (RREC_MSG_EVENT_PARTY_ADDED, conn, dn);

	m.third_party_dn = third_party;
	m.third_party_dn_role = role;
	harness_feed (h, &m);
}

void
ev_party_deleted (Harness *h, const char *conn, const char *dn,
		  const char *third_party)
{
	RrecMessage m = skype_msg (RREC_MSG_EVENT_PARTY_DELETED, conn, dn);

	m.third_party_dn = third_party;
	harness_feed (h, &m);
}

void
ev_route_request (Harness *h, const char *conn, const char *rp,
		  const char *other)
{
	RrecMessage m = skype_msg (RREC_MSG_EVENT_ROUTE_REQUEST, conn, rp);

	m.other_dn = other;
	m.call_type = RREC_CALL_TYPE_INBOUND;
	harness_feed (h, &m);
}

void
ev_route_used (Harness *h, const char *conn, const char *rp, const char *dest)
{
	RrecMessage m = skype_msg (RREC_MSG_EVENT_ROUTE_USED, conn, rp);

	m.other_dn = dest;
	harness_feed (h, &m);
}

void
ev_attached_data_changed (Harness *h, const char *conn, const char *dn,
			  const RrecKvList *kv)
{
	RrecMessage m = skype_msg (RREC_MSG_EVENT_ATTACHED_DATA_CHANGED, conn,
				   dn);

	m.user_data = kv;
	harness_feed (h, &m);
}

void
req_route_call (Harness *h, gint64 refid, const char *conn, const char *rp,
		const char *dest, const char *record)
{
	g_autoptr (RrecKvList) ext = NULL;
	RrecMessage m;

	rrec_message_init (&m, RREC_SIDE_CLIENT, RREC_MSG_REQUEST_ROUTE_CALL);
	m.reference_id = refid;
	m.conn_id = conn;
	m.this_dn = rp;
	m.other_dn = dest;
	if (record != NULL) {
		ext = rrec_kv_list_new ();
		rrec_kv_list_add_string (ext, "record", record);
		m.extensions = ext;
	}
	harness_feed (h, &m);
}

void
req_private (Harness *h, gint64 refid, const char *conn, const char *this_dn,
	     gint64 msgid, const char *record, const char *other_dn)
{
	g_autoptr (RrecKvList) ext = NULL;
	RrecMessage m;

	rrec_message_init (&m, RREC_SIDE_CLIENT,
			   RREC_MSG_REQUEST_PRIVATE_SERVICE);
	m.reference_id = refid;
	m.conn_id = conn;
	m.this_dn = this_dn;
	m.other_dn = other_dn;
	m.private_msg_id = msgid;
	if (record != NULL) {
		ext = rrec_kv_list_new ();
		rrec_kv_list_add_string (ext, "record", record);
		m.extensions = ext;
	}
	harness_feed (h, &m);
}

static RrecMessage
sip_msg (int type)
{
	RrecMessage m;

	rrec_message_init (&m, RREC_SIDE_SIP, type);
	m.this_dn = TRUNK_GROUP;
	return m;
}

void
sip_leg_ringing (Harness *h, const char *leg, const char *dnis)
{
	RrecMessage m = sip_msg (RREC_MSG_EVENT_RINGING);

	m.conn_id = leg;
	m.dnis = dnis;
	harness_feed (h, &m);
}

void
sip_leg_established (Harness *h, const char *leg, const char *dnis)
{
	RrecMessage m = sip_msg (RREC_MSG_EVENT_ESTABLISHED);

	m.conn_id = leg;
	m.dnis = dnis;
	rrec_sip_sim_set_link (h->sim, h->link_up);
	rrec_sip_sim_saw (h->sim, &m);
	harness_feed (h, &m);
}

void
sip_ack (Harness *h, gint64 refid)
{
	RrecMessage m = sip_msg (RREC_MSG_EVENT_ACK);

	m.reference_id = refid;
	harness_feed (h, &m);
}

void
sip_error (Harness *h, gint64 refid)
{
	RrecMessage m = sip_msg (RREC_MSG_EVENT_ERROR);

	m.reference_id = refid;
	m.error_code = 56;
	m.error_message = "Invalid Request";
	harness_feed (h, &m);
}

void
sip_leg_released (Harness *h, const char *leg, const char *dnis)
{
	RrecMessage m = sip_msg (RREC_MSG_EVENT_RELEASED);

	m.conn_id = leg;
	m.dnis = dnis;
	rrec_sip_sim_set_link (h->sim, h->link_up);
	rrec_sip_sim_saw (h->sim, &m);
	harness_feed (h, &m);
}

void
sip_drop (Harness *h, const char *port)
{
	g_autofree char *leg = g_strdup (rrec_sip_sim_leg_at (h->sim, port));

	g_assert_nonnull (leg);
	sip_leg_released (h, leg, port);
}

void
sip_server_disconnected (Harness *h)
{
	RrecMessage m = sip_msg (RREC_MSG_EVENT_SERVER_DISCONNECTED);

	m.this_dn = NULL;
	h->link_up = FALSE;
	harness_feed (h, &m);
}

void
sip_server_connected (Harness *h)
{
	RrecMessage m = sip_msg (RREC_MSG_EVENT_SERVER_CONNECTED);

	m.this_dn = NULL;
	h->link_up = TRUE;
	/* R33: a SIP Server that failed over knows none of the legs */
	if (h->failover)
		rrec_sip_sim_failover (h->sim);
	harness_feed (h, &m);
}

/* ---- call shapes -------------------------------------------------------- */

void
one_port_taken (Harness *h)
{
	HarnessOptions o = { .port_limit = 1 };

	harness_start (h, &o);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
}

void
inbound (Harness *h, const char *conn, const char *dn)
{
	ev_ringing (h, conn, dn, CALLER, RREC_CALL_TYPE_INBOUND);
	ev_established (h, conn, dn, CALLER);
}

void
routed (Harness *h, const char *conn, const char *rp, const char *dest,
	const char *record)
{
	RrecMessage m;

	ev_route_request (h, conn, rp, CALLER);
	req_route_call (h, 900, conn, rp, dest, record);
	ev_route_used (h, conn, rp, dest);
	m = skype_msg (RREC_MSG_EVENT_RINGING, conn, dest);
	m.other_dn = CALLER;
	m.third_party_dn = rp;
	m.call_type = RREC_CALL_TYPE_INBOUND;
	harness_feed (h, &m);
	ev_established (h, conn, dest, CALLER);
}

void
single_step_transfer (Harness *h, const char *conn, const char *from,
		      const char *to, const char *other)
{
	RrecMessage m;

	ev_released (h, conn, from, RREC_CALL_STATE_TRANSFERRED, to);
	m = skype_msg (RREC_MSG_EVENT_RINGING, conn, to);
	m.other_dn = other;
	m.third_party_dn = from;
	harness_feed (h, &m);
	ev_established (h, conn, to, other);
}

void
consult (Harness *h, const char *x, const char *y, const char *a,
	 const char *c)
{
	RrecMessage m;

	ev_held (h, x, a);
	m = skype_msg (RREC_MSG_EVENT_DIALING, y, a);
	m.other_dn = c;
	m.call_type = RREC_CALL_TYPE_CONSULT;
	m.transfer_conn_id = x;
	harness_feed (h, &m);
	m = skype_msg (RREC_MSG_EVENT_RINGING, y, c);
	m.other_dn = a;
	m.call_type = RREC_CALL_TYPE_CONSULT;
	harness_feed (h, &m);
	m = skype_msg (RREC_MSG_EVENT_ESTABLISHED, y, c);
	m.other_dn = a;
	m.call_type = RREC_CALL_TYPE_CONSULT;
	harness_feed (h, &m);
}

void
complete_transfer (Harness *h, const char *x, const char *y, const char *a,
		   const char *c)
{
	ev_released (h, y, a, 0, NULL);
	ev_released (h, x, a, RREC_CALL_STATE_TRANSFERRED, c);
	ev_party_changed (h, x, c, y, a);
}

void
complete_conference (Harness *h, const char *x, const char *y, const char *a,
		     const char *c)
{
	ev_released (h, y, a, 0, NULL);
	ev_retrieved (h, x, a);
	ev_party_added (h, x, a, c, RREC_ABSENT);
	ev_party_changed (h, x, c, y, NULL);
}

void
abandon_consult (Harness *h, const char *x, const char *y, const char *a,
		 const char *c)
{
	ev_released (h, y, c, 0, NULL);
	ev_released (h, y, a, 0, NULL);
	ev_retrieved (h, x, a);
}

void
supervisor_joins (Harness *h, const char *conn, const char *agent)
{
	RrecMessage m;

	ev_party_added (h, conn, agent, "7009", RREC_DN_ROLE_OBSERVER);
	m = skype_msg (RREC_MSG_EVENT_ESTABLISHED, conn, "7009");
	m.this_dn_role = RREC_DN_ROLE_OBSERVER;
	harness_feed (h, &m);
}

/* ---- queries ------------------------------------------------------------ */

void
assert_state (Harness *h, const char *conn, const char *state)
{
	g_assert_cmpstr (rrec_engine_session_state (h->engine, conn), ==,
			 state);
}

RrecEngineCounters
counters (Harness *h)
{
	RrecEngineCounters c;

	memset (&c, 0, sizeof c);
	rrec_engine_get_counters (h->engine, &c);
	return c;
}

void
ports_in_use (Harness *h, guint n)
{
	g_assert_cmpuint (rrec_engine_ports_in_use (h->engine), ==, n);
}

guint64
request_visits (Harness *h)
{
	return h->engine->request_visits;
}

guint64
waiting_visits (Harness *h)
{
	return rrec_call_waiting_visits (h->engine);
}

guint
requests_in_flight (Harness *h)
{
	guint n = 0;
	g_autofree gint64 *refs = rrec_engine_list_requests (h->engine, &n);

	return n;
}

guint
harness_count_actions (Harness *h, const char *pattern)
{
	guint n = 0;

	for (guint i = 0; i < h->actions->len; i++)
		if (g_pattern_match_simple (pattern, h->actions->pdata[i]))
			n++;
	g_ptr_array_set_size (h->actions, 0);
	return n;
}

/* ---- registration -------------------------------------------------------- */

static void
run_scenario (gconstpointer data)
{
	const Registration *r = data;
	Harness h;

	memset (&h, 0, sizeof h);
	h.restore_each_step = r->restore;
	h.record_moh = r->record_moh;
	h.healthy_sip = TRUE;
	h.link_up = TRUE;
	h.actions = g_ptr_array_new_with_free_func (g_free);
	/* legs numbered 01…01 on: 16 hex digits, apart from the tests' own */
	h.sim = rrec_sip_sim_new (TRUNK_GROUP, 0x0100000000000000ULL, TRUE);
	h.last_refid = h.refid_start = h.refid_pause = h.refid_resume =
		h.refid_stop = h.refid_userdata = h.refid_query = -1;

	r->fn (&h);

	/* A scenario accounts for every action it caused. */
	if (h.actions->len > 0 && h.mismatches == 0)
		harness_expect (&h, "end of scenario", NULL);

	if (h.restore_each_step && h.engine != NULL)
		g_assert_cmpuint (h.restores, >, 0);

	if (h.engine_bug != NULL) {
		if (h.mismatches == 0)
			g_test_message ("marked as an engine bug, but every "
					"expected action list matched: fixed?");
		/* A failed check sets the verdict to failure: put it back. */
		g_test_incomplete (h.engine_bug);
		g_free (h.engine_bug);
	}

	g_clear_pointer (&h.engine, rrec_engine_free);
	g_clear_pointer (&h.config, rrec_config_unref);
	rrec_sip_sim_free (h.sim);
	g_ptr_array_unref (h.actions);
	g_free (h.start_ext);
}

static void
add_one (const char *path, gboolean record_moh, gboolean restore,
	 HarnessScenario fn)
{
	Registration *r = g_new0 (Registration, 1);
	g_autofree char *full = g_strdup_printf ("/engine/%s%s",
						 restore ? "restore/" : "", path);

	r->fn = fn;
	r->record_moh = record_moh;
	r->restore = restore;
	g_test_add_data_func_full (full, r, run_scenario, g_free);
}

void
harness_add_once (const char *path, gboolean record_moh, HarnessScenario fn)
{
	add_one (path, record_moh, FALSE, fn);
}

/* The engine is dropped without a goodbye (as a crash would) and a new one
 * opened on the store at PATH. */
RrecEngine *
harness_open_store (Harness *h, const char *path, gboolean *restored,
		    GError **error)
{
	g_clear_pointer (&h->engine, rrec_engine_free);
	h->engine = rrec_engine_open (h->config, &callbacks, h, path,
				      RREC_STORE_SYNC_NORMAL, restored, error);
	return h->engine;
}

void
harness_add_moh (const char *path, gboolean record_moh, HarnessScenario fn)
{
	add_one (path, record_moh, FALSE, fn);
	add_one (path, record_moh, TRUE, fn);
}

void
harness_add (const char *path, HarnessScenario fn)
{
	harness_add_moh (path, TRUE, fn);
}

void
harness_add_model (const char *model, const char *name, HarnessScenario fn)
{
	g_autofree char *yes = g_strdup_printf ("%s/moh-true/%s", model, name);
	g_autofree char *no = g_strdup_printf ("%s/moh-false/%s", model, name);

	harness_add_moh (yes, TRUE, fn);
	harness_add_moh (no, FALSE, fn);
}

int
harness_run (int argc, char **argv, void (*add_tests) (void))
{
	g_test_init (&argc, &argv, NULL);
	/* One scenario's failed check should not hide the others' results. */
	g_test_set_nonfatal_assertions ();
	add_tests ();
	return g_test_run ();
}

/* The SIGKILL tests' child (test-store, test-store-pg): calls come and go on
 * the store at PATH (a file or a postgresql:// URI) until it is killed.  Its legs
 * are numbered from the round (ConnIDs stay 16 hex digits and no two rounds
 * share one); past a bound it waits for the kill instead of running on. */
void
harness_crash_child (Harness *h, const char *path, guint round, int ready)
{
	g_autoptr (GError) error = NULL;
	gboolean restored;
	char conn[17];

	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	h->now = rrec_engine_get_time (h->engine);
	rrec_sip_sim_number_legs_after (h->sim, (guint64) (round + 1) << 24);
	for (guint i = 1; i < 1000000; i++) {
		g_snprintf (conn, sizeof conn, "%08x%08x", round, i);
		inbound (h, conn, (i % 3) ? "7001" : "7003");
		advance (h, 10);
		if (i % 5 == 0 && rrec_sip_sim_leg_at (h->sim, "+1555000"))
			sip_drop (h, "+1555000");
		if (i > 2) {
			g_snprintf (conn, sizeof conn, "%08x%08x", round, i - 2);
			ev_released (h, conn, ((i - 2) % 3) ? "7001" : "7003",
				     0, NULL);
		}
		g_ptr_array_set_size (h->actions, 0);
		if (i == 20 && write (ready, "x", 1) != 1)
			_exit (3);
	}
	for (;;)
		pause ();
}

/* ---- store files ---------------------------------------------------------- */

char *
harness_temp_store (const char *name)
{
	g_autofree char *dir = g_dir_make_tmp ("rrec-store-XXXXXX", NULL);

	g_assert_nonnull (dir);
	return g_build_filename (dir, name, NULL);
}

void
harness_remove_store (const char *path)
{
	static const char *const ext[] = {
		"", "-wal", "-shm", ".corrupt", ".corrupt-wal", ".corrupt-shm",
		".corrupt.1", ".corrupt.1-wal", ".corrupt.1-shm", ".target",
		".target-wal", ".target-shm", ".target.corrupt",
	};
	g_autofree char *dir = g_path_get_dirname (path);

	for (guint i = 0; i < G_N_ELEMENTS (ext); i++) {
		g_autofree char *f = g_strconcat (path, ext[i], NULL);
		g_unlink (f);
	}
	g_rmdir (dir);
}
