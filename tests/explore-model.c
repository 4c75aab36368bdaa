/*
 * explore-model.c — the explorer's universe, its SIP Server and its
 * invariants (see explore-model.h).
 *
 * The harness looks inside the engine (engine-private.h) for two things
 * only: to check the invariants against the engine's own records (a port
 * held by a session, a timer of an ended call), and to rename what merely
 * numbers things before the state is hashed, so that the same situation
 * reached by two paths is explored once.
 */
#include <string.h>

#include "engine-private.h"
#include "explore-model.h"

#define CONN_A1 "00000000000000a1"
#define CONN_A2 "00000000000000a2"
#define CALLER "+14155550100"
#define TRUNK "annc"
#define STRAY_PORT "+1555009"
#define STRAY_LEG "5e000000000000ff"
#define CLIENT_REFID_BASE 1001
/* The log's clock starts here (ms since midnight); the engine's at 0. */
#define LOG_T0 (10 * 3600 * 1000)

static const char *const conns[WORLD_N_CALLS] = { CONN_A1, CONN_A2 };

/* ---- the universe ---------------------------------------------------------- */

/*
 * One Skype-side event or client request.  Integers are 0 when absent
 * (every value the universe uses is positive).
 */
typedef struct {
	const char *label;
	guint8 side;		/* RrecSide */
	int type;		/* RrecMessageType */
	const char *conn, *prev, *xfer;
	const char *this_dn, *other_dn, *third_dn;
	gint64 call_type, call_state, this_role, third_role;
	gint64 pmid;		/* AttributePrivateMsgID */
	const char *record;	/* Extensions 'record' */
	const char *case_id;	/* UserData 'CaseID' */
} Fixed;

#define SK RREC_SIDE_SKYPE
#define CL RREC_SIDE_CLIENT
#define RPS RREC_MSG_REQUEST_PRIVATE_SERVICE
#define RRC RREC_MSG_REQUEST_ROUTE_CALL

/*
 * A1 is an inbound call to the routing point 5000 (record=true) for 7001
 * (record=true); 7002 (record=false) may take it by a single-step (M6) or
 * two-step (M5) transfer, and the supervisor 7009 (record=true, ignored by
 * R12) may join it (M7).  A2 is either 7001's consultation call to 7002
 * (M5) or, when 7002's ringing comes first, an inbound call to 7002: which
 * one depends on the order, so both are explored.
 */
static const Fixed fixed[] = {
	/* A1, Skype side */
	{ "A1 RouteRequest 5000", SK, RREC_MSG_EVENT_ROUTE_REQUEST, CONN_A1,
	  .this_dn = "5000", .other_dn = CALLER, .call_type = 2 },
	{ "A1 Ringing 7001", SK, RREC_MSG_EVENT_RINGING, CONN_A1,
	  .this_dn = "7001", .other_dn = CALLER, .third_dn = "5000", .call_type = 2 },
	{ "A1 Established 7001", SK, RREC_MSG_EVENT_ESTABLISHED, CONN_A1,
	  .this_dn = "7001", .other_dn = CALLER },
	{ "A1 Held 7001", SK, RREC_MSG_EVENT_HELD, CONN_A1, .this_dn = "7001" },
	{ "A1 Retrieved 7001", SK, RREC_MSG_EVENT_RETRIEVED, CONN_A1, .this_dn = "7001" },
	{ "A1 Released 7001", SK, RREC_MSG_EVENT_RELEASED, CONN_A1,
	  .this_dn = "7001", .other_dn = CALLER },
	{ "A1 Released 7001 transferred to 7002", SK, RREC_MSG_EVENT_RELEASED,
	  CONN_A1, .this_dn = "7001", .third_dn = "7002", .call_state = 1 },
	{ "A1 Ringing 7002 from 7001", SK, RREC_MSG_EVENT_RINGING, CONN_A1,
	  .this_dn = "7002", .other_dn = CALLER, .third_dn = "7001" },
	{ "A1 Established 7002", SK, RREC_MSG_EVENT_ESTABLISHED, CONN_A1,
	  .this_dn = "7002", .other_dn = CALLER },
	{ "A1 Released 7002", SK, RREC_MSG_EVENT_RELEASED, CONN_A1,
	  .this_dn = "7002", .other_dn = CALLER },
	{ "A1 PartyChanged 7002 from A2", SK, RREC_MSG_EVENT_PARTY_CHANGED,
	  CONN_A1, .prev = CONN_A2, .this_dn = "7002", .third_dn = "7001" },
	{ "A1 PartyAdded supervisor 7009", SK, RREC_MSG_EVENT_PARTY_ADDED,
	  CONN_A1, .this_dn = "7001", .third_dn = "7009", .third_role = 10 },
	{ "A1 Released 7009", SK, RREC_MSG_EVENT_RELEASED, CONN_A1,
	  .this_dn = "7009", .this_role = 10 },
	{ "A1 AttachedDataChanged", SK, RREC_MSG_EVENT_ATTACHED_DATA_CHANGED,
	  CONN_A1, .this_dn = "7001", .case_id = "C-1" },
	/* A2, Skype side */
	{ "A2 Dialing 7001 consult to 7002", SK, RREC_MSG_EVENT_DIALING, CONN_A2,
	  .xfer = CONN_A1, .this_dn = "7001", .other_dn = "7002", .call_type = 4 },
	{ "A2 Ringing 7002 from caller", SK, RREC_MSG_EVENT_RINGING, CONN_A2,
	  .this_dn = "7002", .other_dn = CALLER, .call_type = 2 },
	{ "A2 Established 7002 with 7001", SK, RREC_MSG_EVENT_ESTABLISHED, CONN_A2,
	  .this_dn = "7002", .other_dn = "7001" },
	{ "A2 Established 7002 with caller", SK, RREC_MSG_EVENT_ESTABLISHED, CONN_A2,
	  .this_dn = "7002", .other_dn = CALLER },
	{ "A2 Released 7001", SK, RREC_MSG_EVENT_RELEASED, CONN_A2, .this_dn = "7001" },
	{ "A2 Released 7002", SK, RREC_MSG_EVENT_RELEASED, CONN_A2, .this_dn = "7002" },
	/* R31: the backstop for releases that were lost */
	{ "A1 CallDeleted", SK, RREC_MSG_EVENT_CALL_DELETED, CONN_A1 },
	{ "A2 CallDeleted", SK, RREC_MSG_EVENT_CALL_DELETED, CONN_A2 },
	/* A1, client requests (R3-R5, R10, R12, R17, R27) */
	{ "A1 RequestRouteCall record=destination", CL, RRC, CONN_A1,
	  .this_dn = "5000", .other_dn = "7001", .record = "destination" },
	{ "A1 RequestRouteCall record=source", CL, RRC, CONN_A1,
	  .this_dn = "5000", .other_dn = "7001", .record = "source" },
	{ "A1 RequestRouteCall record=disabled", CL, RRC, CONN_A1,
	  .this_dn = "5000", .other_dn = "7001", .record = "disabled" },
	{ "A1 RequestRouteCall record=disable_destination", CL, RRC, CONN_A1,
	  .this_dn = "5000", .other_dn = "7001", .record = "disable_destination" },
	{ "A1 RequestRouteCall record=disable_source", CL, RRC, CONN_A1,
	  .this_dn = "5000", .other_dn = "7001", .record = "disable_source" },
	{ "A1 START 7001", CL, RPS, CONN_A1, .this_dn = "7001", .pmid = 3013 },
	{ "A1 START 7001 record=destination", CL, RPS, CONN_A1, .this_dn = "7001",
	  .pmid = 3013, .record = "destination" },
	{ "A1 record=source 7002", CL, RPS, CONN_A1, .this_dn = "7002",
	  .record = "source" },
	{ "A1 STOP 7001", CL, RPS, CONN_A1, .this_dn = "7001", .pmid = 3014 },
	{ "A1 PAUSE 7001", CL, RPS, CONN_A1, .this_dn = "7001", .pmid = 3015 },
	{ "A1 RESUME 7001", CL, RPS, CONN_A1, .this_dn = "7001", .pmid = 3016 },
	{ "A1 START 7009 (supervisor)", CL, RPS, CONN_A1, .this_dn = "7009",
	  .pmid = 3013 },
	{ "A1 PrivateService 3099", CL, RPS, CONN_A1, .this_dn = "7001", .pmid = 3099 },
	/* A2, client requests */
	{ "A2 START 7002", CL, RPS, CONN_A2, .this_dn = "7002", .pmid = 3013 },
	{ "A2 STOP 7002", CL, RPS, CONN_A2, .this_dn = "7002", .pmid = 3014 },
	{ "A2 PAUSE 7002", CL, RPS, CONN_A2, .this_dn = "7002", .pmid = 3015 },
	{ "A2 RESUME 7002", CL, RPS, CONN_A2, .this_dn = "7002", .pmid = 3016 },
};

/* The rows of fixed[] in play (bit i: row i); all by default. */
static guint64 fixed_mask = G_MAXUINT64;

/* The focused universe: one call model at a time is enough to reach the
 * long stories (record, hold, pause, retrieve, resume, transfer, stop) at
 * a depth the whole universe cannot afford. */
static const char *const focused[] = {
	"A1 Established 7001", "A1 Held 7001", "A1 Retrieved 7001",
	"A1 Released 7001", "A1 Released 7001 transferred to 7002",
	"A1 Established 7002", "A1 Released 7002",
	"A2 Established 7002 with caller", "A2 Released 7002",
	"A1 START 7001", "A1 STOP 7001", "A1 PAUSE 7001", "A1 RESUME 7001",
	"A2 START 7002",
};

void
world_set_focused (gboolean focus)
{
	fixed_mask = focus ? 0 : G_MAXUINT64;
	for (guint i = 0; focus && i < G_N_ELEMENTS (fixed); i++)
		for (guint j = 0; j < G_N_ELEMENTS (focused); j++)
			if (strcmp (fixed[i].label, focused[j]) == 0)
				fixed_mask |= G_GUINT64_CONSTANT (1) << i;
}

guint
world_n_fixed (void)
{
	return G_N_ELEMENTS (fixed);
}

const char *
world_fixed_label (guint i)
{
	return i < G_N_ELEMENTS (fixed) ? fixed[i].label : "?";
}

char *
world_config_text (const WorldOptions *opt)
{
	return g_strdup_printf (
		"# The explorer's universe (tests/explore-model.c).  The explorer\n"
		"# caps the port pool at %u; `rrec replay` has no such cap.\n"
		"[remote-recording]\n"
		"server-application = SIPServer_SfB\n"
		"trunk-group = " TRUNK "\n"
		"uri-pattern = sip:{+1555{DDD}}{@sip.example.com}\n"
		"reestablish-recording-tout = 5\n"
		"recording-setup-tout = 10\n"
		"# no $DATE$ or $TIME$: the state must not depend on the clock\n"
		"recording-filename = $CONNID$_$DN$_$PORT$\n"
		"record-moh = %s\n"
		"record-consult-calls = %s\n"
		"\n"
		"[app:SIPServer_SfB]\n"
		"reconnect-timeout = 10\n"
		"reconnect-attempts = 1\n"
		"\n"
		"[dn:5000]\ntype = routing-point\nrecord = true\n\n"
		"[dn:7001]\ntype = extension\nrecord = true\n\n"
		"[dn:7002]\ntype = extension\n\n"
		"# the supervisor: its record option is ignored (R12)\n"
		"[dn:7009]\ntype = extension\nrecord = true\n",
		opt->port_limit, opt->record_moh ? "true" : "false",
		opt->record_consult ? "true" : "false");
}

RrecConfig *
world_config_new (const WorldOptions *opt)
{
	g_autofree char *text = world_config_text (opt);
	g_autoptr (GError) error = NULL;
	RrecConfig *config = rrec_config_new_from_data (text, strlen (text),
							"explore.ini", &error);

	g_assert_no_error (error);
	rrec_config_set_port_limit (config, opt->port_limit);
	return config;
}

/* ---- the bookkeeping ----------------------------------------------------------- */

typedef struct {
	gint64 refid;
	guint8 call;
	guint16 op;		/* RrecGsipOp, 0 for a user-data update */
} SipReq;

typedef struct {
	char port[16];
	guint8 call;
	guint8 up;
} Leg;

typedef struct {
	gint64 refid;
	guint8 call;
	guint16 op;
} ClientReq;

/* What the call's current leg was told (I6). */
typedef struct {
	guint8 leg_live;	/* dialled, not yet released or dropped */
	guint8 fresh;		/* dialled since the last START */
	guint8 started;		/* START sent on this leg */
	guint8 paused;		/* the last of PAUSE/RESUME was PAUSE */
	guint8 stopped;		/* STOP sent on this leg */
	guint8 inflight;	/* a START, PAUSE or RESUME awaits its answer */
	/* a transfer completed since the last hold: R16 lifts 'hold' then,
	 * whoever is still held, so I5 spares the held parties until the
	 * next hold */
	guint8 hold_lifted;
	guint8 transfer;	/* the engine's transfer flag after the last step */
} Gsip;

struct _World {
	RrecConfig *config;
	RrecEngine *e;
	gboolean link_up;
	gint64 next_client_refid;
	GArray *sip;		/* SipReq, by refid */
	GArray *legs;		/* Leg, by port then call */
	GArray *client;		/* ClientReq, by refid */
	Gsip gsip[WORLD_N_CALLS];
	guint8 seen[WORLD_N_CALLS];
	guint8 acted[WORLD_N_CALLS];	/* acted on in this step (I7) */
	guint8 merged[WORLD_N_CALLS];	/* merged into its main call in this
					 * step, record-consult-calls (I7, R36) */
	GString *violation;
	GString *log;		/* NULL: no log */
	GString *actions;	/* the actions of the last step, one a line */
};

static void
violate (World *w, const char *inv, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static void
violate (World *w, const char *inv, const char *fmt, ...)
{
	va_list ap;

	if (w->violation->len)
		return;		/* the first one tells */
	g_string_append_printf (w->violation, "%s: ", inv);
	va_start (ap, fmt);
	g_string_append_vprintf (w->violation, fmt, ap);
	va_end (ap);
}

static int
call_index (const char *conn)
{
	for (int i = 0; conn && i < WORLD_N_CALLS; i++)
		if (g_ascii_strcasecmp (conn, conns[i]) == 0)
			return i;
	return -1;
}

static gint
sip_cmp (gconstpointer a, gconstpointer b)
{
	const SipReq *x = a, *y = b;

	return x->refid < y->refid ? -1 : x->refid > y->refid;
}

static gint
leg_cmp (gconstpointer a, gconstpointer b)
{
	const Leg *x = a, *y = b;
	int c = strcmp (x->port, y->port);

	return c ? c : (int) x->call - (int) y->call;
}

static gint
find_leg (World *w, const char *port, int call)
{
	for (guint i = 0; port && i < w->legs->len; i++) {
		const Leg *l = &g_array_index (w->legs, Leg, i);
		if (strcmp (l->port, port) == 0 && (call < 0 || l->call == call))
			return (gint) i;
	}
	return -1;
}

static const char *
op_name (int op)
{
	return op ? rrec_gsip_op_name (op) : "user-data";
}

/* I6: what may be asked of a leg, given what it was asked before. */
static void
check_gsip (World *w, int call, int op)
{
	Gsip *g = &w->gsip[call];
	const char *c = conns[call];

	if (!g->leg_live) {
		violate (w, "I6", "%s sent to call %s while it has no leg "
			 "(released or never dialled)", op_name (op), c);
		return;
	}
	/* R14, session.fsm: "never two requests in flight" — the answer
	 * decides what to send next (a STOP may cut in at any time) */
	if ((op == RREC_GSIP_RECORD_PAUSE || op == RREC_GSIP_RECORD_RESUME) &&
	    g->inflight)
		violate (w, "I6", "%s sent to call %s while its previous request "
			 "is still unanswered", op_name (op), c);
	if (op != RREC_GSIP_RECORD_STOP)
		g->inflight = TRUE;
	switch (op) {
	case RREC_GSIP_RECORD_START:
		if (!g->fresh)
			violate (w, "I6", "START sent twice on one leg of call %s", c);
		g->fresh = FALSE;
		g->started = TRUE;
		g->paused = FALSE;
		g->stopped = FALSE;
		break;
	case RREC_GSIP_RECORD_PAUSE:
	case RREC_GSIP_RECORD_RESUME:
	case RREC_GSIP_RECORD_STOP:
		if (!g->started)
			violate (w, "I6", "%s sent to call %s before START",
				 op_name (op), c);
		else if (g->stopped)
			violate (w, "I6", "%s sent to call %s after STOP",
				 op_name (op), c);
		else if (op == RREC_GSIP_RECORD_PAUSE && g->paused)
			violate (w, "I6", "PAUSE sent to call %s while already "
				 "paused (R14: never twice in a row)", c);
		else if (op == RREC_GSIP_RECORD_RESUME && !g->paused)
			violate (w, "I6", "RESUME sent to call %s while not "
				 "paused (R14)", c);
		if (op == RREC_GSIP_RECORD_PAUSE)
			g->paused = TRUE;
		else if (op == RREC_GSIP_RECORD_RESUME)
			g->paused = FALSE;
		else
			g->stopped = TRUE;
		break;
	default:
		break;
	}
}

static void
on_action (const RrecAction *a, gpointer user_data)
{
	World *w = user_data;
	int call = call_index (a->call);
	g_autofree char *text = rrec_action_to_string (a);

	g_string_append_printf (w->actions, "%s\n", text);

	if (a->call && call < 0 && a->kind != RREC_ACTION_CLIENT_REPLY) {
		violate (w, "I7", "%s for call %s, which the universe never "
			 "made", rrec_action_kind_name (a->kind), a->call);
		return;
	}
	switch (a->kind) {
	case RREC_ACTION_DIAL_LEG: {
		Leg l = { .call = (guint8) call };

		w->acted[call] = TRUE;
		if (a->port == NULL || strlen (a->port) >= sizeof l.port) {
			violate (w, "I2", "dial-leg without a port");
			return;
		}
		if (find_leg (w, a->port, -1) >= 0)
			violate (w, "I2", "port %s dialled for call %s while a "
				 "leg on it is still up (a port held twice)",
				 a->port, a->call);
		if (w->gsip[call].leg_live)
			violate (w, "I1", "a second leg dialled for call %s while "
				 "its first is not released", a->call);
		g_strlcpy (l.port, a->port, sizeof l.port);
		g_array_append_val (w->legs, l);
		g_array_sort (w->legs, leg_cmp);
		w->gsip[call] = (Gsip) { .leg_live = TRUE, .fresh = TRUE,
					 .hold_lifted = w->gsip[call].hold_lifted,
					 .transfer = w->gsip[call].transfer };
		break;
	}
	case RREC_ACTION_RECORD:
	case RREC_ACTION_LEG_USERDATA: {
		SipReq r = { a->refid, (guint8) call,
			     a->kind == RREC_ACTION_RECORD ? (guint16) a->op : 0 };

		w->acted[call] = TRUE;
		if (a->kind == RREC_ACTION_RECORD)
			check_gsip (w, call, a->op);
		else if (!w->gsip[call].leg_live)
			violate (w, "I6", "user data sent to call %s while it "
				 "has no leg", a->call);
		g_array_append_val (w->sip, r);
		g_array_sort (w->sip, sip_cmp);
		break;
	}
	case RREC_ACTION_RELEASE_LEG: {
		if (a->call == NULL)
			break;		/* an orphan (R20) */
		gint i = find_leg (w, a->port, call);
		if (i >= 0)
			g_array_remove_index (w->legs, (guint) i);
		w->gsip[call].leg_live = FALSE;
		break;
	}
	case RREC_ACTION_CLIENT_REPLY: {
		guint i;

		for (i = 0; i < w->client->len; i++)
			if (g_array_index (w->client, ClientReq, i).refid == a->refid)
				break;
		if (i == w->client->len) {
			violate (w, "I3", "%s%s%s to ReferenceID %" G_GINT64_FORMAT
				 ", which has no request waiting (a second reply?)",
				 a->event, a->error ? " " : "",
				 a->error ? a->error : "", a->refid);
			return;
		}
		g_array_remove_index (w->client, i);
		break;
	}
	case RREC_ACTION_CALL_USERDATA:
		w->acted[call] = TRUE;
		break;
	case RREC_ACTION_ALARM:
	case RREC_ACTION_LINK:
	case RREC_ACTION_STATE:
	case RREC_ACTION_GAP:
	case RREC_ACTION_RECONCILE:
		break;
	case RREC_ACTION_QUERY_LEG: {
		/* R33: SIP Server answers it like a request: EventPartyInfo
		 * (the leg is there) or EventError (a failover lost it) */
		SipReq r = { a->refid, (guint8) call, RREC_QUERY_OP };

		w->acted[call] = TRUE;
		g_array_append_val (w->sip, r);
		g_array_sort (w->sip, sip_cmp);
		break;
	}
	case RREC_ACTION_CALL_RENAMED: {
		/* R32: what the universe knows of the old call moves */
		int from = call_index (a->from);

		if (from < 0 || from == call) {
			violate (w, "I7", "call %s renamed from %s, which the "
				 "universe never made", a->call, a->from);
			return;
		}
		w->acted[call] = TRUE;
		w->seen[call] = TRUE;
		for (guint i = 0; i < w->legs->len; i++) {
			Leg *l = &g_array_index (w->legs, Leg, i);
			if (l->call == from)
				l->call = (guint8) call;
		}
		g_array_sort (w->legs, leg_cmp);
		for (guint i = 0; i < w->sip->len; i++) {
			SipReq *r = &g_array_index (w->sip, SipReq, i);
			if (r->call == from)
				r->call = (guint8) call;
		}
		for (guint i = 0; i < w->client->len; i++) {
			ClientReq *r = &g_array_index (w->client, ClientReq, i);
			if (r->call == from)
				r->call = (guint8) call;
		}
		w->gsip[call] = w->gsip[from];
		w->gsip[from] = (Gsip) { 0 };
		break;
	}
	case RREC_N_ACTIONS:
		break;
	}
}

static const RrecHostCallbacks callbacks = {
	on_action, on_action, on_action, on_action, on_action, on_action,
	on_action, NULL, NULL, NULL, on_action,
};

static World *
world_alloc (RrecConfig *config, gboolean log)
{
	World *w = g_new0 (World, 1);

	w->config = rrec_config_ref (config);
	w->link_up = TRUE;
	w->next_client_refid = CLIENT_REFID_BASE;
	w->sip = g_array_new (FALSE, FALSE, sizeof (SipReq));
	w->legs = g_array_new (FALSE, FALSE, sizeof (Leg));
	w->client = g_array_new (FALSE, FALSE, sizeof (ClientReq));
	w->violation = g_string_new (NULL);
	w->actions = g_string_new (NULL);
	w->log = log ? g_string_new (NULL) : NULL;
	return w;
}

World *
world_new (RrecConfig *config, gboolean log)
{
	World *w = world_alloc (config, log);

	w->e = rrec_engine_new (config, &callbacks, w);
	return w;
}

void
world_free (World *w)
{
	if (w == NULL)
		return;
	rrec_engine_free (w->e);
	rrec_config_unref (w->config);
	g_array_unref (w->sip);
	g_array_unref (w->legs);
	g_array_unref (w->client);
	g_string_free (w->violation, TRUE);
	g_string_free (w->actions, TRUE);
	if (w->log)
		g_string_free (w->log, TRUE);
	g_free (w);
}

const char *
world_violation (World *w)
{
	return w->violation->len ? w->violation->str : NULL;
}

const char *
world_actions (World *w)
{
	return w->actions->str;
}

const char *
world_log (World *w)
{
	return w->log ? w->log->str : "";
}

/* ---- the events that may happen ------------------------------------------- */

void
world_enabled (World *w, GArray *out)
{
	WorldEvent ev;

	G_STATIC_ASSERT (G_N_ELEMENTS (fixed) <= 64);
	for (guint i = 0; i < G_N_ELEMENTS (fixed); i++) {
		if (!(fixed_mask >> i & 1))
			continue;
		ev = (WorldEvent) { WEV_FIXED, (guint8) i };
		g_array_append_val (out, ev);
	}
	ev = (WorldEvent) { w->link_up ? WEV_LINK_DOWN : WEV_LINK_UP, 0 };
	g_array_append_val (out, ev);
	if (rrec_engine_next_due (w->e) >= 0) {
		ev = (WorldEvent) { WEV_TIMER, 0 };
		g_array_append_val (out, ev);
	}
	if (!w->link_up)
		return;		/* nothing comes from SIP Server then (§6) */
	for (guint i = 0; i < w->sip->len && i < 256; i++) {
		ev = (WorldEvent) { WEV_SIP_ACK, (guint8) i };
		g_array_append_val (out, ev);
		ev.kind = WEV_SIP_ERROR;
		g_array_append_val (out, ev);
	}
	for (guint i = 0; i < w->legs->len && i < 256; i++) {
		const Leg *l = &g_array_index (w->legs, Leg, i);

		if (l->up) {
			ev = (WorldEvent) { WEV_LEG_DROP, (guint8) i };
			g_array_append_val (out, ev);
		} else {
			ev = (WorldEvent) { WEV_LEG_UP, (guint8) i };
			g_array_append_val (out, ev);
			ev.kind = WEV_LEG_FAIL;
			g_array_append_val (out, ev);
		}
	}
	ev = (WorldEvent) { WEV_STRAY_LEG, 0 };
	g_array_append_val (out, ev);
}

/* ---- the log of a run ------------------------------------------------------- */

static void
log_header (World *w, const char *from, const char *name)
{
	gint64 t = LOG_T0 + rrec_engine_get_time (w->e);

	g_string_append_printf (w->log, "%02d:%02d:%02d.%03d %s message %s\n",
				(int) (t / 3600000), (int) (t / 60000 % 60),
				(int) (t / 1000 % 60), (int) (t % 1000), from, name);
}

static void
log_str (World *w, const char *attr, const char *value)
{
	if (value)
		g_string_append_printf (w->log, "\t%s\t'%s'\n", attr, value);
}

static void
log_conn (World *w, const char *attr, const char *value)
{
	if (value)
		g_string_append_printf (w->log, "\t%s\t%s\n", attr, value);
}

static void
log_int (World *w, const char *attr, gint64 value)
{
	if (value != RREC_ABSENT)
		g_string_append_printf (w->log, "\t%s\t%" G_GINT64_FORMAT "\n",
					attr, value);
}

static void
log_kv (World *w, const char *attr, const char *key, const char *value)
{
	g_string_append_printf (w->log, "\t%s\t[%d] 00 01 00 00..\n\t\t'%s'\t'%s'\n",
				attr, (int) (strlen (key) + strlen (value) + 12),
				key, value);
}

static void
log_message (World *w, const RrecMessage *m, const char *ext_record,
	     const char *case_id)
{
	const char *name = rrec_message_type_name (m->type);

	if (w->log == NULL)
		return;
	log_header (w, m->side == RREC_SIDE_SIP ?
		    "received from 65200(SIPServer_SfB)" :
		    m->side == RREC_SIDE_CLIENT ? "request from 1234(Client)" :
		    "distribute_event:", name);
	log_int (w, "AttributePrivateMsgID", m->private_msg_id);
	if (ext_record)
		log_kv (w, "AttributeExtensions", "record", ext_record);
	if (case_id)
		log_kv (w, "AttributeUserData", "CaseID", case_id);
	log_int (w, "AttributeReferenceID", m->reference_id);
	log_int (w, "AttributeErrorCode", m->error_code);
	log_str (w, "AttributeErrorMessage", m->error_message);
	log_int (w, "AttributeCallType", m->call_type);
	log_int (w, "AttributeCallState", m->call_state);
	log_str (w, "AttributeDNIS", m->dnis);
	log_str (w, "AttributeThirdPartyDN", m->third_party_dn);
	log_int (w, "AttributeThirdPartyDNRole", m->third_party_dn_role);
	log_str (w, "AttributeOtherDN", m->other_dn);
	log_str (w, "AttributeThisDN", m->this_dn);
	log_int (w, "AttributeThisDNRole", m->this_dn_role);
	log_conn (w, "AttributeTransferConnID", m->transfer_conn_id);
	log_conn (w, "AttributePreviousConnID", m->previous_conn_id);
	log_conn (w, "AttributeConnID", m->conn_id);
}

void
world_log_tick (World *w)
{
	if (w->log == NULL)
		return;
	g_string_append (w->log, "# the end: a block the engine ignores, so "
			 "that the timers due until now fire\n");
	log_header (w, "distribute_event:", "EventAttachedDataChanged");
	log_conn (w, "AttributeConnID", "00000000000000ff");
}

/* ---- one step --------------------------------------------------------------- */

static gint64
pos (gint64 v)
{
	return v > 0 ? v : RREC_ABSENT;
}

static void
leg_conn (const Leg *l, char out[17])
{
	/* one leg ConnID per port: a redialled leg reuses it, as the
	 * engine forgets a leg once it is gone */
	g_snprintf (out, 17, "5e%014x", (guint) g_ascii_strtoull (l->port + 1, NULL, 10));
}

static void
feed (World *w, const RrecMessage *m, const char *rec, const char *case_id)
{
	g_autoptr (GError) error = NULL;

	log_message (w, m, rec, case_id);
	if (!rrec_engine_feed (w->e, m, &error))
		violate (w, "I7", "the engine refused a well-formed %s: %s",
			 rrec_message_type_name (m->type), error->message);
}

static void
step_fixed (World *w, const Fixed *f)
{
	RrecMessage m;
	g_autoptr (RrecKvList) ext = NULL;
	g_autoptr (RrecKvList) ud = NULL;

	rrec_message_init (&m, f->side, f->type);
	m.conn_id = f->conn;
	m.previous_conn_id = f->prev;
	m.transfer_conn_id = f->xfer;
	m.this_dn = f->this_dn;
	m.other_dn = f->other_dn;
	m.third_party_dn = f->third_dn;
	m.call_type = pos (f->call_type);
	m.call_state = pos (f->call_state);
	m.this_dn_role = pos (f->this_role);
	m.third_party_dn_role = pos (f->third_role);
	m.private_msg_id = pos (f->pmid);
	if (f->record) {
		ext = rrec_kv_list_new ();
		rrec_kv_list_add_string (ext, "record", f->record);
		m.extensions = ext;
	}
	if (f->case_id) {
		ud = rrec_kv_list_new ();
		rrec_kv_list_add_string (ud, "CaseID", f->case_id);
		m.user_data = ud;
	}
	if (f->type == RREC_MSG_EVENT_HELD && call_index (f->conn) >= 0) {
		/* a new hold (not a repeated one) pauses again (R15) */
		Call *call = rrec_engine_call_lookup (w->e,
			g_ascii_strtoull (f->conn, NULL, 16));
		Party *p = call ? rrec_engine_party (call, f->this_dn) : NULL;

		if (p == NULL || p->state != RREC_PARTY_STATE_HELD)
			w->gsip[call_index (f->conn)].hold_lifted = FALSE;
	}
	if (f->type == RREC_MSG_REQUEST_PRIVATE_SERVICE) {
		/* R27: this one waits for exactly one reply */
		ClientReq r = { w->next_client_refid++, (guint8) call_index (f->conn),
				(guint16) (f->pmid ? f->pmid : RREC_GSIP_RECORD_START) };
		m.reference_id = r.refid;
		g_array_append_val (w->client, r);
	} else if (f->type == RREC_MSG_REQUEST_ROUTE_CALL) {
		/* T-Server answers it itself (M3): no refid to follow */
		m.reference_id = 1;
	}
	feed (w, &m, f->record, f->case_id);
}

static void
step_sip (World *w, WorldEvent ev)
{
	RrecMessage m;
	char leg[17];

	switch (ev.kind) {
	case WEV_SIP_ACK:
	case WEV_SIP_ERROR: {
		SipReq r = g_array_index (w->sip, SipReq, ev.index);

		g_array_remove_index (w->sip, ev.index);
		if (r.op && r.op != RREC_GSIP_RECORD_STOP && r.op != RREC_QUERY_OP)
			w->gsip[r.call].inflight = FALSE;
		rrec_message_init (&m, RREC_SIDE_SIP, ev.kind == WEV_SIP_ERROR ?
				   RREC_MSG_EVENT_ERROR : r.op == RREC_QUERY_OP ?
				   RREC_MSG_EVENT_PARTY_INFO : RREC_MSG_EVENT_ACK);
		m.reference_id = r.refid;
		if (ev.kind == WEV_SIP_ERROR) {
			m.error_code = 1163;
			m.error_message = "Invalid request";
		}
		feed (w, &m, NULL, NULL);
		break;
	}
	case WEV_LEG_UP: {
		Leg *l = &g_array_index (w->legs, Leg, ev.index);

		l->up = TRUE;
		leg_conn (l, leg);
		rrec_message_init (&m, RREC_SIDE_SIP, RREC_MSG_EVENT_ESTABLISHED);
		m.conn_id = leg;
		m.this_dn = TRUNK;
		m.dnis = l->port;
		feed (w, &m, NULL, NULL);
		break;
	}
	case WEV_LEG_FAIL:
	case WEV_LEG_DROP: {
		Leg l = g_array_index (w->legs, Leg, ev.index);

		g_array_remove_index (w->legs, ev.index);
		w->gsip[l.call].leg_live = FALSE;
		leg_conn (&l, leg);
		rrec_message_init (&m, RREC_SIDE_SIP, RREC_MSG_EVENT_RELEASED);
		m.this_dn = TRUNK;
		m.dnis = l.port;
		if (ev.kind == WEV_LEG_DROP)
			m.conn_id = leg;
		feed (w, &m, NULL, NULL);
		break;
	}
	case WEV_STRAY_LEG:
		rrec_message_init (&m, RREC_SIDE_SIP, RREC_MSG_EVENT_ESTABLISHED);
		m.conn_id = STRAY_LEG;
		m.this_dn = TRUNK;
		m.dnis = STRAY_PORT;
		feed (w, &m, NULL, NULL);
		break;
	default:
		g_assert_not_reached ();
	}
}

/* ---- the invariants ------------------------------------------------------------- */

static gboolean
timer_of (gpointer key, gpointer value, gpointer data)
{
	const Timer *t = value;
	guint64 *id = data;

	if (t->call_id == *id) {
		*id = 0;
		return TRUE;
	}
	return FALSE;
}

static void
count_dn (guint32 *refs, guint32 id)
{
	if (id)
		refs[id]++;
}

/* I12: each entry of the DN table counts the references the calls hold
 * (their parties' DNs and peers, their DN fields, their session's owner,
 * their scopes and vetoes, R3-R5), and between steps an entry no call names has
 * gone unless it is configured or local: a DN a call names is never
 * swept, and none is kept for nothing (dntab.h). */
static void
check_dn_refs (World *w)
{
	RrecEngine *e = w->e;
	g_autofree guint32 *refs = g_new0 (guint32, e->dns.n);
	gpointer v;

	for (guint ci = 0; rrec_id_map_next (&e->calls, &ci, NULL, &v);) {
		const Call *c = v;

		for (guint i = 0; i < c->n_parties; i++) {
			count_dn (refs, c->parties[i].dn);
			count_dn (refs, c->parties[i].peer);
		}
		count_dn (refs, c->originator);
		count_dn (refs, c->routing_point);
		count_dn (refs, c->transfer_from);
		count_dn (refs, c->ani);
		count_dn (refs, c->dnis);
		if (c->session)
			count_dn (refs, c->session->owner);
		for (guint i = 0; i < LEN (c->scopes); i++)
			count_dn (refs, c->scopes->v[i].dn);
		for (guint i = 0; i < LEN (c->vetoes); i++)
			count_dn (refs, c->vetoes->v[i]);
	}
	for (guint32 id = 1; id < e->dns.n; id++) {
		const RrecDn *d = &e->dns.v[id];

		if (d->name == NULL) {
			if (refs[id])
				violate (w, "I12", "DN id %u is free but the calls "
					 "name it %u times", id, refs[id]);
			continue;
		}
		if (d->refs != refs[id])
			violate (w, "I12", "DN %s counts %u references but the "
				 "calls hold %u", d->name, (guint) d->refs, refs[id]);
		if (d->refs == 0 && !d->configured && !d->seen)
			violate (w, "I12", "DN %s is kept although no call names "
				 "it", d->name);
	}
}

static void
check (World *w)
{
	RrecEngine *e = w->e;
	guint held = 0;
	guint32 ports[WORLD_N_CALLS];

	for (int c = 0; c < WORLD_N_CALLS; c++) {
		guint64 id = g_ascii_strtoull (conns[c], NULL, 16);
		Call *call = rrec_engine_call_lookup (e, id);
		Session *s = call ? call->session : NULL;
		guint legs = 0;

		if (call)
			w->seen[c] = TRUE;
		for (guint i = 0; i < w->legs->len; i++) {
			const Leg *l = &g_array_index (w->legs, Leg, i);
			if (l->call != c)
				continue;
			legs++;
			/* R18: a leg is dialled on the port its session holds */
			if (call && (s == NULL || !s->has_port || !s->dialled)) {
				violate (w, "I4", "call %s: leg on %s is up at SIP "
					 "Server but its session (%s) %s", conns[c],
					 l->port, s ? rrec_session_machine.state_names[s->state] : "none",
					 s == NULL ? "is gone" : !s->has_port ?
					 "holds no port" : "has forgotten it");
			}
		}
		/* I1: one session per call, so one leg at most */
		if (legs > 1)
			violate (w, "I1", "call %s has %u legs at SIP Server", conns[c], legs);

		if (call == NULL) {
			/* I3, I4: an ended (or never seen) call leaves nothing */
			if (legs)
				violate (w, "I4", "call %s is over but its leg is "
					 "still up at SIP Server (no release-leg)",
					 conns[c]);
			for (guint i = 0; i < w->client->len; i++)
				if (g_array_index (w->client, ClientReq, i).call == c)
					violate (w, "I3", "call %s is over and client "
						 "request %" G_GINT64_FORMAT " (%s) "
						 "was never answered", conns[c],
						 g_array_index (w->client, ClientReq, i).refid,
						 op_name (g_array_index (w->client, ClientReq, i).op));
			guint64 probe = id;
			rrec_core_timers_foreach (e, timer_of, &probe);
			if (probe == 0)
				violate (w, "I4", "call %s is over but a timer of "
					 "it is still pending", conns[c]);
			GHashTableIter it;
			gpointer v;
			g_hash_table_iter_init (&it, e->requests);
			while (g_hash_table_iter_next (&it, NULL, &v))
				if (((Request *) v)->call_id == id)
					violate (w, "I4", "call %s is over but the "
						 "engine still waits for SIP Server's "
						 "answer to request %" G_GINT64_FORMAT,
						 conns[c], ((Request *) v)->refid);
			/* R36: a consultation's STOP goes out at its merge,
			 * which also ends it when its last DN moved */
			if (w->acted[c] && !w->merged[c])
				violate (w, "I7", "the engine acted on call %s (dial, "
					 "GSIP request or user data) although it "
					 "has ended (R26)", conns[c]);
			continue;
		}

		if (s && s->has_port)
			ports[held++] = s->port;
		/* R18: a session's leg is one SIP Server knows */
		if (s && s->dialled && s->has_port) {
			g_autofree char *p = rrec_session_port_string (s);
			if (find_leg (w, p, c) < 0)
				violate (w, "I4", "call %s: the session (%s) thinks "
					 "its leg on %s is dialled, but it was "
					 "released", conns[c],
					 rrec_session_machine.state_names[s->state], p);
		}
		/* I5: R14-R16 */
		if (w->gsip[c].transfer && !call->transfer)
			w->gsip[c].hold_lifted = TRUE;
		w->gsip[c].transfer = call->transfer;
		if (s && s->state == RREC_SESSION_STATE_RECORDING && call->pause)
			violate (w, "I5", "call %s is recording while its pause "
				 "set is not empty (R14)", conns[c]);
		if (s && s->state == RREC_SESSION_STATE_RECORDING &&
		    !rrec_config_get_record_moh (w->config) &&
		    !w->gsip[c].hold_lifted) {
			for (guint i = 0; i < call->n_parties; i++) {
				const Party *p = &call->parties[i];
				if (p->state == RREC_PARTY_STATE_HELD)
					violate (w, "I5", "call %s is recording while "
						 "%s is held (record-moh = false)",
						 conns[c], rrec_party_dn (call, p));
			}
		}
	}

	/* I2: the pool and the sessions agree */
	guint in_use = rrec_engine_ports_in_use (e);
	if (in_use != held)
		violate (w, "I2", "%u ports in use but sessions hold %u", in_use, held);
	if (rrec_id_map_size (&e->by_port) != held)
		violate (w, "I2", "%u ports indexed but sessions hold %u",
			 rrec_id_map_size (&e->by_port), held);
	for (guint i = 1; i < held; i++)
		if (ports[i] == ports[0])
			violate (w, "I2", "port %u held by two sessions", ports[0]);

	/* I9: a port is free once no live call holds its session (R26, R31,
	 * R32: a call deleted, renamed or gone leaks no port) */
	guint live_held = 0;
	gpointer v;
	for (guint ci = 0; rrec_id_map_next (&e->calls, &ci, NULL, &v);) {
		const Call *lc = v;
		if (lc->state != RREC_CALL_STATE_ENDED && lc->session &&
		    lc->session->has_port)
			live_held++;
	}
	if (in_use != live_held)
		violate (w, "I9", "%u ports in use but live calls' sessions "
			 "hold %u (a leaked port)", in_use, live_held);

	/* I11: every request in flight is in the list of the session it is
	 * of, and the lists hold nothing else */
	guint linked = 0;
	for (guint ci = 0; rrec_id_map_next (&e->calls, &ci, NULL, &v);) {
		const Call *lc = v;
		if (lc->session == NULL)
			continue;
		for (const Request *r = lc->session->requests; r; r = r->next) {
			linked++;
			if (r->call_id != lc->id || r->serial != lc->session->serial ||
			    r->prev == NULL || *r->prev != r ||
			    g_hash_table_lookup (e->requests, &r->refid) != r)
				violate (w, "I11", "request %" G_GINT64_FORMAT
					 " is in the list of call %016" G_GINT64_MODIFIER
					 "x's session but not of it", r->refid, lc->id);
		}
	}
	if (linked != g_hash_table_size (e->requests))
		violate (w, "I11", "%u requests in flight but the sessions' "
			 "lists hold %u", g_hash_table_size (e->requests), linked);
	check_dn_refs (w);
}

/* I10 (R36): after a consultation merged into its main call, its session
 * is stopping or gone, never still dialling, recording or waiting to
 * re-dial. */
static void
check_merged (World *w, const Fixed *f)
{
	Call *prev = rrec_engine_call_lookup (w->e,
		g_ascii_strtoull (f->prev, NULL, 16));
	Call *main = rrec_engine_call_lookup (w->e,
		g_ascii_strtoull (f->conn, NULL, 16));
	const Session *s = prev ? prev->session : NULL;

	if (main == NULL || prev == NULL || s == NULL ||
	    !rrec_config_get_record_consult_calls (w->config) ||
	    prev->call_type != RREC_CALL_TYPE_CONSULT)
		return;
	if (s->state != RREC_SESSION_STATE_STOPPING &&
	    s->state != RREC_SESSION_STATE_ENDED)
		violate (w, "I10", "call %s merged into %s but its session is "
			 "still %s (R36)", f->prev, f->conn,
			 rrec_session_machine.state_names[s->state]);
}

gboolean
world_step (World *w, WorldEvent ev)
{
	memset (w->acted, 0, sizeof w->acted);
	memset (w->merged, 0, sizeof w->merged);
	g_string_truncate (w->actions, 0);
	switch (ev.kind) {
	case WEV_FIXED:
		g_assert (ev.index < G_N_ELEMENTS (fixed));
		step_fixed (w, &fixed[ev.index]);
		if (fixed[ev.index].prev) {
			int y = call_index (fixed[ev.index].prev);

			if (y >= 0 && w->config &&
			    rrec_config_get_record_consult_calls (w->config))
				w->merged[y] = TRUE;
			check_merged (w, &fixed[ev.index]);
		}
		break;
	case WEV_LINK_DOWN:
	case WEV_LINK_UP: {
		RrecMessage m;

		w->link_up = ev.kind == WEV_LINK_UP;
		/* a lost link loses the answers SIP Server still owed */
		if (!w->link_up) {
			g_array_set_size (w->sip, 0);
			for (int c = 0; c < WORLD_N_CALLS; c++)
				w->gsip[c].inflight = FALSE;
		}
		rrec_message_init (&m, RREC_SIDE_SIP, w->link_up ?
				   RREC_MSG_EVENT_SERVER_CONNECTED :
				   RREC_MSG_EVENT_SERVER_DISCONNECTED);
		feed (w, &m, NULL, NULL);
		break;
	}
	case WEV_TIMER: {
		gint64 due = rrec_engine_next_due (w->e);

		if (due >= 0)
			rrec_engine_advance (w->e, due);
		break;
	}
	default:
		step_sip (w, ev);
		break;
	}
	check (w);
	return w->violation->len == 0;
}

char *
world_event_describe (World *w, WorldEvent ev)
{
	switch (ev.kind) {
	case WEV_FIXED:
		return g_strdup (world_fixed_label (ev.index));
	case WEV_LINK_DOWN:
		return g_strdup ("SIP Server link down");
	case WEV_LINK_UP:
		return g_strdup ("SIP Server link up");
	case WEV_TIMER:
		return g_strdup_printf ("time passes to the next timer (%"
					G_GINT64_FORMAT " ms)",
					rrec_engine_next_due (w->e));
	case WEV_SIP_ACK:
	case WEV_SIP_ERROR:
		if (ev.index < w->sip->len) {
			const SipReq *r = &g_array_index (w->sip, SipReq, ev.index);
			return g_strdup_printf ("SIP Server: %s to %s %s (ReferenceID %"
						G_GINT64_FORMAT ")",
						ev.kind == WEV_SIP_ACK ? "EventACK" : "EventError",
						conns[r->call], op_name (r->op), r->refid);
		}
		break;
	case WEV_LEG_UP:
	case WEV_LEG_FAIL:
	case WEV_LEG_DROP:
		if (ev.index < w->legs->len) {
			const Leg *l = &g_array_index (w->legs, Leg, ev.index);
			return g_strdup_printf ("SIP Server: leg %s of %s %s", l->port,
						conns[l->call],
						ev.kind == WEV_LEG_UP ? "established" :
						ev.kind == WEV_LEG_FAIL ? "fails before it is up" :
						"dropped");
		}
		break;
	case WEV_STRAY_LEG:
		return g_strdup ("SIP Server: a stray leg on " STRAY_PORT);
	default:
		break;
	}
	return g_strdup ("?");
}

/* ---- saving, restoring, canonical form ------------------------------------------- */

static void
put_u32 (GByteArray *b, guint32 v)
{
	g_byte_array_append (b, (const guint8 *) &v, 4);
}

static void
put_u8 (GByteArray *b, guint8 v)
{
	g_byte_array_append (b, &v, 1);
}

GBytes *
world_save (World *w)
{
	g_autoptr (GBytes) engine = rrec_engine_save (w->e);
	GByteArray *b = g_byte_array_new ();
	gsize n;
	const guint8 *p = g_bytes_get_data (engine, &n);

	put_u32 (b, (guint32) n);
	g_byte_array_append (b, p, (guint) n);
	put_u8 (b, (guint8) w->link_up);
	put_u32 (b, (guint32) w->next_client_refid);
	put_u32 (b, w->sip->len);
	for (guint i = 0; i < w->sip->len; i++) {
		const SipReq *r = &g_array_index (w->sip, SipReq, i);
		put_u32 (b, (guint32) r->refid);
		put_u8 (b, r->call);
		put_u32 (b, r->op);
	}
	put_u32 (b, w->legs->len);
	for (guint i = 0; i < w->legs->len; i++) {
		const Leg *l = &g_array_index (w->legs, Leg, i);
		g_byte_array_append (b, (const guint8 *) l->port, sizeof l->port);
		put_u8 (b, l->call);
		put_u8 (b, l->up);
	}
	put_u32 (b, w->client->len);
	for (guint i = 0; i < w->client->len; i++) {
		const ClientReq *r = &g_array_index (w->client, ClientReq, i);
		put_u32 (b, (guint32) r->refid);
		put_u8 (b, r->call);
		put_u32 (b, r->op);
	}
	for (int c = 0; c < WORLD_N_CALLS; c++) {
		const Gsip *g = &w->gsip[c];
		put_u8 (b, (guint8) (g->leg_live | g->fresh << 1 | g->started << 2 |
				     g->paused << 3 | g->stopped << 4 |
				     w->seen[c] << 5 | g->inflight << 6 |
				     g->hold_lifted << 7));
		put_u8 (b, g->transfer);
	}
	return g_byte_array_free_to_bytes (b);
}

typedef struct {
	const guint8 *p, *end;
} Rd;

static guint32
get_u32 (Rd *r)
{
	guint32 v;

	g_assert (r->p + 4 <= r->end);
	memcpy (&v, r->p, 4);
	r->p += 4;
	return v;
}

static guint8
get_u8 (Rd *r)
{
	g_assert (r->p < r->end);
	return *r->p++;
}

World *
world_restore (RrecConfig *config, GBytes *saved, gboolean work_around)
{
	World *w = world_alloc (config, FALSE);
	gsize len;
	Rd r;
	g_autoptr (GError) error = NULL;

	r.p = g_bytes_get_data (saved, &len);
	r.end = r.p + len;
	guint32 n = get_u32 (&r);
	g_assert (r.p + n <= r.end);
	g_autoptr (GBytes) engine = g_bytes_new_static (r.p, n);
	r.p += n;
	w->e = rrec_engine_restore (config, &callbacks, w, engine, &error);
	g_assert_no_error (error);
	/* R30's waiting calls come from the calls' states (call.fsm
	 * `waiting`); the mend rebuilds them again */
	if (work_around)
		rrec_call_rebuild_waiting (w->e);
	w->link_up = get_u8 (&r);
	w->next_client_refid = get_u32 (&r);
	for (n = get_u32 (&r); n > 0; n--) {
		SipReq q;
		q.refid = get_u32 (&r);
		q.call = get_u8 (&r);
		q.op = (guint16) get_u32 (&r);
		g_array_append_val (w->sip, q);
	}
	for (n = get_u32 (&r); n > 0; n--) {
		Leg l;
		g_assert (r.p + sizeof l.port <= r.end);
		memcpy (l.port, r.p, sizeof l.port);
		r.p += sizeof l.port;
		l.call = get_u8 (&r);
		l.up = get_u8 (&r);
		g_array_append_val (w->legs, l);
	}
	for (n = get_u32 (&r); n > 0; n--) {
		ClientReq q;
		q.refid = get_u32 (&r);
		q.call = get_u8 (&r);
		q.op = (guint16) get_u32 (&r);
		g_array_append_val (w->client, q);
	}
	for (int c = 0; c < WORLD_N_CALLS; c++) {
		guint8 f = get_u8 (&r);
		w->gsip[c] = (Gsip) { f & 1, f >> 1 & 1, f >> 2 & 1, f >> 3 & 1,
				      f >> 4 & 1, f >> 6 & 1, f >> 7 & 1 };
		w->seen[c] = f >> 5 & 1;
		w->gsip[c].transfer = get_u8 (&r);
	}
	g_assert (r.p == r.end);
	return w;
}

static gint
i64_cmp (gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

	return x < y ? -1 : x > y;
}

/* The position of @v in the sorted, duplicate-free @a. */
static gint64
rank (GArray *a, gint64 v)
{
	guint lo = 0, hi = a->len;

	while (lo < hi) {
		guint mid = (lo + hi) / 2;
		if (g_array_index (a, gint64, mid) < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
sort_unique (GArray *a)
{
	guint j = 0;

	g_array_sort (a, i64_cmp);
	for (guint i = 0; i < a->len; i++)
		if (j == 0 || g_array_index (a, gint64, i) != g_array_index (a, gint64, j - 1))
			g_array_index (a, gint64, j++) = g_array_index (a, gint64, i);
	g_array_set_size (a, j);
}

static gboolean
collect (gpointer key, gpointer value, gpointer data)
{
	g_ptr_array_add (data, value);
	return FALSE;
}

static gint
call_seq_cmp (gconstpointer a, gconstpointer b)
{
	const Call *x = *(Call *const *) a, *y = *(Call *const *) b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Every rename below keeps the order of what it renames, and the engine
 * only ever compares these numbers with each other (or looks them up), so
 * the renamed engine acts exactly as the original would.  The counters
 * are statistics no decision reads.
 */
static void
canonicalize (World *w)
{
	RrecEngine *e = w->e;
	g_autoptr (GPtrArray) timers = g_ptr_array_new ();
	g_autoptr (GPtrArray) calls = g_ptr_array_new ();
	g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
	GHashTableIter it;
	gpointer v;

	memset (&e->counters, 0, sizeof e->counters);

	/* the clock: only durations from now matter */
	gint64 shift = e->now;
	rrec_core_timers_foreach (e, collect, timers);
	for (guint i = 0; i < timers->len; i++) {
		Timer *t = g_ptr_array_index (timers, i);
		t->key.due -= shift;
		t->key.id = i + 1;	/* in timer order: the order stays */
	}
	e->now = 0;
	e->next_timer_id = timers->len;

	/* SIP Server ReferenceIDs: the engine's and those SIP Server owes */
	g_hash_table_iter_init (&it, e->requests);
	while (g_hash_table_iter_next (&it, NULL, &v))
		g_array_append_val (ids, ((Request *) v)->refid);
	for (guint i = 0; i < w->sip->len; i++)
		g_array_append_val (ids, g_array_index (w->sip, SipReq, i).refid);
	sort_unique (ids);
	g_autoptr (GPtrArray) reqs = g_ptr_array_new ();
	g_hash_table_iter_init (&it, e->requests);
	while (g_hash_table_iter_next (&it, NULL, &v)) {
		g_ptr_array_add (reqs, v);
		g_hash_table_iter_steal (&it);
	}
	for (guint i = 0; i < reqs->len; i++) {
		Request *r = g_ptr_array_index (reqs, i);
		r->refid = rank (ids, r->refid) + 1;
		g_hash_table_insert (e->requests, &r->refid, r);
	}
	for (guint i = 0; i < w->sip->len; i++) {
		SipReq *r = &g_array_index (w->sip, SipReq, i);
		r->refid = rank (ids, r->refid) + 1;
	}
	e->next_refid = ids->len + 1;

	/* client ReferenceIDs */
	g_array_set_size (ids, 0);
	for (guint ci = 0; rrec_id_map_next (&e->calls, &ci, NULL, &v);) {
		Call *c = v;
		g_ptr_array_add (calls, c);
		for (guint i = 0; i < LEN (c->waiters); i++)
			g_array_append_val (ids, ((Waiter *) g_ptr_array_index (c->waiters, i))->refid);
	}
	for (guint i = 0; i < w->client->len; i++)
		g_array_append_val (ids, g_array_index (w->client, ClientReq, i).refid);
	sort_unique (ids);
	for (guint i = 0; i < calls->len; i++) {
		Call *c = g_ptr_array_index (calls, i);
		for (guint j = 0; j < LEN (c->waiters); j++) {
			Waiter *wt = g_ptr_array_index (c->waiters, j);
			wt->refid = rank (ids, wt->refid) + CLIENT_REFID_BASE;
		}
	}
	for (guint i = 0; i < w->client->len; i++) {
		ClientReq *r = &g_array_index (w->client, ClientReq, i);
		r->refid = rank (ids, r->refid) + CLIENT_REFID_BASE;
	}
	w->next_client_refid = CLIENT_REFID_BASE + ids->len;

	/* calls: creation order, establishment order, session serials */
	g_ptr_array_sort (calls, call_seq_cmp);
	for (guint i = 0; i < calls->len; i++) {
		Call *c = g_ptr_array_index (calls, i);
		guint32 old = c->session ? c->session->serial : 0;

		c->seq = i + 1;
		g_array_set_size (ids, 0);
		for (guint j = 0; j < c->n_parties; j++) {
			Party *p = &c->parties[j];
			if (p->est_seq)
				g_array_append_val (ids, p->est_seq);
		}
		sort_unique (ids);
		for (guint j = 0; j < c->n_parties; j++) {
			Party *p = &c->parties[j];
			if (p->est_seq)
				p->est_seq = rank (ids, (gint64) p->est_seq) + 1;
		}
		c->next_est_seq = ids->len;

		for (guint j = 0; j < timers->len; j++) {
			Timer *t = g_ptr_array_index (timers, j);
			if (t->call_id == c->id && t->kind != TIMER_LINK_RETRY)
				t->serial = t->serial == old && old ? 1 : 0;
		}
		g_hash_table_iter_init (&it, e->requests);
		while (g_hash_table_iter_next (&it, NULL, &v)) {
			Request *r = v;
			if (r->call_id == c->id)
				r->serial = r->serial == old && old ? 1 : 0;
		}
		if (c->session)
			c->session->serial = 1;
		c->next_serial = c->session ? 1 : 0;
	}
	e->next_call_seq = calls->len;
}

GBytes *
world_canonical_key (World *w)
{
	canonicalize (w);
	return world_save (w);
}
