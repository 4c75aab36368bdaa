/*
 * link.c — the link machine (fsm/link.fsm) bound to the engine: the SIP
 * Server link's alarm, the host's reconnection attempts (R24), and what
 * the link's loss and return mean to every session (R23, R25, R30).
 */
#include "link.h"
#include "rrec-config-private.h"

static void
link_alarm (RrecEngine *e, gboolean raised)
{
	if (e->alarm_link == raised)
		return;
	e->alarm_link = raised;
	RrecAction a = {
		.kind = RREC_ACTION_ALARM,
		.name = "server-link-down",
		.raised = raised,
		.text = raised ? "the link to SIP Server is down" :
			"the link to SIP Server is up again",
	};
	rrec_engine_emit (e, &a);
}

static void
link_announce (RrecEngine *e, RrecLinkOp op)
{
	RrecAction a = { .kind = RREC_ACTION_LINK, .op = op };

	rrec_engine_emit (e, &a);
}

static gboolean
link_has_attempts (gpointer o, gconstpointer d)
{
	return rrec_config_get_reconnect_attempts (((RrecEngine *) o)->config) > 0;
}

static gboolean
link_last_attempt (gpointer o, gconstpointer d)
{
	RrecEngine *e = o;

	return e->link_attempts + 1 >= rrec_config_get_reconnect_attempts (e->config);
}

static void link_raise_alarm (gpointer o, gconstpointer d) { link_alarm (o, TRUE); }
static void link_clear_alarm (gpointer o, gconstpointer d) { link_alarm (o, FALSE); }
static void link_announce_down (gpointer o, gconstpointer d) { link_announce (o, RREC_LINK_DOWN); }
static void link_announce_up (gpointer o, gconstpointer d) { link_announce (o, RREC_LINK_UP); }
static void link_reset_attempts (gpointer o, gconstpointer d) { ((RrecEngine *) o)->link_attempts = 0; }

static void
link_ask_reconnect (gpointer o, gconstpointer d)
{
	RrecEngine *e = o;

	e->link_attempts++;
	link_announce (e, RREC_LINK_ATTEMPT);
}

static void
link_arm_retry (gpointer o, gconstpointer d)
{
	RrecEngine *e = o;
	gint64 due = e->now +
		(gint64) rrec_config_get_reconnect_timeout (e->config) * 1000;

	e->link_timer = rrec_engine_timer_add (e, TIMER_LINK_RETRY, due, NULL, 0);
}

static void
link_cancel_retry (gpointer o, gconstpointer d)
{
	RrecEngine *e = o;

	rrec_engine_timer_cancel (e, &e->link_timer);
}

static gboolean
has_session (Call *c)
{
	return c->session != NULL && c->state != RREC_CALL_STATE_ENDED;
}

void
rrec_link_sessions_post (RrecEngine *e, guint event)
{
	g_autoptr (GPtrArray) calls = rrec_engine_calls_where (e, has_session);

	for (guint i = 0; i < calls->len; i++)
		rrec_engine_post (e, TARGET_SESSION, event,
				  g_ptr_array_index (calls, i), -1, NULL,
				  event == RREC_SESSION_EVENT_LINK_DOWN ? "link-down" :
				  event == RREC_SESSION_EVENT_QUERY_LEG ? "server-failover" :
				  "request-lost-with-link");
}

/* R25: redials that waited for the link go on; R30: failed starts retry. */
static void
link_links_back (gpointer o, gconstpointer d)
{
	RrecEngine *e = o;

	rrec_link_sessions_post (e, RREC_SESSION_EVENT_LINK_UP);
	/* R33: SIP Server may have failed over: ask for the legs */
	rrec_link_sessions_post (e, RREC_SESSION_EVENT_QUERY_LEG);
	rrec_core_post_later (e, TARGET_CALL, RREC_CALL_EVENT_LINK_BACK);
}

static const RrecFsmGuardFunc link_guards[RREC_LINK_N_GUARDS] = {
	[RREC_LINK_GUARD_HAS_ATTEMPTS] = link_has_attempts,
	[RREC_LINK_GUARD_LAST_ATTEMPT] = link_last_attempt,
};

static const RrecFsmActionFunc link_actions[RREC_LINK_N_ACTIONS] = {
	[RREC_LINK_ACTION_RAISE_ALARM] = link_raise_alarm,
	[RREC_LINK_ACTION_CLEAR_ALARM] = link_clear_alarm,
	[RREC_LINK_ACTION_ANNOUNCE_DOWN] = link_announce_down,
	[RREC_LINK_ACTION_ANNOUNCE_UP] = link_announce_up,
	[RREC_LINK_ACTION_ASK_RECONNECT] = link_ask_reconnect,
	[RREC_LINK_ACTION_ARM_RETRY] = link_arm_retry,
	[RREC_LINK_ACTION_CANCEL_RETRY] = link_cancel_retry,
	[RREC_LINK_ACTION_RESET_ATTEMPTS] = link_reset_attempts,
	[RREC_LINK_ACTION_LINKS_BACK] = link_links_back,
};

static const char *
link_label (gpointer owner)
{
	return "sip";
}

static void
link_rule (gpointer owner, const char *rule)
{
	((RrecEngine *) owner)->rule = rule;
}

const RrecFsmBinding rrec_link_binding = {
	&rrec_link_machine, link_guards, link_actions, link_label, link_rule,
};


/* reconnect-timeout has passed (R24) */
void
rrec_link_timer_fired (RrecEngine *e, Timer *t)
{
	e->link_timer = NULL;
	rrec_engine_post (e, TARGET_LINK, RREC_LINK_EVENT_RETRY_DUE, NULL, -1,
			  NULL, NULL);
}

/*
 * The host's word on the link (EventServerConnected or -Disconnected, or
 * the view at a reconcile): the link machine's UP or DOWN.  A link lost
 * loses what SIP Server still owed, and every session hears of it first
 * (R23, R24).
 */
void
rrec_engine_link_as (RrecEngine *e, gboolean up)
{
	if (!up && e->link_state == RREC_LINK_STATE_UP) {
		GHashTableIter it;
		gpointer v;

		e->link_down_at = e->now;	/* R33 */
		/* the store: the calls whose requests are lost change; the
		 * sessions' lists of them are emptied */
		g_hash_table_iter_init (&it, e->requests);
		while (g_hash_table_iter_next (&it, NULL, &v)) {
			rrec_engine_call_lookup (e, ((Request *) v)->call_id);
			rrec_core_request_unlink (v);
		}
		rrec_core_requests_drop_all (e);
		rrec_link_sessions_post (e, RREC_SESSION_EVENT_LINK_DOWN);
	}
	rrec_engine_post (e, TARGET_LINK, up ? RREC_LINK_EVENT_UP :
			  RREC_LINK_EVENT_DOWN, NULL, -1, NULL, NULL);
	rrec_engine_drain (e);
}
