/*
 * engine.c — the engine as its host sees it (rrec/engine.h): its life, its
 * clock, the messages it is fed, the state store, and the wiring of the
 * one-way pipeline: classify.c turns a message into machine events, the
 * core's queue runs each through its table (call.c, session.c, link.c),
 * the rows' actions reach the host through the core's emit.
 */
#include <string.h>

#include "engine-private.h"
#include "rrec-config-private.h"
#include "rrec-config-data.h"

/* ---- the pipeline's stages, wired ------------------------------------------ */

/* A posted event to its machine; the gap ledger reads the call after it. */
static void
run_posted (RrecEngine *e, Posted *p)
{
	Call *call = NULL;

	if (p->target != TARGET_LINK) {
		call = rrec_engine_call_lookup (e, p->call_id);
		if (call == NULL)
			return;
	}
	switch (p->target) {
	case TARGET_CALL:
		rrec_engine_step (e, &rrec_call_binding, &call->state, p->event,
				  call, p, call->conn);
		rrec_gaps_update (e, call);
		break;
	case TARGET_SESSION:
		/* an event for a session that has since been replaced is void */
		if (call->session == NULL || call->session->serial != p->serial)
			return;
		rrec_engine_step (e, &rrec_session_binding, &call->session->state,
				  p->event, call->session, p, call->conn);
		rrec_gaps_update (e, call);
		break;
	case TARGET_LINK:
		rrec_engine_step (e, &rrec_link_binding, &e->link_state, p->event,
				  e, p, NULL);
		break;
	}
}

/* A due timer to the machine that armed it. */
static void
fire (RrecEngine *e, Timer *t)
{
	switch ((TimerKind) t->kind) {
	case TIMER_SETUP:
	case TIMER_REDIAL:
	case TIMER_QUERY:
		rrec_session_timer_fired (e, t);
		break;
	case TIMER_LINK_RETRY:
		rrec_link_timer_fired (e, t);
		break;
	}
	rrec_engine_drain (e);
}

static const RrecEngineHooks hooks = {
	.run = run_posted,
	.settle = rrec_call_settle,
	.finish = rrec_call_finish,
	.fire = fire,
};

/* ---- life ------------------------------------------------------------------- */

/* The configured DNs, with their `record` option (R1), enter the DN table
 * once: the hot path never asks the configuration. */
static void
enter_configured_dns (RrecEngine *e)
{
	GHashTableIter it;
	gpointer k, v;

	rrec_dn_table_init (&e->dns);
	g_hash_table_iter_init (&it, e->config->dns);
	while (g_hash_table_iter_next (&it, &k, &v)) {
		guint32 id = rrec_dn_table_intern (&e->dns, k);

		e->dns.v[id].configured = TRUE;
		e->dns.v[id].records = ((const RrecDnEntry *) v)->record;
	}
}

static RrecEngine *
engine_alloc (RrecConfig *config, const RrecHostCallbacks *callbacks,
	      gpointer user_data)
{
	RrecEngine *e = g_new0 (RrecEngine, 1);

	e->hooks = &hooks;

	g_assert (rrec_fsm_binding_is_complete (&rrec_call_binding));
	g_assert (rrec_fsm_binding_is_complete (&rrec_session_binding));
	g_assert (rrec_fsm_binding_is_complete (&rrec_link_binding));

	e->config = rrec_config_ref (config);
	if (callbacks)
		e->cb = *callbacks;
	e->user_data = user_data;
	e->pattern = rrec_config_get_uri_pattern_parsed (config);
	e->fname = rrec_config_get_recording_filename_compiled (config);
	g_assert (e->fname != NULL);	/* every loaded configuration has one */
	rrec_id_map_init_sparse (&e->calls);
	rrec_id_map_init (&e->by_port);
	rrec_id_map_init (&e->by_leg);
	enter_configured_dns (e);
	e->orphaned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
					     NULL);
	e->requests = g_hash_table_new (g_int64_hash, g_int64_equal);
	e->timers = rrec_core_timers_new ();
	e->dead = g_ptr_array_new ();
	e->kv_scratch = g_byte_array_new ();
	e->later = g_array_new (FALSE, FALSE, sizeof (Posted));
	e->drain_gen = 1;
	e->link_state = rrec_link_machine.initial;
	e->next_refid = 1;
	g_strlcpy (e->date, "1970-01-01", sizeof e->date);
	return e;
}

RrecEngine *
rrec_engine_new (RrecConfig *config, const RrecHostCallbacks *callbacks,
		 gpointer user_data)
{
	g_return_val_if_fail (config != NULL, NULL);

	RrecEngine *e = engine_alloc (config, callbacks, user_data);
	guint64 n = rrec_config_get_port_count (config);

	e->pool = rrec_port_pool_new ((guint32) MIN (n, G_MAXUINT32));
	return e;
}

void
rrec_engine_free (RrecEngine *e)
{
	gpointer v;

	if (e == NULL)
		return;
	/* Frees without a goodbye: no action reaches the host. */
	for (guint i = 0; rrec_id_map_next (&e->calls, &i, NULL, &v);)
		rrec_engine_call_free (v);
	rrec_engine_calls_memory_free (e);
	rrec_id_map_clear (&e->calls);
	rrec_id_map_clear (&e->by_port);
	rrec_id_map_clear (&e->by_leg);
	rrec_dn_table_clear (&e->dns);
	g_clear_pointer (&e->day, g_date_time_unref);
	g_hash_table_destroy (e->orphaned);
	rrec_core_requests_drop_all (e);
	g_hash_table_destroy (e->requests);
	rrec_core_timers_free (e->timers);
	rrec_core_spares_free (e);
	rrec_core_drop_posted (e);
	g_free (e->posted);
	g_ptr_array_unref (e->dead);
	g_byte_array_unref (e->kv_scratch);
	g_array_unref (e->later);
	rrec_call_waiting_free (e);
	rrec_port_pool_free (e->pool);
	rrec_store_close (e->store);	/* nothing more written: no goodbye */
	rrec_config_unref (e->config);
	g_free (e->lookahead);
	g_free (e);
}

/* ---- time and the store ----------------------------------------------------- */

static void
store_alarm (RrecEngine *e, gboolean raised, const char *text)
{
	if (e->alarm_store == raised)
		return;
	e->alarm_store = raised;
	RrecAction a = {
		.kind = RREC_ACTION_ALARM,
		.name = "state-store",
		.raised = raised,
		.text = text,
	};
	/* about this process, not about a call: behaviour.md names no rule;
	 * about the store, so never held by it */
	rrec_engine_emit_unruled (e, &a);
}

static void
deliver_held (gpointer data, const RrecAction *a)
{
	rrec_engine_deliver (data, a);
}

/*
 * The end of a batch (store.c: group commit; a batch is one step unless
 * the host hinted): the rows its steps changed go to the store in one
 * transaction, and only then do their actions (held by the store) reach
 * the host.  A failed write raises `state-store` and the engine goes on;
 * the next good write clears it.  On a local store the actions go out
 * anyway (recording matters more than its record), the alarm says they
 * are not stored; on a store shared with a standby (backend.h: shared,
 * PostgreSQL) they wait for the next good write — the standby would take
 * over without the step — which the next feed or advance tries.
 */
static void
store_commit (RrecEngine *e)
{
	g_autoptr (GError) error = NULL;
	gboolean ok = rrec_store_write (e->store, e, rrec_store_clock (e->store),
					&error);

	rrec_store_committed (e->store, ok);
	if (ok) {
		rrec_store_release (e->store, deliver_held, e);
		store_alarm (e, FALSE, "the state store is written again");
	} else {
		if (!e->alarm_store)
			g_warning ("%s", error->message);
		if (!rrec_store_holds_back (e->store))
			rrec_store_release (e->store, deliver_held, e);
		store_alarm (e, TRUE, error->message);
	}
}

/* The end of a fed step: committed, or left with the batch when the host
 * said more input is in hand (rrec_engine_more_queued()). */
void
rrec_engine_store_step (RrecEngine *e)
{
	if (e->store && !rrec_store_step_ends (e->store, e->now, TRUE))
		store_commit (e);
}

/* The end of a step of advance or reconcile: committed, with the batch. */
void
rrec_engine_store_step_now (RrecEngine *e)
{
	if (e->store && !rrec_store_step_ends (e->store, e->now, FALSE))
		store_commit (e);
}

void
rrec_engine_advance (RrecEngine *e, gint64 now_ms)
{
	gboolean fired = rrec_core_fire_due (e, now_ms);

	if (now_ms > e->now)
		e->now = now_ms;
	/* the clock alone is not worth a transaction: a restart reads the
	 * time from the host again (a batch in progress stays so); but
	 * actions held back by a failed write try again */
	if (fired)
		rrec_engine_store_step_now (e);
	else if (e->store && rrec_store_held_back (e->store))
		store_commit (e);
}

void
rrec_engine_more_queued (RrecEngine *e, guint commit_kinds)
{
	g_return_if_fail (e != NULL);
	if (e->store)
		rrec_store_set_queued (e->store, commit_kinds);
}

void
rrec_engine_flush (RrecEngine *e)
{
	g_return_if_fail (e != NULL);
	if (e->store && (rrec_store_pending (e->store) > 0 ||
			 rrec_store_held_back (e->store)))
		store_commit (e);
}

guint
rrec_engine_pending_steps (RrecEngine *e)
{
	g_return_val_if_fail (e != NULL, 0);
	return e->store ? rrec_store_pending (e->store) : 0;
}

void
rrec_engine_set_date (RrecEngine *e, const char *date)
{
	if (date && strlen (date) == 10)
		g_strlcpy (e->date, date, sizeof e->date);
}

/* ---- messages ----------------------------------------------------------------- */

gboolean
rrec_engine_feed (RrecEngine *e, const RrecMessage *m, GError **error)
{
	gboolean ok;

	g_return_val_if_fail (e != NULL && m != NULL, FALSE);
	e->counters.messages++;
	if (!rrec_classify_nesting_ok (m, error)) {
		e->counters.malformed++;
		return FALSE;
	}
	ok = rrec_classify (e, m, error);
	if (!ok)
		e->counters.malformed++;
	rrec_engine_store_step (e);
	return ok;
}

/* The classifier (classify.c) takes every RrecMessageType, on each side,
 * and nothing else: the host does not feed other messages. */
gboolean
rrec_engine_wants_message (const char *message, gpointer unused)
{
	g_return_val_if_fail (message != NULL, FALSE);

	return rrec_message_type_from_name (message) >= 0;
}

RrecEngine *
rrec_engine_open (RrecConfig *config, const RrecHostCallbacks *callbacks,
		  gpointer user_data, const char *path, RrecStoreSync sync,
		  gboolean *restored, GError **error)
{
	return rrec_engine_open_full (config, callbacks, user_data, path, sync,
				      0, restored, error);
}

gboolean
rrec_engine_has_store (RrecEngine *e)
{
	return e->store != NULL;
}

RrecEngine *
rrec_engine_open_full (RrecConfig *config, const RrecHostCallbacks *callbacks,
		       gpointer user_data, const char *path, RrecStoreSync sync,
		       RrecStoreFlags flags, gboolean *restored, GError **error)
{
	g_autoptr (GError) local = NULL;
	RrecEngine *e = NULL;
	RrecStore *store;
	RrecStoreOpenStatus status = RREC_STORE_OPEN_OK;
	gboolean damaged = FALSE;

	g_return_val_if_fail (config != NULL && path != NULL, NULL);
	if (restored)
		*restored = FALSE;
	store = rrec_store_open (path, sync, (flags & RREC_STORE_REPLACE) != 0,
				 &status, &local);
	if (store) {
		gboolean got = FALSE;

		/* made here, filled by the store's restore */
		e = rrec_engine_new (config, callbacks, user_data);
		if (!rrec_store_restore (store, e, &got, &damaged, &local)) {
			/* a state this engine cannot read: unusable here */
			g_clear_pointer (&e, rrec_engine_free);
			g_clear_pointer (&store, rrec_store_close);
			status = damaged ? RREC_STORE_OPEN_DAMAGED :
				RREC_STORE_OPEN_UNREACHABLE;
		} else if (!got) {
			g_clear_pointer (&e, rrec_engine_free);
		} else {
			/* the next reconcile is a restart's (R31) */
			e->restored = TRUE;
			rrec_call_rebuild_waiting (e);
			if (restored)
				*restored = TRUE;
		}
	}
	damaged = status == RREC_STORE_OPEN_DAMAGED;
	if (store == NULL && damaged) {
		/* keep the damaged store for a post-mortem, start afresh; a
		 * store locked by another engine, or not an rrec store, is
		 * never touched */
		g_autoptr (GError) again = NULL;
		g_autofree char *aside = NULL;
		RrecStoreOpenStatus still;

		if (rrec_store_move_aside (path, &aside, &again)) {
			char *text = g_strdup_printf ("%s (moved to %s)",
						      local->message, aside);
			g_free (local->message);
			local->message = text;
			store = rrec_store_open (path, sync, TRUE, &still,
						 &again);
		}
		if (again)
			g_warning ("%s", again->message);
	}
	if (e == NULL)
		e = rrec_engine_new (config, callbacks, user_data);
	e->store = store;
	if (local) {
		g_autofree char *text = g_strdup_printf (
			"%s; starting empty%s", local->message,
			store ? "" : ", without a store");
		store_alarm (e, TRUE, text);
		g_propagate_error (error, g_steal_pointer (&local));
	}
	return e;
}

/* ---- queries --------------------------------------------------------------------- */

static Call *
lookup_text (RrecEngine *e, const char *conn_id)
{
	guint64 id;

	return rrec_conn_parse (conn_id, &id) ? rrec_engine_call_lookup (e, id) : NULL;
}

const char *
rrec_engine_session_state (RrecEngine *e, const char *conn_id)
{
	Call *c = lookup_text (e, conn_id);

	if (c == NULL || c->session == NULL)
		return NULL;
	return rrec_session_machine.state_names[c->session->state];
}

guint
rrec_engine_pause_reasons (RrecEngine *e, const char *conn_id)
{
	Call *c = lookup_text (e, conn_id);

	return c ? c->pause : 0;
}

char *
rrec_engine_session_port (RrecEngine *e, const char *conn_id)
{
	Call *c = lookup_text (e, conn_id);

	if (c == NULL || c->session == NULL || !c->session->has_port)
		return NULL;
	return rrec_session_port_string (c->session);
}

gboolean
rrec_engine_has_call (RrecEngine *e, const char *conn_id)
{
	return lookup_text (e, conn_id) != NULL;
}

guint
rrec_engine_active_calls (RrecEngine *e)
{
	return rrec_id_map_size (&e->calls);
}

guint
rrec_engine_ports_in_use (RrecEngine *e)
{
	return rrec_port_pool_get_n_in_use (e->pool);
}

gboolean
rrec_engine_link_is_up (RrecEngine *e)
{
	return e->link_state == RREC_LINK_STATE_UP;
}

gboolean
rrec_engine_alarm_is_raised (RrecEngine *e, const char *name)
{
	if (g_strcmp0 (name, "no-free-port") == 0)
		return e->alarm_no_port;
	if (g_strcmp0 (name, "server-link-down") == 0)
		return e->alarm_link;
	if (g_strcmp0 (name, "recording-failing") == 0)
		return e->alarm_failing;
	if (g_strcmp0 (name, "state-store") == 0)
		return e->alarm_store;
	return FALSE;
}

void
rrec_engine_get_counters (RrecEngine *e, RrecEngineCounters *counters)
{
	*counters = e->counters;
}

/* ---- saving ------------------------------------------------------------------------ */

GBytes *
rrec_engine_save (RrecEngine *e)
{
	return rrec_engine_state_save (e);
}

RrecEngine *
rrec_engine_restore (RrecConfig *config, const RrecHostCallbacks *callbacks,
		     gpointer user_data, GBytes *state, GError **error)
{
	RrecEngine *e = engine_alloc (config, callbacks, user_data);

	if (!rrec_engine_state_load (e, state, error)) {
		if (e->pool == NULL)
			e->pool = rrec_port_pool_new (1);
		rrec_engine_free (e);
		return NULL;
	}
	e->restored = TRUE;	/* the next reconcile is a restart's (R31) */
	rrec_call_rebuild_waiting (e);
	return e;
}
