/*
 * sipsim.c — the simulated SIP Server of rrec-sipsim.h.
 */
#include <string.h>

#include "rrec-sipsim.h"

typedef struct {
	gboolean leg_up;	/* else an EventACK */
	gboolean query;		/* a leg query (R33) */
	gint64 refid;
	gssize port;		/* its offset in RrecSipSim.ports; -1: none */
} Answer;

/* One block per leg: the port, then the leg's ConnID (NULL: none); the
 * legs table's key is the port without its '+', inside the block. */
typedef struct {
	RrecSipSim *sim;
	char *leg;
	char port[];
} Leg;

/* An answer taken, kept for rrec_sip_sim_kept() */
typedef struct {
	int type;		/* RrecMessageType */
	gint64 refid;
	gssize port;		/* its offset in RrecSipSim.kept_ports; -1 */
	char leg[17];		/* an EventEstablished's ConnID; "": none */
	gboolean this_dn;	/* ThisDN the trunk group */
} Kept;

/* How many legs have a ConnID (in any case); its key inside. */
typedef struct {
	guint legs;
	char name[];
} Name;

struct _RrecSipSim {
	char *trunk_dn;
	guint64 leg_base;
	guint64 next_leg;
	gboolean healthy;
	gboolean link_up;
	/* a FIFO read from @head, and the ports of its answers one after
	 * the other: both emptied whenever the last answer is taken, so no
	 * allocation per answer once they have grown (issue #14) */
	GArray *answers;	/* Answer */
	guint head;
	GString *ports;
	GHashTable *legs;	/* port without '+' -> Leg*; NULL: not kept */
	GHashTable *names;	/* Name.name -> Name*: a release looks for
				 * legs by ConnID only when one has it */
	GHashTable *lost;	/* ports whose legs a failover lost (R33) */
	GArray *view;		/* RrecLiveLeg, rebuilt by rrec_sip_sim_legs() */
	/* the answer handed out last */
	char leg[17];
	GString *port;
	/* rrec_sip_sim_keep_at() */
	gboolean keeping;
	gint64 keep_ms;		/* -1: nothing kept */
	GArray *kept;		/* Kept, in the order taken */
	GString *kept_ports;
	GString *kept_port;	/* rrec_sip_sim_kept()'s */
};

/* ConnIDs compare without case (leg_named()) */
static guint
name_hash (gconstpointer p)
{
	guint h = 5381;

	for (const char *c = p; *c; c++)
		h = h * 33 + (guchar) g_ascii_tolower (*c);
	return h;
}

static gboolean
name_equal (gconstpointer a, gconstpointer b)
{
	return g_ascii_strcasecmp (a, b) == 0;
}

static void
leg_free (gpointer p)
{
	Leg *l = p;
	Name *n = l->leg ? g_hash_table_lookup (l->sim->names, l->leg) : NULL;

	if (n && --n->legs == 0)
		g_hash_table_remove (l->sim->names, n->name);
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
	sim->ports = g_string_sized_new (4096);
	sim->port = g_string_sized_new (32);
	if (track_legs) {
		sim->legs = g_hash_table_new_full (g_str_hash, g_str_equal,
						   NULL, leg_free);
		sim->names = g_hash_table_new_full (name_hash, name_equal,
						    NULL, g_free);
	}
	sim->view = g_array_new (FALSE, FALSE, sizeof (RrecLiveLeg));
	sim->lost = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	sim->keep_ms = -1;
	return sim;
}

void
rrec_sip_sim_forget (RrecSipSim *sim)
{
	sim->head = 0;
	g_array_set_size (sim->answers, 0);
	g_string_truncate (sim->ports, 0);
}

void
rrec_sip_sim_free (RrecSipSim *sim)
{
	if (sim == NULL)
		return;
	rrec_sip_sim_forget (sim);
	g_array_unref (sim->answers);
	g_string_free (sim->ports, TRUE);
	if (sim->legs) {
		g_hash_table_unref (sim->legs);
		g_hash_table_unref (sim->names);
	}
	g_array_unref (sim->view);
	g_hash_table_unref (sim->lost);
	if (sim->kept) {
		g_array_unref (sim->kept);
		g_string_free (sim->kept_ports, TRUE);
		g_string_free (sim->kept_port, TRUE);
	}
	g_free (sim->trunk_dn);
	g_string_free (sim->port, TRUE);
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
	if (port && g_hash_table_size (sim->lost) > 0)
		g_hash_table_remove (sim->lost, port_key (port));
	if (sim->legs == NULL || port == NULL)
		return;

	gsize port_len = strlen (port) + 1;
	gsize leg_len = leg ? strlen (leg) + 1 : 0;
	Leg *l = g_malloc (sizeof *l + port_len + leg_len);

	l->sim = sim;
	memcpy (l->port, port, port_len);
	l->leg = leg ? memcpy (l->port + port_len, leg, leg_len) : NULL;
	Name *n = leg ? g_hash_table_lookup (sim->names, leg) : NULL;

	if (leg && n == NULL) {
		n = g_malloc (sizeof *n + leg_len);
		n->legs = 0;
		memcpy (n->name, leg, leg_len);
		g_hash_table_insert (sim->names, n->name, n);
	}
	if (n)
		n->legs++;
	/* replace: the key is the new block's, the old block goes */
	g_hash_table_replace (sim->legs, (char *) port_key (l->port), l);
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
	/* only when a leg has that name: no walk over all legs per release */
	if (leg && g_hash_table_contains (sim->names, leg))
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
		break;
	case RREC_ACTION_RECORD:
	case RREC_ACTION_LEG_USERDATA:
	case RREC_ACTION_QUERY_LEG:
		an.refid = a->refid;
		an.query = a->kind == RREC_ACTION_QUERY_LEG;
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
	if (!sim->healthy || !sim->link_up)
		return;
	an.port = -1;
	if (a->port) {
		an.port = sim->ports->len;
		g_string_append_len (sim->ports, a->port, strlen (a->port) + 1);
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

/* @n as 16 lower-case hex digits, as "%016" G_GINT64_MODIFIER "x" */
static void
leg_name (char out[static 17], guint64 n)
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 15; i >= 0; i--, n >>= 4)
		out[i] = hex[n & 15];
	out[16] = 0;
}

void
rrec_sip_sim_keep_at (RrecSipSim *sim, gint64 now_ms)
{
	if (sim->kept == NULL) {
		sim->kept = g_array_new (FALSE, FALSE, sizeof (Kept));
		sim->kept_ports = g_string_new (NULL);
		sim->kept_port = g_string_new (NULL);
	}
	sim->keeping = TRUE;
	if (now_ms == sim->keep_ms)
		return;
	sim->keep_ms = now_ms;
	g_array_set_size (sim->kept, 0);
	g_string_truncate (sim->kept_ports, 0);
}

void
rrec_sip_sim_keep_stop (RrecSipSim *sim)
{
	sim->keeping = FALSE;
}

static void
keep (RrecSipSim *sim, const RrecMessage *m)
{
	Kept k = { .type = m->type, .refid = m->reference_id, .port = -1,
		   .this_dn = m->this_dn != NULL };

	if (m->dnis) {
		k.port = sim->kept_ports->len;
		g_string_append_len (sim->kept_ports, m->dnis,
				     strlen (m->dnis) + 1);
	}
	if (m->conn_id)
		g_strlcpy (k.leg, m->conn_id, sizeof k.leg);
	g_array_append_val (sim->kept, k);
}

gboolean
rrec_sip_sim_kept (RrecSipSim *sim, guint i, RrecMessage *m)
{
	if (sim->kept == NULL || i >= sim->kept->len)
		return FALSE;

	const Kept *k = &g_array_index (sim->kept, Kept, i);

	g_string_assign (sim->kept_port, k->port >= 0 ?
			 sim->kept_ports->str + k->port : "");
	rrec_message_init (m, RREC_SIDE_SIP, k->type);
	m->reference_id = k->refid;
	m->this_dn = k->this_dn ? sim->trunk_dn : NULL;
	m->conn_id = k->leg[0] ? k->leg : NULL;
	m->dnis = k->port >= 0 ? sim->kept_port->str : NULL;
	return TRUE;
}

static gboolean next_answer (RrecSipSim *sim, RrecMessage *m);

gboolean
rrec_sip_sim_next (RrecSipSim *sim, RrecMessage *m)
{
	if (!next_answer (sim, m))
		return FALSE;
	if (sim->keeping)
		keep (sim, m);
	return TRUE;
}

static gboolean
next_answer (RrecSipSim *sim, RrecMessage *m)
{
	while (sim->head < sim->answers->len) {
		Answer an = g_array_index (sim->answers, Answer, sim->head++);
		const char *port;

		/* the port is copied out: the FIFO may be emptied now, and
		 * grows again while the engine takes this answer */
		g_string_assign (sim->port, an.port >= 0 ?
				 sim->ports->str + an.port : "");
		port = an.port >= 0 ? sim->port->str : NULL;
		if (sim->head == sim->answers->len) {
			sim->head = 0;
			g_array_set_size (sim->answers, 0);
			g_string_truncate (sim->ports, 0);
		}
		if (an.leg_up) {
			/* numbered as it comes up, even over a lost link */
			leg_name (sim->leg, sim->leg_base + ++sim->next_leg);
			if (!sim->link_up)
				continue;
			rrec_message_init (m, RREC_SIDE_SIP, RREC_MSG_EVENT_ESTABLISHED);
			m->conn_id = sim->leg;
			m->this_dn = sim->trunk_dn;
			m->dnis = port;
			leg_up (sim, port, sim->leg);
		} else {
			/* a SIP Server that failed over refuses the legs it
			 * lost (none but after a failover: the port is not
			 * hashed then); it knows a leg it has (R33) */
			gboolean lost = port && g_hash_table_size (sim->lost) > 0 &&
				g_hash_table_contains (sim->lost, port_key (port));

			if (!sim->link_up)
				continue;
			if (an.query && sim->legs && port)
				lost = !g_hash_table_contains (sim->legs,
							       port_key (port));
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
