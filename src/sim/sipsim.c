/*
 * sipsim.c — the simulated SIP Server of rrec-sipsim.h.
 */
#include <string.h>

#include "rrec-sipsim.h"

typedef struct {
	gboolean leg_up;	/* else an EventACK */
	gboolean query;		/* a leg query (R33) */
	gint64 refid;
	char *port;
} Answer;

typedef struct {
	char *port;
	char *leg;
} Leg;

struct _RrecSipSim {
	char *trunk_dn;
	guint64 leg_base;
	guint64 next_leg;
	gboolean healthy;
	gboolean link_up;
	/* a FIFO read from @head: no allocation per answer but the port's */
	GArray *answers;	/* Answer */
	guint head;
	GHashTable *legs;	/* port without '+' -> Leg*; NULL: not kept */
	GHashTable *lost;	/* ports whose legs a failover lost (R33) */
	GArray *view;		/* RrecLiveLeg, rebuilt by rrec_sip_sim_legs() */
	/* the answer handed out last */
	char leg[17];
	char *port;
};

static void
leg_free (gpointer p)
{
	Leg *l = p;

	g_free (l->port);
	g_free (l->leg);
	g_free (l);
}

RrecSipSim *
rrec_sip_sim_new (const char *trunk_dn, guint64 leg_base, gboolean track_legs)
{
	RrecSipSim *sim = g_new0 (RrecSipSim, 1);

	sim->trunk_dn = g_strdup (trunk_dn);
	sim->leg_base = leg_base;
	sim->healthy = TRUE;
	sim->link_up = TRUE;
	/* sized once: `rrec bench` measures memory around it */
	sim->answers = g_array_sized_new (FALSE, FALSE, sizeof (Answer), 4096);
	if (track_legs)
		sim->legs = g_hash_table_new_full (g_str_hash, g_str_equal,
						   g_free, leg_free);
	sim->view = g_array_new (FALSE, FALSE, sizeof (RrecLiveLeg));
	sim->lost = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	return sim;
}

void
rrec_sip_sim_forget (RrecSipSim *sim)
{
	for (guint i = sim->head; i < sim->answers->len; i++)
		g_free (g_array_index (sim->answers, Answer, i).port);
	sim->head = 0;
	g_array_set_size (sim->answers, 0);
}

void
rrec_sip_sim_free (RrecSipSim *sim)
{
	if (sim == NULL)
		return;
	rrec_sip_sim_forget (sim);
	g_array_unref (sim->answers);
	if (sim->legs)
		g_hash_table_unref (sim->legs);
	g_array_unref (sim->view);
	g_hash_table_unref (sim->lost);
	g_free (sim->trunk_dn);
	g_free (sim->port);
	g_free (sim);
}

void
rrec_sip_sim_set_healthy (RrecSipSim *sim, gboolean healthy)
{
	sim->healthy = healthy;
}

void
rrec_sip_sim_set_link (RrecSipSim *sim, gboolean up)
{
	sim->link_up = up;
}

gboolean
rrec_sip_sim_get_link (RrecSipSim *sim)
{
	return sim->link_up;
}

static const char *
port_key (const char *port)
{
	return port && *port == '+' ? port + 1 : port;
}

static void
leg_up (RrecSipSim *sim, const char *port, const char *leg)
{
	Leg *l;

	if (port)
		g_hash_table_remove (sim->lost, port_key (port));
	if (sim->legs == NULL || port == NULL)
		return;
	l = g_new0 (Leg, 1);
	l->port = g_strdup (port);
	l->leg = g_strdup (leg);
	g_hash_table_replace (sim->legs, g_strdup (port_key (port)), l);
}

static gboolean
leg_named (gpointer key, gpointer value, gpointer data)
{
	const Leg *l = value;

	return l->leg && data && g_ascii_strcasecmp (l->leg, data) == 0;
}

static void
leg_gone (RrecSipSim *sim, const char *port, const char *leg)
{
	if (sim->legs == NULL)
		return;
	if (port)
		g_hash_table_remove (sim->legs, port_key (port));
	if (leg)
		g_hash_table_foreach_remove (sim->legs, leg_named, (gpointer) leg);
}

void
rrec_sip_sim_hear (RrecSipSim *sim, const RrecAction *a)
{
	Answer an = { 0 };

	switch (a->kind) {
	case RREC_ACTION_RELEASE_LEG:
		leg_gone (sim, a->port, a->leg);
		return;
	case RREC_ACTION_DIAL_LEG:
		an.leg_up = TRUE;
		an.port = g_strdup (a->port);
		break;
	case RREC_ACTION_RECORD:
	case RREC_ACTION_LEG_USERDATA:
	case RREC_ACTION_QUERY_LEG:
		an.refid = a->refid;
		an.query = a->kind == RREC_ACTION_QUERY_LEG;
		an.port = g_strdup (a->port);
		break;
	case RREC_ACTION_CLIENT_REPLY:
	case RREC_ACTION_CALL_USERDATA:
	case RREC_ACTION_ALARM:
	case RREC_ACTION_LINK:
	case RREC_ACTION_STATE:
	case RREC_ACTION_GAP:
	case RREC_ACTION_RECONCILE:
	case RREC_ACTION_CALL_RENAMED:
	case RREC_N_ACTIONS:
		return;
	}
	if (!sim->healthy || !sim->link_up) {
		g_free (an.port);
		return;
	}
	g_array_append_val (sim->answers, an);
}

/* §6, R33: an EventServerConnected whose Extensions say failover = 1 */
static gboolean
is_failover (const RrecMessage *m)
{
	gint i = m->extensions ? rrec_kv_list_find (m->extensions, "failover") : -1;

	if (i < 0)
		return FALSE;
	if (rrec_kv_list_kind (m->extensions, i) == RREC_KV_INT)
		return rrec_kv_list_int (m->extensions, i) == 1;
	return rrec_kv_list_kind (m->extensions, i) == RREC_KV_STRING &&
	       g_strcmp0 (rrec_kv_list_string (m->extensions, i), "1") == 0;
}

void
rrec_sip_sim_failover (RrecSipSim *sim)
{
	GHashTableIter it;
	gpointer key;

	if (sim->legs == NULL)
		return;
	g_hash_table_iter_init (&it, sim->legs);
	while (g_hash_table_iter_next (&it, &key, NULL))
		g_hash_table_add (sim->lost, g_strdup (key));
	g_hash_table_remove_all (sim->legs);
}

void
rrec_sip_sim_saw (RrecSipSim *sim, const RrecMessage *m)
{
	if (m->side != RREC_SIDE_SIP || !sim->link_up)
		return;
	if (m->type == RREC_MSG_EVENT_SERVER_CONNECTED && is_failover (m))
		rrec_sip_sim_failover (sim);
	else if (m->type == RREC_MSG_EVENT_ESTABLISHED)
		leg_up (sim, m->dnis, m->conn_id);
	else if (m->type == RREC_MSG_EVENT_RELEASED)
		leg_gone (sim, m->dnis, m->conn_id);
}

gboolean
rrec_sip_sim_next (RrecSipSim *sim, RrecMessage *m)
{
	while (sim->head < sim->answers->len) {
		Answer an = g_array_index (sim->answers, Answer, sim->head++);

		if (sim->head == sim->answers->len) {
			sim->head = 0;
			g_array_set_size (sim->answers, 0);
		}
		g_free (sim->port);
		sim->port = an.port;
		if (an.leg_up) {
			/* numbered as it comes up, even over a lost link */
			g_snprintf (sim->leg, sizeof sim->leg, "%016" G_GINT64_MODIFIER "x",
				    sim->leg_base + ++sim->next_leg);
			if (!sim->link_up)
				continue;
			rrec_message_init (m, RREC_SIDE_SIP, RREC_MSG_EVENT_ESTABLISHED);
			m->conn_id = sim->leg;
			m->this_dn = sim->trunk_dn;
			m->dnis = sim->port;
			leg_up (sim, sim->port, sim->leg);
		} else {
			/* a SIP Server that failed over refuses the legs it
			 * lost; it knows a leg it has (R33) */
			gboolean lost = sim->port &&
				g_hash_table_contains (sim->lost, port_key (sim->port));

			if (!sim->link_up)
				continue;
			if (an.query && sim->legs && sim->port)
				lost = !g_hash_table_contains (sim->legs,
							       port_key (sim->port));
			rrec_message_init (m, RREC_SIDE_SIP, lost ?
					   RREC_MSG_EVENT_ERROR : an.query ?
					   RREC_MSG_EVENT_PARTY_INFO :
					   RREC_MSG_EVENT_ACK);
			m->reference_id = an.refid;
			m->this_dn = an.query ? sim->trunk_dn : NULL;
		}
		return TRUE;
	}
	return FALSE;
}

void
rrec_sip_sim_number_legs_after (RrecSipSim *sim, guint64 n)
{
	sim->next_leg = n;
}

void
rrec_sip_sim_lose_leg (RrecSipSim *sim, const char *port)
{
	leg_gone (sim, port, NULL);
}

const char *
rrec_sip_sim_leg_at (RrecSipSim *sim, const char *port)
{
	const Leg *l = sim->legs && port ?
		g_hash_table_lookup (sim->legs, port_key (port)) : NULL;

	return l ? l->leg : NULL;
}

static gint
live_leg_cmp (gconstpointer a, gconstpointer b)
{
	return g_strcmp0 (((const RrecLiveLeg *) a)->port,
			  ((const RrecLiveLeg *) b)->port);
}

const RrecLiveLeg *
rrec_sip_sim_legs (RrecSipSim *sim, guint *n)
{
	GHashTableIter it;
	gpointer v;

	g_array_set_size (sim->view, 0);
	if (sim->legs) {
		g_hash_table_iter_init (&it, sim->legs);
		while (g_hash_table_iter_next (&it, NULL, &v)) {
			const Leg *l = v;
			RrecLiveLeg ll = { 0 };

			ll.port = l->port;
			ll.leg = l->leg;
			g_array_append_val (sim->view, ll);
		}
	}
	/* in port order, so that a restart's output is deterministic */
	g_array_sort (sim->view, live_leg_cmp);
	*n = sim->view->len;
	return (const RrecLiveLeg *) sim->view->data;
}
