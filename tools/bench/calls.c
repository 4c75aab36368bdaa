/*
 * calls.c — synthetic call traffic for `rrec bench`: the call models of
 * tools/gen-log.py (inbound, routed, internal, outbound; hold and
 * retrieve, user data, client requests, supervision; single-step and
 * two-step transfers, conferences, abandoned consultations) with many
 * calls in progress at once.  A call's messages are written out when it
 * starts and handed out one at a time, from a random call in progress, so
 * that the engine sees calls interleaved as a T-Server would.
 */
#include <string.h>

#include "bench.h"

const char *const bench_record_names[5] = {
	NULL, "source", "destination", "disabled", "disable_destination",
};

typedef struct {
	BenchOp *ops;
	guint n_ops;
	guint next;
	guint32 agents[3];	/* given back when the call ends */
	guint n_agents;
} Active;

typedef struct {
	guint32 *free;
	guint n_free;
} Pool;

struct _BenchCalls {
	BenchRng rng;
	guint concurrency;
	gboolean draining;
	Pool plain, record;
	guint n_plain;
	double p_record;
	Active *active;
	guint n_active;
	guint32 next_conn;
	guint64 started;
	GArray *script;		/* BenchOp, the call being written */
};

/* ---- agents ----------------------------------------------------------------- */

static void
pool_init (Pool *p, BenchRng *rng, guint32 first, guint n)
{
	p->free = g_new (guint32, MAX (n, 1));
	p->n_free = n;
	for (guint i = 0; i < n; i++)
		p->free[i] = BENCH_DN_AGENT | (first + i);
	/* shuffled, so that agents rotate */
	for (guint i = n; i > 1; i--) {
		guint j = bench_rng_below (rng, i);
		guint32 t = p->free[i - 1];
		p->free[i - 1] = p->free[j];
		p->free[j] = t;
	}
}

static guint32
pool_take (Pool *p)
{
	return p->n_free ? p->free[--p->n_free] : BENCH_DN_NONE;
}

/* Back at a random place, as gen-log.py does. */
static void
pool_give (Pool *p, BenchRng *rng, guint32 dn)
{
	guint i = bench_rng_below (rng, p->n_free + 1);

	p->free[p->n_free++] = p->free[i];
	p->free[i] = dn;
}

static Pool *
pool_of (BenchCalls *c, guint32 dn)
{
	return BENCH_DN_INDEX (dn) < c->n_plain ? &c->plain : &c->record;
}

static guint32
take_plain (BenchCalls *c)
{
	guint32 dn = pool_take (&c->plain);

	return dn ? dn : pool_take (&c->record);
}

/* ---- writing a call ------------------------------------------------------------ */

static BenchOp *
op (BenchCalls *c, int type, guint32 conn, guint32 this_dn, guint32 other_dn)
{
	BenchOp o = {
		.type = type, .side = RREC_SIDE_SKYPE, .call_type = -1,
		.call_state = -1, .this_role = -1, .third_role = -1,
		.conn = conn, .this_dn = this_dn, .other_dn = other_dn,
	};

	g_array_append_val (c->script, o);
	return &g_array_index (c->script, BenchOp, c->script->len - 1);
}

static void
request (BenchCalls *c, guint32 conn, guint32 dn, guint msgid, guint record)
{
	BenchOp *o = op (c, RREC_MSG_REQUEST_PRIVATE_SERVICE, conn, dn, 0);

	o->side = RREC_SIDE_CLIENT;
	o->msgid = msgid;
	o->record = record;
}

static guint8
some_user_data (BenchCalls *c)
{
	return 1 + bench_rng_below (&c->rng, BENCH_N_USERDATA);
}

static guint8
some_uuid (BenchCalls *c)
{
	return 1 + bench_rng_below (&c->rng, BENCH_N_UUIDS);
}

typedef struct {
	guint32 agent, other, conn;
	gint8 type;
	guint8 data, uuid;
	gboolean recorded;	/* a record = true agent or routing point */
} Call;

/* What happens while a call is established. */
static void
middle (BenchCalls *c, Call *k)
{
	BenchRng *rng = &c->rng;
	guint n = bench_rng_below (rng, 4);

	for (guint i = 0; i < n; i++) {
		double r = bench_rng_unit (rng);
		BenchOp *o;

		if (r < 0.3) {
			op (c, RREC_MSG_EVENT_HELD, k->conn, k->agent, k->other);
			op (c, RREC_MSG_EVENT_RETRIEVED, k->conn, k->agent, k->other);
		} else if (r < 0.6) {
			k->data = some_user_data (c);
			o = op (c, RREC_MSG_EVENT_ATTACHED_DATA_CHANGED, k->conn,
				k->agent, k->other);
			o->user_data = k->data;
			o->this_role = 2;
		} else if (r < 0.85 && !k->recorded && bench_rng_unit (rng) < 0.8) {
			/* a client starts no recording on most calls: the DNs
			 * decide which are recorded */
			op (c, RREC_MSG_EVENT_HELD, k->conn, k->agent, k->other);
			op (c, RREC_MSG_EVENT_RETRIEVED, k->conn, k->agent, k->other);
		} else if (r < 0.85) {
			/* a client controls the recording */
			static const guint8 rec[3] = {
				BENCH_RECORD_NONE, BENCH_RECORD_SOURCE, BENCH_RECORD_NONE,
			};
			request (c, k->conn, k->agent, RREC_GSIP_RECORD_START,
				 rec[bench_rng_below (rng, 3)]);
			if (bench_rng_unit (rng) < 0.5) {
				request (c, k->conn, k->agent, RREC_GSIP_RECORD_PAUSE, 0);
				request (c, k->conn, k->agent, RREC_GSIP_RECORD_RESUME, 0);
			}
			if (bench_rng_unit (rng) < 0.3)
				request (c, k->conn, k->agent, RREC_GSIP_RECORD_STOP, 0);
		} else if (r < 0.92 && !k->recorded && bench_rng_unit (rng) < 0.8) {
			k->data = some_user_data (c);
			o = op (c, RREC_MSG_EVENT_ATTACHED_DATA_CHANGED, k->conn,
				k->agent, k->other);
			o->user_data = k->data;
			o->this_role = 2;
		} else if (r < 0.92) {
			request (c, k->conn, k->agent, 0,
				 bench_rng_unit (rng) < 0.5 ? BENCH_RECORD_SOURCE :
				 BENCH_RECORD_DESTINATION);
		} else {
			guint32 sup = BENCH_DN_SUPERVISOR |
				bench_rng_below (rng, BENCH_N_SUPERVISORS);

			op (c, RREC_MSG_EVENT_RINGING, k->conn, sup, k->agent)->this_role = 10;
			op (c, RREC_MSG_EVENT_ESTABLISHED, k->conn, sup, k->agent)->this_role = 10;
			op (c, RREC_MSG_EVENT_RELEASED, k->conn, sup, k->agent)->this_role = 10;
		}
	}
}

/* M5 (two-step, conference, abandoned consultation) or M6 (single-step):
 * the call moves to agent @to. */
static void
transfer (BenchCalls *c, Call *k, guint32 to)
{
	BenchRng *rng = &c->rng;
	guint32 a = k->agent, x = k->conn;
	double r = bench_rng_unit (rng);
	BenchOp *o;

	if (r < 0.4) {
		o = op (c, RREC_MSG_EVENT_RELEASED, x, a, k->other);
		o->third_dn = to;
		o->call_state = 1;
		o = op (c, RREC_MSG_EVENT_RINGING, x, to, k->other);
		o->third_dn = a;
		o->call_type = k->type;
		o->uuid = k->uuid;
		o->user_data = k->data;
		op (c, RREC_MSG_EVENT_ESTABLISHED, x, to, k->other)->third_dn = a;
		k->agent = to;
		return;
	}

	guint32 y = ++c->next_conn;

	op (c, RREC_MSG_EVENT_HELD, x, a, k->other);
	o = op (c, RREC_MSG_EVENT_DIALING, y, a, to);
	o->call_type = 4;
	o->prev = x;
	o->uuid = some_uuid (c);
	op (c, RREC_MSG_EVENT_RINGING, y, to, a)->call_type = 4;
	op (c, RREC_MSG_EVENT_ESTABLISHED, y, to, a);
	op (c, RREC_MSG_EVENT_ESTABLISHED, y, a, to);
	r = bench_rng_unit (rng);
	if (r < 0.8) {
		/* the transfer completes; its events come in any order */
		guint order = bench_rng_below (rng, 6);
		static const guint8 perms[6][3] = {
			{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
			{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
		};

		for (guint i = 0; i < 3; i++) {
			switch (perms[order][i]) {
			case 0:
				op (c, RREC_MSG_EVENT_RELEASED, y, a, to);
				break;
			case 1:
				o = op (c, RREC_MSG_EVENT_RELEASED, x, a, k->other);
				o->third_dn = to;
				o->call_state = 1;
				break;
			default:
				o = op (c, RREC_MSG_EVENT_PARTY_CHANGED, x, to, k->other);
				o->third_dn = a;
				o->prev = y;
				break;
			}
		}
		k->agent = to;
	} else if (r < 0.9) {
		/* a conference: A comes back, C joins X, A leaves */
		op (c, RREC_MSG_EVENT_RELEASED, y, a, to);
		op (c, RREC_MSG_EVENT_RETRIEVED, x, a, k->other);
		o = op (c, RREC_MSG_EVENT_PARTY_ADDED, x, a, 0);
		o->third_dn = to;
		o->third_role = 2;
		op (c, RREC_MSG_EVENT_PARTY_CHANGED, x, to, a)->prev = y;
		op (c, RREC_MSG_EVENT_RELEASED, x, a, to)->call_state = 0;
		k->agent = to;
	} else {
		/* the consultation is abandoned: C goes, A retrieves X */
		op (c, RREC_MSG_EVENT_RELEASED, y, to, a);
		op (c, RREC_MSG_EVENT_RELEASED, y, a, to);
		op (c, RREC_MSG_EVENT_RETRIEVED, x, a, k->other);
	}
}

/* Writes one whole call into c->script; FALSE when no agent is free. */
static gboolean
write_call (BenchCalls *c, Active *act)
{
	BenchRng *rng = &c->rng;
	Call k = { 0 };
	guint32 second = 0;
	BenchOp *o;
	double r;

	k.agent = bench_rng_unit (rng) < c->p_record ? pool_take (&c->record) : 0;
	if (k.agent == 0)
		k.agent = take_plain (c);
	if (k.agent == 0)
		return FALSE;
	act->agents[act->n_agents++] = k.agent;
	k.recorded = pool_of (c, k.agent) == &c->record;
	k.conn = ++c->next_conn;
	k.uuid = some_uuid (c);
	k.other = BENCH_DN_EXTERNAL | bench_rng_below (rng, BENCH_N_EXTERNAL);
	k.data = some_user_data (c);
	k.type = 2;

	r = bench_rng_unit (rng);
	if (r < 0.2 && (second = take_plain (c)) != 0) {
		/* M2 internal */
		act->agents[act->n_agents++] = second;
		k.other = second;
		k.type = 1;
		o = op (c, RREC_MSG_EVENT_DIALING, k.conn, k.agent, second);
		o->call_type = 1;
		o->uuid = k.uuid;
		o = op (c, RREC_MSG_EVENT_RINGING, k.conn, second, k.agent);
		o->call_type = 1;
		o->uuid = k.uuid;
		op (c, RREC_MSG_EVENT_ESTABLISHED, k.conn, second, k.agent);
		op (c, RREC_MSG_EVENT_ESTABLISHED, k.conn, k.agent, second);
	} else if (r < 0.65) {
		/* M1 inbound */
		o = op (c, RREC_MSG_EVENT_RINGING, k.conn, k.agent, k.other);
		o->call_type = 2;
		o->uuid = k.uuid;
		o->user_data = k.data;
		o->ani_dnis = TRUE;
		op (c, RREC_MSG_EVENT_ESTABLISHED, k.conn, k.agent, k.other);
	} else if (r < 0.85) {
		/* M3 routed, through a routing point with or without record */
		guint32 rp = bench_rng_unit (rng) < 0.3 ? BENCH_DN_RP_RECORD :
			BENCH_DN_RP_PLAIN;

		k.recorded = k.recorded || rp == BENCH_DN_RP_RECORD;

		o = op (c, RREC_MSG_EVENT_ROUTE_REQUEST, k.conn, rp, k.other);
		o->call_type = 2;
		o->uuid = k.uuid;
		o->user_data = k.data;
		o->ani_dnis = TRUE;
		o = op (c, RREC_MSG_REQUEST_ROUTE_CALL, k.conn, rp, k.agent);
		o->side = RREC_SIDE_CLIENT;
		if (bench_rng_unit (rng) < 0.5)
			o->record = 1 + bench_rng_below (rng, 4);
		op (c, RREC_MSG_EVENT_ROUTE_USED, k.conn, rp, k.agent);
		o = op (c, RREC_MSG_EVENT_RINGING, k.conn, k.agent, k.other);
		o->third_dn = rp;
		o->call_type = 2;
		o->uuid = k.uuid;
		o->user_data = k.data;
		op (c, RREC_MSG_EVENT_ESTABLISHED, k.conn, k.agent, k.other)->third_dn = rp;
	} else {
		/* M8 outbound */
		k.type = 3;
		o = op (c, RREC_MSG_EVENT_DIALING, k.conn, k.agent, k.other);
		o->call_type = 3;
		o->uuid = k.uuid;
		op (c, RREC_MSG_EVENT_ESTABLISHED, k.conn, k.agent, k.other);
	}

	middle (c, &k);
	if (second == 0 && bench_rng_unit (rng) < 0.3) {
		guint32 to = take_plain (c);

		if (to) {
			act->agents[act->n_agents++] = to;
			transfer (c, &k, to);
			middle (c, &k);
		}
	}
	op (c, RREC_MSG_EVENT_RELEASED, k.conn, k.agent, k.other);
	if (second)
		op (c, RREC_MSG_EVENT_RELEASED, k.conn, second, k.agent);
	return TRUE;
}

static gboolean
start_call (BenchCalls *c)
{
	Active *a = &c->active[c->n_active];

	memset (a, 0, sizeof *a);
	g_array_set_size (c->script, 0);
	if (!write_call (c, a)) {
		for (guint i = 0; i < a->n_agents; i++)
			pool_give (pool_of (c, a->agents[i]), &c->rng, a->agents[i]);
		return FALSE;
	}
	a->n_ops = c->script->len;
	a->ops = g_memdup2 (c->script->data, sizeof (BenchOp) * a->n_ops);
	c->n_active++;
	c->started++;
	return TRUE;
}

/* ---- life ---------------------------------------------------------------------- */

BenchCalls *
bench_calls_new (guint64 seed, guint concurrency, guint n_plain,
		 guint n_record, double p_record)
{
	BenchCalls *c = g_new0 (BenchCalls, 1);

	c->rng.s = seed * 0x9e3779b97f4a7c15ULL + 1;
	c->concurrency = concurrency;
	c->n_plain = n_plain;
	c->p_record = p_record;
	pool_init (&c->plain, &c->rng, 0, n_plain);
	pool_init (&c->record, &c->rng, n_plain, n_record);
	c->active = g_new (Active, concurrency);
	c->script = g_array_new (FALSE, FALSE, sizeof (BenchOp));
	return c;
}

void
bench_calls_free (BenchCalls *c)
{
	if (c == NULL)
		return;
	for (guint i = 0; i < c->n_active; i++)
		g_free (c->active[i].ops);
	g_free (c->active);
	g_free (c->plain.free);
	g_free (c->record.free);
	g_array_unref (c->script);
	g_free (c);
}

void
bench_calls_drain (BenchCalls *c)
{
	c->draining = TRUE;
}

gboolean
bench_calls_next (BenchCalls *c, BenchOp *out)
{
	while (!c->draining && c->n_active < c->concurrency)
		if (!start_call (c))
			break;
	if (c->n_active == 0)
		return FALSE;

	guint i = bench_rng_below (&c->rng, c->n_active);
	Active *a = &c->active[i];

	*out = a->ops[a->next++];
	if (a->next == a->n_ops) {
		for (guint k = 0; k < a->n_agents; k++)
			pool_give (pool_of (c, a->agents[k]), &c->rng, a->agents[k]);
		g_free (a->ops);
		/* swap-remove: the choice is random, order does not matter */
		*a = c->active[--c->n_active];
	}
	return TRUE;
}

guint
bench_calls_in_progress (BenchCalls *c)
{
	return c->n_active;
}

guint64
bench_calls_started (BenchCalls *c)
{
	return c->started;
}

/* ---- the world's strings -------------------------------------------------------- */

BenchWorld *
bench_world_new (guint n_plain, guint n_record, guint first_agent,
		 gboolean genlog_names)
{
	BenchWorld *w = g_new0 (BenchWorld, 1);
	BenchRng rng = { 0x5eed };
	static const char *const langs[] = { "en", "de", "fr", "es", "pt-BR" };
	static const char *const segs[] = { "Gold", "Silver", "Bronze", "Platinum" };
	static const char *const skills[] = { "Billing", "Sales", "Support",
					      "Retention", "Spanish" };

	w->n_agents = n_plain + n_record;
	w->n_plain = n_plain;
	w->agents = g_new (char *, w->n_agents);
	if (genlog_names) {
		/* gen-log.py's 7001…7120: every fifth one records */
		guint p = 0, r = n_plain;

		for (guint n = 7001; n < 7001 + w->n_agents; n++) {
			if (n % 5 == 0)
				w->agents[r++] = g_strdup_printf ("%u", n);
			else
				w->agents[p++] = g_strdup_printf ("%u", n);
		}
		g_assert (p == n_plain && r == w->n_agents);
	} else {
		for (guint i = 0; i < w->n_agents; i++)
			w->agents[i] = g_strdup_printf ("%u", first_agent + i);
	}
	for (guint i = 0; i < BENCH_N_EXTERNAL; i++)
		w->externals[i] = g_strdup_printf ("+1425555%04u", i);
	for (guint i = 0; i < BENCH_N_SUPERVISORS; i++)
		w->supervisors[i] = g_strdup_printf ("%u", 7901 + i);
	for (guint i = 0; i < BENCH_N_UUIDS; i++) {
		static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
		char *u = g_malloc (33);

		for (guint k = 0; k < 32; k++)
			u[k] = chars[bench_rng_below (&rng, 36)];
		u[32] = '\0';
		w->uuids[i] = u;
	}
	/* the user data of gen-log.py: a few customer keys, sometimes lists */
	for (guint i = 0; i < BENCH_N_USERDATA; i++) {
		RrecKvList *l = rrec_kv_list_new ();
		char buf[64];

		g_snprintf (buf, sizeof buf, "C%07u", bench_rng_below (&rng, 10000000));
		rrec_kv_list_add_string (l, "CustomerID", buf);
		rrec_kv_list_add_string (l, "Language", langs[bench_rng_below (&rng, 5)]);
		rrec_kv_list_add_string (l, "Segment", segs[bench_rng_below (&rng, 4)]);
		rrec_kv_list_add_int (l, "Priority", 1 + bench_rng_below (&rng, 9));
		if (bench_rng_unit (&rng) < 0.5) {
			g_strlcpy (buf, w->uuids[i], 25);
			g_autofree char *lower = g_ascii_strdown (buf, -1);
			rrec_kv_list_add_string (l, "IW_CaseUid", lower);
		}
		if (bench_rng_unit (&rng) < 0.4) {
			RrecKvList *s = rrec_kv_list_new ();
			guint n = 1 + bench_rng_below (&rng, 3);

			for (guint k = 0; k < n; k++)
				rrec_kv_list_add_int (s, skills[(i + k) % 5],
						      1 + bench_rng_below (&rng, 10));
			rrec_kv_list_add_list (l, "RRequestedSkills", s);
		}
		w->user_data[i] = l;
	}
	for (guint i = 1; i < 5; i++) {
		w->extensions[i] = rrec_kv_list_new ();
		rrec_kv_list_add_string (w->extensions[i], "record",
					 bench_record_names[i]);
	}
	return w;
}

void
bench_world_free (BenchWorld *w)
{
	if (w == NULL)
		return;
	for (guint i = 0; i < w->n_agents; i++)
		g_free (w->agents[i]);
	g_free (w->agents);
	for (guint i = 0; i < BENCH_N_EXTERNAL; i++)
		g_free (w->externals[i]);
	for (guint i = 0; i < BENCH_N_SUPERVISORS; i++)
		g_free (w->supervisors[i]);
	for (guint i = 0; i < BENCH_N_UUIDS; i++)
		g_free (w->uuids[i]);
	for (guint i = 0; i < BENCH_N_USERDATA; i++)
		rrec_kv_list_free (w->user_data[i]);
	for (guint i = 1; i < 5; i++)
		rrec_kv_list_free (w->extensions[i]);
	g_free (w);
}

const char *
bench_world_dn (const BenchWorld *w, guint32 code)
{
	guint32 i = BENCH_DN_INDEX (code);

	switch (code & BENCH_DN_KIND) {
	case BENCH_DN_AGENT:
		return w->agents[i];
	case BENCH_DN_EXTERNAL:
		return w->externals[i];
	case BENCH_DN_RP_RECORD:
		return "8000";
	case BENCH_DN_RP_PLAIN:
		return "8001";
	case BENCH_DN_SUPERVISOR:
		return w->supervisors[i];
	default:
		return NULL;
	}
}

char *
bench_world_config (const BenchWorld *w, guint digits)
{
	GString *s = g_string_new (NULL);

	g_string_append_printf (s,
		"[remote-recording]\n"
		"server-application = SIPServer_SfB\n"
		"trunk-group = annc\n"
		"uri-pattern = sip:{+1555{%.*s}}{@sip.example.com}\n"
		"reestablish-recording-tout = 5\n"
		"recording-filename =\n"
		"record-moh = true\n\n"
		"[app:SIPServer_SfB]\n"
		"reconnect-timeout = 10\n"
		"reconnect-attempts = 1\n\n"
		"[dn:annc]\ntype = trunk-group\n\n"
		"[dn:8000]\ntype = routing-point\nrecord = true\n\n"
		"[dn:8001]\ntype = routing-point\n",
		(int) digits, "DDDDDDDDD");
	for (guint i = 0; i < w->n_agents; i++) {
		g_string_append_printf (s, "\n[dn:%s]\ntype = extension\n",
					w->agents[i]);
		if (i >= w->n_plain)
			g_string_append (s, "record = true\n");
	}
	for (guint i = 0; i < BENCH_N_SUPERVISORS; i++)
		g_string_append_printf (s, "\n[dn:%s]\ntype = extension\n",
					w->supervisors[i]);
	return g_string_free (s, FALSE);
}
