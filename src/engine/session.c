/*
 * session.c — the guards and actions of the recording-session machine
 * (fsm/session.fsm): ports (R18, R22), the leg (R19, R25, R26), GSIP
 * requests (R14, R19), the call's visible recording state (R28, R29) and
 * the client replies that wait on them (R27, R30).
 */
#include <stdio.h>
#include <string.h>

#include "session.h"
#include "failing.h"
#include "gaps.h"
#include "rrec-config-private.h"
#include "rrec-filename.h"
#include "rrec-kvpack.h"

#define E(s) ((s)->call->engine)

char *
rrec_session_port_string (Session *s)
{
	return rrec_uri_pattern_port_string (E (s)->pattern, s->port);
}

const char *
rrec_session_port_text (Session *s, RrecText *t)
{
	const RrecUriPattern *p = E (s)->pattern;

	rrec_text_clear (t);
	if (rrec_uri_pattern_write_port (p, s->port, t->buf, sizeof t->buf) < sizeof t->buf)
		return t->buf;
	return t->heap = rrec_uri_pattern_port_string (p, s->port);
}

static const char *
dial_uri_text (Session *s, RrecText *t)
{
	const RrecUriPattern *p = E (s)->pattern;

	rrec_text_clear (t);
	if (rrec_uri_pattern_write_dial_uri (p, s->port, t->buf, sizeof t->buf) < sizeof t->buf)
		return t->buf;
	return t->heap = rrec_uri_pattern_dial_uri (p, s->port);
}

/* rrec_session_rec_id() without a copy: the pinned text, or made in @t */
const char *
rrec_session_rec_id_text (const Session *s, RrecText *t)
{
	const Call *c = s->call;

	if (s->rare && s->rare->rec_id)
		return s->rare->rec_id;
	if (s->rec_no == 0)
		return NULL;
	return rrec_text_dash_number (t, c->call_uuid ? c->call_uuid : c->conn,
				      s->rec_no);
}

gint64
rrec_session_request (RrecEngine *e, Session *s, int op)
{
	return rrec_core_request (e, s->call->id, s->serial, op, &s->requests);
}

/* R33: the query about the session's leg that awaits its answer is over:
 * an answer that comes yet is one to no request (ignored and counted, §7).
 * Found among the session's own requests in flight (at most one query: a
 * link lost, which a new query needs, drops every request). */
static void
drop_query_request (RrecEngine *e, Session *s)
{
	for (Request *r = s->requests; r; r = r->next) {
		e->request_visits++;
		if (r->op == RREC_QUERY_OP) {
			rrec_core_request_drop (e, r);
			return;
		}
	}
}

/* The session's requests in flight are forgotten (its own list: no
 * search): an answer that comes yet is one to no request (§7). */
static void
drop_requests (RrecEngine *e, Session *s)
{
	while (s->requests) {
		e->request_visits++;
		rrec_core_request_drop (e, s->requests);
	}
}

/* A leg is forgotten: its query, START, PAUSE and RESUME in flight were
 * about it, and an answer that comes later is stale — it must not be taken
 * for the next leg's (a late EventError to a PAUSE is not the next leg's
 * START refused, R25, R33).  A STOP stays: its session waits for it. */
static void
drop_leg_requests (RrecEngine *e, Session *s)
{
	for (Request *r = s->requests, *next; r; r = next) {
		next = r->next;
		e->request_visits++;
		if (r->op == RREC_QUERY_OP || r->op == RREC_GSIP_RECORD_START ||
		    r->op == RREC_GSIP_RECORD_PAUSE ||
		    r->op == RREC_GSIP_RECORD_RESUME)
			rrec_core_request_drop (e, r);
	}
}

void
rrec_session_timer_fired (RrecEngine *e, Timer *t)
{
	Call *call = rrec_engine_call_lookup (e, t->call_id);

	if (call == NULL || call->session == NULL ||
	    call->session->serial != t->serial)
		return;
	if (t->kind == TIMER_QUERY) {
		/* R33: no answer to the query: the leg is gone (and an
		 * answer later is stale) */
		call->session->query_timer = NULL;
		drop_query_request (e, call->session);
		rrec_engine_post (e, TARGET_SESSION, RREC_SESSION_EVENT_LEG_LOST,
				  call, -1, NULL, "server-failover");
		return;
	}
	if (t->kind == TIMER_SETUP)
		call->session->setup_timer = NULL;
	else
		call->session->redial_timer = NULL;
	rrec_engine_post (e, TARGET_SESSION, t->kind == TIMER_SETUP ?
			  RREC_SESSION_EVENT_SETUP_TIMEOUT :
			  RREC_SESSION_EVENT_REDIAL_DUE, call, -1, NULL,
			  "setup-timeout");
}

static const char *
reason_of (gconstpointer data, const char *fallback)
{
	const Posted *p = data;

	return p && p->reason ? p->reason : fallback;
}

/* ---- guards ------------------------------------------------------------ */

static gboolean
g_link_up (gpointer o, gconstpointer d)
{
	return E ((Session *) o)->link_state == RREC_LINK_STATE_UP;
}

static gboolean
g_port_free (gpointer o, gconstpointer d)
{
	RrecPortPool *pool = E ((Session *) o)->pool;

	return rrec_port_pool_get_n_in_use (pool) < rrec_port_pool_get_size (pool);
}

static gboolean
g_pause_wanted (gpointer o, gconstpointer d)
{
	return ((Session *) o)->call->pause != 0;
}

static gboolean
g_may_redial (gpointer o, gconstpointer d)
{
	return rrec_config_get_reestablish_recording_tout (E ((Session *) o)->config) > 0;
}

static gboolean
g_first_leg (gpointer o, gconstpointer d)
{
	return !((Session *) o)->started;
}

static gboolean
g_same_leg (gpointer o, gconstpointer d)
{
	const Posted *p = d;
	const Session *s = o;

	return p && rrec_session_leg_is (s, p->leg);
}

/* ---- actions ----------------------------------------------------------- */

static void
no_port_alarm (RrecEngine *e, gboolean raised)
{
	if (e->alarm_no_port == raised)
		return;
	e->alarm_no_port = raised;
	RrecAction a = {
		.kind = RREC_ACTION_ALARM,
		.name = "no-free-port",
		.raised = raised,
		.text = raised ? "every recording port is in use" :
			"a recording port was allocated again",
	};
	rrec_engine_emit (e, &a);
}

static void
a_take_port (gpointer o, gconstpointer d)
{
	Session *s = o;
	RrecEngine *e = E (s);

	if (!rrec_port_pool_allocate (e->pool, &s->port))
		g_assert_not_reached ();	/* port_free held */
	s->has_port = TRUE;
	e->counters.sessions++;	/* a session is one that got its port */
	rrec_id_map_insert (&e->by_port, s->port, s);
}

/* R22: the alarm is cleared by a port allocated, raised by a start that
 * finds none. */
static void
a_clear_port_alarm (gpointer o, gconstpointer d)
{
	no_port_alarm (E ((Session *) o), FALSE);
}

static void
a_raise_port_alarm (gpointer o, gconstpointer d)
{
	no_port_alarm (E ((Session *) o), TRUE);
}

/* R28, R29: the file name goes to the call's user data at the first dial. */
static void
a_write_filename (gpointer o, gconstpointer d)
{
	Session *s = o;
	RrecEngine *e = E (s);
	Call *c = s->call;
	g_auto (RrecText) port = RREC_TEXT_INIT;
	g_auto (RrecText) rec_id = RREC_TEXT_INIT;
	gint64 secs = e->now / 1000;
	gint64 sod = secs % 86400;
	g_autoptr (GDateTime) start = NULL;
	char name[RREC_FILENAME_MAX_LEN + 1];
	gsize len;

	if (e->day == NULL || strcmp (e->day_of, e->date) != 0) {
		int y = 1970, mo = 1, da = 1;

		if (sscanf (e->date, "%d-%d-%d", &y, &mo, &da) != 3)
			y = 1970, mo = 1, da = 1;
		g_clear_pointer (&e->day, g_date_time_unref);
		e->day = g_date_time_new_utc (y, mo, da, 0, 0, 0);
		if (e->day == NULL)
			e->day = g_date_time_new_utc (1970, 1, 1, 0, 0, 0);
		g_strlcpy (e->day_of, e->date, sizeof e->day_of);
		g_date_time_get_ymd (e->day, &e->day_ymd[0], &e->day_ymd[1],
				     &e->day_ymd[2]);
	}

	/* R29: the DNs from their entries' heads when short (dntab.h) */
	RrecFilenameValues v = {
		.call_uuid = c->call_uuid,
		.conn_id = c->conn,
		.dn = rrec_dn_table_text (&e->dns, s->owner),
		.ani = rrec_dn_table_text (&e->dns, c->ani),
		.dnis = rrec_dn_table_text (&e->dns, c->dnis),
		/* made only for a template that names it */
		.port = rrec_filename_template_uses_port (e->fname) ?
			rrec_session_port_text (s, &port) : NULL,
	};
	if (sod >= 0) {
		/* the day's date and the time of day, with no GDateTime made */
		v.clock_set = TRUE;
		memcpy (v.clock, e->day_ymd, sizeof e->day_ymd);
		v.clock[3] = (int) (sod / 3600);
		v.clock[4] = (int) (sod / 60 % 60);
		v.clock[5] = (int) (sod % 60);
	} else {
		start = g_date_time_add_seconds (e->day, (gdouble) sod);
		v.start = start;
	}
	/* the template compiled with the configuration: no parsing here */
	len = rrec_filename_template_expand (e->fname, &v, name);
	/* kept as long as the session: its exact size (memory per session);
	 * a re-dial's name of the same length goes into the same block */
	if (s->file_name && s->file_name_len == len) {
		memcpy (s->file_name, name, len);
	} else {
		/* the engine's block (core.c): back to it, not to malloc */
		rrec_core_str_give_len (e, s->file_name, s->file_name_len);
		s->file_name = rrec_core_memdup (e, name, len + 1);
		s->file_name_len = (guint32) len;
	}
	/* R34: every session that dials a leg takes the next number */
	if (s->rare)
		g_clear_pointer (&s->rare->rec_id, g_free);
	s->rec_no = ++c->n_recordings;
	rrec_engine_name_call (e, c, s->file_name, s->file_name_len,
			       rrec_session_rec_id_text (s, &rec_id));
}

static void
a_dial_leg (gpointer o, gconstpointer d)
{
	Session *s = o;
	RrecEngine *e = E (s);
	g_auto (RrecText) port = RREC_TEXT_INIT;
	g_auto (RrecText) uri = RREC_TEXT_INIT;
	RrecAction a = {
		.kind = RREC_ACTION_DIAL_LEG,
		.call = s->call->conn,
		.port = rrec_session_port_text (s, &port),
		.uri = dial_uri_text (s, &uri),
		.dn = SESSION_OWNER (s),
	};

	s->dialled = TRUE;
	if (s->started && s->redials < G_MAXUINT32)
		s->redials++;	/* R35: a re-dial */
	rrec_engine_emit (e, &a);
}

/* (Re)arms one of the session's timers @seconds from now. */
static void
arm (Session *s, Timer **slot, TimerKind kind, guint seconds)
{
	RrecEngine *e = E (s);

	rrec_engine_timer_cancel (e, slot);
	*slot = rrec_engine_timer_add (e, kind, e->now + (gint64) seconds * 1000,
				       s->call, s->serial);
}

static void
a_arm_setup_timer (gpointer o, gconstpointer d)
{
	Session *s = o;

	arm (s, &s->setup_timer, TIMER_SETUP,
	     rrec_config_get_recording_setup_tout (E (s)->config));
}

static void
a_cancel_setup_timer (gpointer o, gconstpointer d)
{
	Session *s = o;

	rrec_engine_timer_cancel (E (s), &s->setup_timer);
}

/* The pause reasons as words, for the record of a PAUSE (R14). */
static const char *
pause_words (guint pause)
{
	static const char *const words[8] = {
		"", "client", "hold", "client,hold", "transfer",
		"client,transfer", "hold,transfer", "client,hold,transfer",
	};

	G_STATIC_ASSERT (RREC_PAUSE_CLIENT == 1 && RREC_PAUSE_HOLD == 2 &&
			 RREC_PAUSE_TRANSFER == 4);
	return words[pause & 7];
}

static void
send (Session *s, int op)
{
	RrecEngine *e = E (s);
	g_auto (RrecText) port = RREC_TEXT_INIT;
	RrecKvList *ext = NULL;
	char leg[17];
	RrecAction a = {
		.kind = RREC_ACTION_RECORD,
		.call = s->call->conn,
		.leg = rrec_session_leg (s, leg),
		.port = rrec_session_port_text (s, &port),
		.op = op,
		.reason = op == RREC_GSIP_RECORD_PAUSE ?
			pause_words (s->call->pause) : NULL,
	};

	if (op == RREC_GSIP_RECORD_START) {
		/* R34: the recording's identity, the same on every leg */
		const char *geo = rrec_config_get_dn_geo_location (e->config,
								   SESSION_OWNER (s));

		g_auto (RrecText) rec_id_text = RREC_TEXT_INIT;
		const char *rec_id = rrec_session_rec_id_text (s, &rec_id_text);

		ext = rrec_core_kv_take (e);
		RREC_KV_ADD (ext, "id", rec_id);
		if (s->file_name)
			rrec_kv_list_add_string_len (ext, "recording-filename",
						     sizeof "recording-filename" - 1,
						     s->file_name, s->file_name_len);
		else
			RREC_KV_ADD (ext, "recording-filename", "");
		if (geo)
			RREC_KV_ADD (ext, "geo-location", geo);
		/* R36: a consultation's recording names its main call's */
		if (rrec_session_parent_id (s))
			RREC_KV_ADD (ext, "parent-id", rrec_session_parent_id (s));
		a.data = ext;
	}
	a.refid = rrec_session_request (e, s, op);
	rrec_engine_emit (e, &a);
	rrec_core_kv_give (e, ext);
}

static void a_send_start (gpointer o, gconstpointer d) { send (o, RREC_GSIP_RECORD_START); }
static void a_send_pause (gpointer o, gconstpointer d) { send (o, RREC_GSIP_RECORD_PAUSE); }
static void a_send_resume (gpointer o, gconstpointer d) { send (o, RREC_GSIP_RECORD_RESUME); }
static void a_send_stop (gpointer o, gconstpointer d) { send (o, RREC_GSIP_RECORD_STOP); }

/* R19, R21: the call's user data follows START, without R28's keys. */
static void
a_send_userdata (gpointer o, gconstpointer d)
{
	Session *s = o;
	RrecEngine *e = E (s);
	RrecKvList *ud = rrec_core_kv_take (e);
	RrecKvList *filtered = NULL;
	const RrecKvList *data = ud;

	/* damaged bytes are sent as no data, as they were never unpacked */
	if (!rrec_kv_unpack_into (ud, s->call->user_data, s->call->user_data_len))
		rrec_kv_list_clear (ud);
	/* the engine's own keys stay out (R21): a copy only when there are */
	for (guint i = 0; i < rrec_kv_list_length (ud); i++)
		if (rrec_engine_own_key (rrec_kv_list_key (ud, i))) {
			filtered = rrec_core_kv_take (e);
			for (guint j = 0; j < rrec_kv_list_length (ud); j++)
				if (!rrec_engine_own_key (rrec_kv_list_key (ud, j)))
					rrec_kv_list_append_pair (filtered, ud, j);
			data = filtered;
			break;
		}
	if (rrec_kv_list_length (data) > 0) {
		g_auto (RrecText) port = RREC_TEXT_INIT;
		char leg[17];
		RrecAction a = {
			.kind = RREC_ACTION_LEG_USERDATA,
			.call = s->call->conn,
			.leg = rrec_session_leg (s, leg),
			.port = rrec_session_port_text (s, &port),
			.data = data,
		};
		a.refid = rrec_session_request (e, s, 0);
		rrec_engine_emit (e, &a);
	}
	rrec_core_kv_give (e, filtered);
	rrec_core_kv_give (e, ud);
}

static void
mark (Session *s, RecState state)
{
	rrec_engine_mark_call (E (s), s->call, state);
}

static void a_mark_on (gpointer o, gconstpointer d) { mark (o, REC_ON); }
static void a_mark_paused (gpointer o, gconstpointer d) { mark (o, REC_PAUSED); }

/* R28: the session ended while the call goes on (the rows that end the
 * call's session with it do not mark). */
static void
a_mark_off (gpointer o, gconstpointer d)
{
	mark (o, REC_OFF);
}

static void
a_answer_start (gpointer o, gconstpointer d)
{
	Session *s = o;

	s->started = TRUE;
	rrec_engine_answer (E (s), s->call, RREC_GSIP_RECORD_START, NULL);
	rrec_engine_ack_client_scopes (s->call);
}

/* R27: a PAUSE is answered once SIP Server has acknowledged it, a RESUME
 * likewise; neither before the GSIP request it caused is answered. */
static void
a_answer_pause (gpointer o, gconstpointer d)
{
	Session *s = o;

	rrec_engine_answer (E (s), s->call, RREC_GSIP_RECORD_PAUSE, NULL);
}

static void
a_answer_resume (gpointer o, gconstpointer d)
{
	Session *s = o;

	rrec_engine_answer (E (s), s->call, RREC_GSIP_RECORD_RESUME, NULL);
}

/* PAUSE, RESUME and STOP requests all answered (the leg is being redone
 * or the session is over, R27). */
static void
a_answer_pending (gpointer o, gconstpointer d)
{
	Session *s = o;

	rrec_engine_answer (E (s), s->call, RREC_GSIP_RECORD_PAUSE, NULL);
	rrec_engine_answer (E (s), s->call, RREC_GSIP_RECORD_RESUME, NULL);
	rrec_engine_answer (E (s), s->call, RREC_GSIP_RECORD_STOP, NULL);
}

/* R30: a failed start is answered and the triggers of the clients answered
 * with that failure forgotten (a start ACKed earlier stays a trigger); the
 * call hears of it (START_FAILED: it waits for the link or a port). */
static void
fail (Session *s, const char *error)
{
	Call *c = s->call;

	rrec_engine_answer (E (s), c, RREC_GSIP_RECORD_START, error);
	for (guint i = LEN (c->scopes); i > 0; i--) {
		const Scope *sc = &c->scopes->v[i - 1];

		if (sc->kind == SCOPE_CLIENT && !sc->acked)
			rrec_engine_scope_remove (c, i - 1);
	}
	if (c->scopes && c->scopes->len == 0)
		rrec_engine_scopes_clear (c);
	rrec_engine_post (E (s), TARGET_CALL, RREC_CALL_EVENT_START_FAILED, c,
			  -1, NULL, NULL);
}

/* The gap ledger names why a call waits for R30. */
static void
a_fail_unavailable (gpointer o, gconstpointer d)
{
	((Session *) o)->call->fail_cause = GAP_LINK_DOWN;
	fail (o, "server-unavailable");		/* R23 */
}

static void
a_fail_setup (gpointer o, gconstpointer d)
{
	((Session *) o)->call->fail_cause = GAP_REESTABLISHING;
	fail (o, "setup-failed");		/* R27 */
}

static void
a_fail_no_port (gpointer o, gconstpointer d)
{
	Session *s = o;

	s->call->fail_cause = GAP_NO_PORT;
	fail (s, "no-free-port");
}

/* The leg is gone from the session (released, dropped, found gone): a
 * query about it (R33) is over with it — its time-out and a late answer
 * decide nothing about the next leg. */
void
rrec_session_forget_leg (Session *s)
{
	rrec_engine_timer_cancel (E (s), &s->query_timer);
	drop_leg_requests (E (s), s);
	rrec_session_set_leg (s, NULL);
	s->dialled = FALSE;
}

static void
a_release_leg (gpointer o, gconstpointer d)
{
	Session *s = o;
	g_auto (RrecText) port = RREC_TEXT_INIT;
	char leg[17];
	RrecAction a = {
		.kind = RREC_ACTION_RELEASE_LEG,
		.call = s->call->conn,
		.leg = rrec_session_leg (s, leg),
		.port = rrec_session_port_text (s, &port),
		.reason = reason_of (d, "stopped"),
	};

	if (s->dialled)
		rrec_engine_emit (E (s), &a);
	rrec_session_forget_leg (s);
}

/* R35: the last re-dial reestablish-max-attempts allows has failed */
static void
a_release_failed_leg (gpointer o, gconstpointer d)
{
	Session *s = o;
	g_auto (RrecText) port = RREC_TEXT_INIT;
	char leg[17];
	RrecAction a = {
		.kind = RREC_ACTION_RELEASE_LEG,
		.call = s->call->conn,
		.leg = rrec_session_leg (s, leg),
		.port = rrec_session_port_text (s, &port),
		.reason = "reestablish-failed",
	};

	if (s->dialled)
		rrec_engine_emit (E (s), &a);
	rrec_session_forget_leg (s);
}

static void
a_forget_leg (gpointer o, gconstpointer d)
{
	rrec_session_forget_leg (o);
}

/* R33: RequestQueryCall for the leg, answered within recording-setup-tout
 * or taken as gone. */
static void
a_query_leg (gpointer o, gconstpointer d)
{
	Session *s = o;
	RrecEngine *e = E (s);
	g_auto (RrecText) port = RREC_TEXT_INIT;
	char leg[17];
	RrecAction a = {
		.kind = RREC_ACTION_QUERY_LEG,
		.call = s->call->conn,
		.leg = rrec_session_leg (s, leg),
		.port = rrec_session_port_text (s, &port),
	};

	arm (s, &s->query_timer, TIMER_QUERY,
	     rrec_config_get_recording_setup_tout (e->config));
	a.refid = rrec_session_request (e, s, RREC_QUERY_OP);
	rrec_engine_emit (e, &a);
}

static void
a_cancel_query (gpointer o, gconstpointer d)
{
	Session *s = o;

	rrec_engine_timer_cancel (E (s), &s->query_timer);
}

/* R33: the unrecorded time runs from the loss of the link on */
static void
a_failover_gap (gpointer o, gconstpointer d)
{
	Session *s = o;

	rrec_gaps_failover (E (s), s->call, E (s)->link_down_at);
}

/* R19: the leg awaited is up; its ConnID finds it again (R25). */
static void
a_take_leg (gpointer o, gconstpointer d)
{
	Session *s = o;
	const Posted *p = d;

	if (p == NULL || p->leg == NULL)
		return;		/* a reconcile set it already */
	rrec_session_set_leg (s, p->leg);
}

/* §7: the leg up again, once more: counted, and logged, as ignored. */
static void
a_note_duplicate (gpointer o, gconstpointer d)
{
	Session *s = o;
	const Posted *p = d;

	E (s)->counters.ignored++;
	if (rrec_fsm_log_wanted ())
		g_info ("ignored EventEstablished (ConnID %s, DNIS %s): the leg is "
			"already up", p->leg ? p->leg : "-", p->port ? p->port : "-");
}

/* R20: a leg nobody waits for is released at once, named as the log
 * gave it. */
static void
a_release_orphan (gpointer o, gconstpointer d)
{
	Session *s = o;
	const Posted *p = d;
	RrecAction a = {
		.kind = RREC_ACTION_RELEASE_LEG,
		.leg = p->leg,
		.port = p->port,
		.reason = "orphan",
	};

	E (s)->counters.orphans++;
	rrec_engine_emit (E (s), &a);
}

static void
a_arm_redial (gpointer o, gconstpointer d)
{
	Session *s = o;

	arm (s, &s->redial_timer, TIMER_REDIAL,
	     rrec_config_get_reestablish_recording_tout (E (s)->config));
}

/* R25 with reestablish-recording-tout 0: the recording is lost for good;
 * only a new route or client start brings a new session (README). */
static void
a_lose_recording (gpointer o, gconstpointer d)
{
	((Session *) o)->call->lost = TRUE;
}

/*
 * The session is over: timers go, the port is free again (R18), every
 * client still waiting gets its one reply (R27), and the call hears of it.
 */
static void
a_finish (gpointer o, gconstpointer d)
{
	Session *s = o;
	RrecEngine *e = E (s);
	Call *c = s->call;

	rrec_engine_timer_cancel (e, &s->setup_timer);
	rrec_engine_timer_cancel (e, &s->redial_timer);
	rrec_engine_timer_cancel (e, &s->query_timer);
	drop_requests (e, s);
	rrec_session_forget_leg (s);
	if (s->has_port) {
		rrec_id_map_remove (&e->by_port, s->port);
		rrec_port_pool_release (e->pool, s->port);
		s->has_port = FALSE;
		/* R30: once the queue is empty, a call waiting may take it */
		rrec_core_post_later (e, TARGET_CALL, RREC_CALL_EVENT_PORT_FREED);
	}
	/* A START that came while a started session was stopping waits for the
	 * next session, not for this one (R27). */
	if (!s->started)
		rrec_engine_answer (e, c, RREC_GSIP_RECORD_START, "setup-failed");
	/* R27: a request once accepted is never answered with an error
	 * because the session ended meanwhile */
	rrec_engine_answer (e, c, RREC_GSIP_RECORD_PAUSE, NULL);
	rrec_engine_answer (e, c, RREC_GSIP_RECORD_RESUME, NULL);
	rrec_engine_answer (e, c, RREC_GSIP_RECORD_STOP, NULL);
	rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_SESSION_GONE, c, -1,
			  NULL, NULL);
}

static const RrecFsmGuardFunc session_guards[RREC_SESSION_N_GUARDS] = {
	[RREC_SESSION_GUARD_LINK_UP] = g_link_up,
	[RREC_SESSION_GUARD_PORT_FREE] = g_port_free,
	[RREC_SESSION_GUARD_PAUSE_WANTED] = g_pause_wanted,
	[RREC_SESSION_GUARD_MAY_REDIAL] = g_may_redial,
	[RREC_SESSION_GUARD_FIRST_LEG] = g_first_leg,
	[RREC_SESSION_GUARD_REDIALS_LEFT] = rrec_failing_redials_left,
	[RREC_SESSION_GUARD_SAME_LEG] = g_same_leg,
};

static const RrecFsmActionFunc session_actions[RREC_SESSION_N_ACTIONS] = {
	[RREC_SESSION_ACTION_TAKE_PORT] = a_take_port,
	[RREC_SESSION_ACTION_CLEAR_PORT_ALARM] = a_clear_port_alarm,
	[RREC_SESSION_ACTION_RAISE_PORT_ALARM] = a_raise_port_alarm,
	[RREC_SESSION_ACTION_WRITE_FILENAME] = a_write_filename,
	[RREC_SESSION_ACTION_DIAL_LEG] = a_dial_leg,
	[RREC_SESSION_ACTION_ARM_SETUP_TIMER] = a_arm_setup_timer,
	[RREC_SESSION_ACTION_CANCEL_SETUP_TIMER] = a_cancel_setup_timer,
	[RREC_SESSION_ACTION_SEND_START] = a_send_start,
	[RREC_SESSION_ACTION_SEND_USERDATA] = a_send_userdata,
	[RREC_SESSION_ACTION_SEND_PAUSE] = a_send_pause,
	[RREC_SESSION_ACTION_SEND_RESUME] = a_send_resume,
	[RREC_SESSION_ACTION_SEND_STOP] = a_send_stop,
	[RREC_SESSION_ACTION_MARK_ON] = a_mark_on,
	[RREC_SESSION_ACTION_MARK_PAUSED] = a_mark_paused,
	[RREC_SESSION_ACTION_MARK_OFF] = a_mark_off,
	[RREC_SESSION_ACTION_ANSWER_START] = a_answer_start,
	[RREC_SESSION_ACTION_ANSWER_PAUSE] = a_answer_pause,
	[RREC_SESSION_ACTION_ANSWER_RESUME] = a_answer_resume,
	[RREC_SESSION_ACTION_ANSWER_PENDING] = a_answer_pending,
	[RREC_SESSION_ACTION_FAIL_UNAVAILABLE] = a_fail_unavailable,
	[RREC_SESSION_ACTION_FAIL_NO_PORT] = a_fail_no_port,
	[RREC_SESSION_ACTION_FAIL_SETUP] = a_fail_setup,
	[RREC_SESSION_ACTION_RELEASE_LEG] = a_release_leg,
	[RREC_SESSION_ACTION_FORGET_LEG] = a_forget_leg,
	[RREC_SESSION_ACTION_COUNT_FAILURE] = rrec_failing_count,
	[RREC_SESSION_ACTION_CLEAR_FAILURES] = rrec_failing_clear,
	[RREC_SESSION_ACTION_RELEASE_FAILED_LEG] = a_release_failed_leg,
	[RREC_SESSION_ACTION_GIVE_UP] = rrec_failing_give_up,
	[RREC_SESSION_ACTION_QUERY_LEG] = a_query_leg,
	[RREC_SESSION_ACTION_CANCEL_QUERY] = a_cancel_query,
	[RREC_SESSION_ACTION_FAILOVER_GAP] = a_failover_gap,
	[RREC_SESSION_ACTION_TAKE_LEG] = a_take_leg,
	[RREC_SESSION_ACTION_NOTE_DUPLICATE] = a_note_duplicate,
	[RREC_SESSION_ACTION_RELEASE_ORPHAN] = a_release_orphan,
	[RREC_SESSION_ACTION_ARM_REDIAL] = a_arm_redial,
	[RREC_SESSION_ACTION_LOSE_RECORDING] = a_lose_recording,
	[RREC_SESSION_ACTION_FINISH] = a_finish,
};

static const char *
session_label (gpointer owner)
{
	return ((Session *) owner)->call->conn;
}

static void
session_rule (gpointer owner, const char *rule)
{
	E ((Session *) owner)->rule = rule;
}

const RrecFsmBinding rrec_session_binding = {
	&rrec_session_machine, session_guards, session_actions, session_label,
	session_rule,
};
