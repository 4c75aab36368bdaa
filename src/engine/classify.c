/*
 * classify.c — the first stage of the engine's one-way pipeline: a
 * T-Library message of any of the three sides (behaviour.md §3) becomes
 * the facts it carries (parties, user data, triggers) and the machine
 * events it means, posted to the call, session and link machines and
 * drained.  Every switch over a message type names every type: a new one
 * does not compile until it is classified.
 */
#include <string.h>

#include "classify.h"
#include "rename.h"
#include "call.h"
#include "link.h"
#include "session.h"
#include "userdata.h"
#include "rrec-kvlist-private.h"
#include "rrec-config-private.h"

/* A DN of the message: its text, and its id once known (0: not in the
 * engine's DN table, or not yet looked up).  Ids stay valid for the whole
 * message (dntab.h): each DN's text is hashed at most once. */
typedef struct {
	const char *text;
	guint32 id;
} MsgDn;

static MsgDn
msg_dn (RrecEngine *e, const char *text)
{
	MsgDn d = { text, rrec_dn_table_find (&e->dns, text) };

	return d;
}

/* msg_dn(), looking among @call's parties before the index. */
static MsgDn
msg_dn_of (RrecEngine *e, const Call *call, const char *text)
{
	MsgDn d = { text, 0 };
	RrecDnKey k;

	if (text == NULL)
		return d;
	rrec_dn_key_init (&k, text);
	d.id = rrec_engine_party_dn (&e->dns, call, &k);
	if (d.id == 0)
		d.id = rrec_dn_table_find_key (&e->dns, &k);
	return d;
}

/* Sets a DN field of @call to the message's DN @dn: by its id when the
 * message's look-up found it, so that its text is not hashed again. */
static void
set_call_dn (Call *call, guint32 *field, const MsgDn *dn)
{
	if (dn->id)
		rrec_engine_call_set_dn_id (call, field, dn->id);
	else
		rrec_engine_call_set_dn (call, field, dn->text);
}

/* Feeds a party event; returns whether the party moved. */
static gboolean
party_event (RrecEngine *e, Call *call, MsgDn *dn, guint event)
{
	Party *p = rrec_engine_party_by_id (call, dn->id);
	gboolean created = FALSE;

	if (dn->text == NULL || *dn->text == '\0')
		return FALSE;
	if (p == NULL) {
		p = rrec_engine_party_add (e, call, dn->text, dn->id);
		if (p == NULL)
			return FALSE;	/* 255 parties on one call: §7 */
		dn->id = p->dn;
		created = TRUE;
	}

	gboolean was_est = rrec_party_established (p);
	PartyRef ref = { call, p, "" };
	RrecFsmResult r = rrec_engine_step (e, &rrec_party_binding, &p->state,
					    event, &ref, NULL, call->conn);

	if (!was_est && rrec_party_established (p) && p->est_seq == 0)
		p->est_seq = ++call->next_est_seq;
	if (p->state == RREC_PARTY_STATE_GONE ||
	    (created && p->state == RREC_PARTY_STATE_ABSENT))
		rrec_engine_party_remove (call, p);
	return r == RREC_FSM_MOVED;
}

static gboolean
any_local_present (RrecEngine *e, Call *call)
{
	for (guint i = 0; i < call->n_parties; i++) {
		const Party *p = &call->parties[i];
		if (rrec_party_present (p) && PARTY_IS_LOCAL (e, p))
			return TRUE;
	}
	return FALSE;
}

/* The call's transfer as this message leaves it: the call table keeps it
 * (TRANSFER_STARTED, TRANSFER_DONE and RETRIEVED rows) once the events
 * this message posts have run; until then the classifier reads it here. */
typedef struct {
	gboolean on;
	guint32 from;		/* the transferring party's DN's id, 0: none */
} TransferView;

static TransferView
transfer_view (const Call *call)
{
	TransferView tv = { call->transfer, call->transfer_from };

	return tv;
}

/* R8: the transfer is over once a DN of this T-Server other than the
 * transferring party is established on the call. */
static void
check_transfer_done (RrecEngine *e, Call *call, TransferView *tv)
{
	if (!tv->on)
		return;
	for (guint i = 0; i < call->n_parties; i++) {
		const Party *p = &call->parties[i];

		if (rrec_party_established (p) && PARTY_IS_LOCAL (e, p) &&
		    p->dn != tv->from) {
			tv->on = FALSE;
			tv->from = 0;
			rrec_engine_post (e, TARGET_CALL,
					  RREC_CALL_EVENT_TRANSFER_DONE, call, -1,
					  NULL, NULL);
			return;
		}
	}
}

/* A reconcile: DN is no longer on the call as the host has it (R26 when
 * no DN of this T-Server is left). */
void
rrec_engine_party_gone (RrecEngine *e, Call *call, const char *dn)
{
	TransferView tv = transfer_view (call);
	MsgDn d = msg_dn (e, dn);

	party_event (e, call, &d, RREC_PARTY_EVENT_RELEASED);
	if (!any_local_present (e, call))
		rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_CALL_END, call,
				  -1, NULL, "call-gone");
	check_transfer_done (e, call, &tv);
	rrec_call_evaluate (e, call);
	rrec_engine_drain (e);
}

static void
end_call (RrecEngine *e, Call *call)
{
	rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_CALL_END, call, -1,
			  NULL, NULL);
}

static void
note_attributes (RrecEngine *e, Call *call, const RrecMessage *m)
{
	if (call->call_type < 0 && m->call_type != RREC_ABSENT &&
	    m->call_type >= 0 && m->call_type < 100)
		call->call_type = (gint8) m->call_type;
	/* R36: M5's call Y names its main call X (the message asked first:
	 * most carry none, and main_id is in the call's cold line 3) */
	if (m->transfer_conn_id && call->main_id == 0)
		(void) rrec_conn_parse (m->transfer_conn_id, &call->main_id);
	if (m->ani && !call->ani)
		rrec_engine_call_set_dn (call, &call->ani, m->ani);
	if (m->dnis && !call->dnis)
		rrec_engine_call_set_dn (call, &call->dnis, m->dnis);
	if (m->call_uuid && !call->call_uuid) {
		/* R34: a recording id already given keeps its ConnID */
		rrec_session_pin_rec_id (call->session);
		gsize len = strlen (m->call_uuid);

		call->call_uuid = rrec_core_memdup (e, m->call_uuid, len + 1);
		call->call_uuid_len = (guint32) len;
	}
	if (m->user_data)
		rrec_engine_update_userdata (e, call, m->user_data);
}

static gboolean
malformed (GError **error, const RrecMessage *m, const char *what)
{
	const char *name = rrec_message_type_name (m->type);

	g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_MALFORMED,
		     "%s: %s", name ? name : "message", what);
	return FALSE;
}

static void
ignored (RrecEngine *e, const RrecMessage *m, const char *why)
{
	const char *name = rrec_message_type_name (m->type);

	e->counters.ignored++;
	if (!rrec_fsm_log_wanted ())
		return;
	g_info ("ignored %s (ConnID %s, ThisDN %s): %s", name ? name : "message",
		m->conn_id ? m->conn_id : "-", m->this_dn ? m->this_dn : "-",
		why);
}

static void
mark_supervisor (Call *call, const MsgDn *dn)
{
	Party *p = rrec_engine_party_by_id (call, dn->id);

	if (p)
		p->supervisor = TRUE;	/* M7: stays one for R12 */
}

/* R4: ThisDN's latest event that names an OtherDN tells whom it is
 * connected with. */
static void
note_peer (Call *call, const MsgDn *this_dn, const MsgDn *other)
{
	Party *p;

	/* the same text is the same id; a DN not in the table (id 0) is
	 * not ThisDN, which is */
	if (other->text == NULL || *other->text == '\0' ||
	    (other->id != 0 && other->id == this_dn->id))
		return;
	p = rrec_engine_party_by_id (call, this_dn->id);
	if (p)
		rrec_engine_party_set_peer (call, p, other->text, other->id);
}

gboolean
rrec_classify_makes_call (const RrecMessage *m)
{
	return m->side == RREC_SIDE_SKYPE &&
	       (m->type == RREC_MSG_EVENT_RINGING || m->type == RREC_MSG_EVENT_DIALING ||
		m->type == RREC_MSG_EVENT_ESTABLISHED ||
		m->type == RREC_MSG_EVENT_ROUTE_REQUEST);
}

static gboolean
feed_skype (RrecEngine *e, const RrecMessage *m, GError **error)
{
	guint64 id, prev_id;
	Call *call;
	MsgDn this_dn = { m->this_dn, 0 };

	if (!rrec_conn_parse (m->conn_id, &id))
		return malformed (error, m, m->conn_id ?
				  "AttributeConnID is not a ConnID" :
				  "AttributeConnID is missing");
	call = rrec_engine_call_lookup (e, id);
	if (m->this_dn && *m->this_dn) {	/* §3: a DN of this T-Server */
		RrecDnKey k;

		rrec_dn_key_init (&k, m->this_dn);
		this_dn.id = rrec_engine_party_dn (&e->dns, call, &k);
		if (this_dn.id == 0)
			this_dn.id = rrec_dn_table_intern_key (&e->dns, &k);
		if (!e->dns.v[this_dn.id].seen)	/* its line stays clean */
			e->dns.v[this_dn.id].seen = TRUE;
	}

	if (call == NULL && rrec_classify_makes_call (m))
		call = rrec_engine_call_new (e, id);
	else if (call == NULL && m->type == RREC_MSG_EVENT_PARTY_CHANGED)
		call = rrec_engine_rename_call (e, m, id);	/* R32: a rename? */
	if (call == NULL) {
		ignored (e, m, "a call the engine has never seen");
		return TRUE;
	}
	if (call->state == RREC_CALL_STATE_ENDED) {
		ignored (e, m, "the call has ended");
		return TRUE;
	}
	note_attributes (e, call, m);
	TransferView tv = transfer_view (call);
	MsgDn other = msg_dn_of (e, call, m->other_dn);
	/* ThirdPartyDN is read by the few types that use it, each before it
	 * changes a party (the same id as here: msg_dn_of() only reads) */
	MsgDn third;

	switch ((RrecMessageType) m->type) {
	case RREC_MSG_EVENT_ROUTE_REQUEST:
		/* R3: the caller is the route's source */
		if (!call->originator && m->other_dn)
			set_call_dn (call, &call->originator, &other);
		/* R1: routed through a record=true routing point */
		if (m->this_dn && (this_dn.id ?
				   rrec_dn_table_get (&e->dns, this_dn.id)->records :
				   rrec_engine_dn_records (e, m->this_dn))) {
			call->rp_trigger = TRUE;
			set_call_dn (call, &call->routing_point, &this_dn);
		}
		break;
	case RREC_MSG_EVENT_DIALING:
		if (!call->originator)
			set_call_dn (call, &call->originator, &this_dn);
		party_event (e, call, &this_dn, RREC_PARTY_EVENT_DIALING);
		break;
	case RREC_MSG_EVENT_RINGING:
		if (!call->originator && m->other_dn)
			set_call_dn (call, &call->originator, &other);
		party_event (e, call, &this_dn, RREC_PARTY_EVENT_RINGING);
		break;
	case RREC_MSG_EVENT_ESTABLISHED:
		party_event (e, call, &this_dn, RREC_PARTY_EVENT_ESTABLISHED);
		/* M1: the other side is established too */
		party_event (e, call, &other, RREC_PARTY_EVENT_ESTABLISHED);
		break;
	case RREC_MSG_EVENT_HELD:
		if (party_event (e, call, &this_dn, RREC_PARTY_EVENT_HELD))
			rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_HELD,
					  call, -1, NULL, NULL);
		break;
	case RREC_MSG_EVENT_RETRIEVED:
		if (party_event (e, call, &this_dn, RREC_PARTY_EVENT_RETRIEVED)) {
			/* R8: a retrieve abandons the transfer */
			tv.on = FALSE;
			tv.from = 0;
			rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_RETRIEVED,
					  call, -1, NULL, NULL);
		}
		break;
	case RREC_MSG_EVENT_RELEASED:
	case RREC_MSG_EVENT_ABANDONED: {
		gboolean transferred = m->type == RREC_MSG_EVENT_RELEASED &&
			m->call_state == RREC_CALL_STATE_TRANSFERRED;

		third = msg_dn_of (e, call, transferred ? m->third_party_dn : NULL);
		gboolean moved = party_event (e, call, &this_dn,
					      RREC_PARTY_EVENT_RELEASED);

		if (moved && transferred && !tv.on) {
			tv.on = TRUE;
			tv.from = this_dn.id;	/* moved: it is a party, interned */
			rrec_engine_post (e, TARGET_CALL,
					  RREC_CALL_EVENT_TRANSFER_STARTED, call,
					  -1, m->this_dn, NULL);
			rrec_core_last_posted (e)->dn_id = this_dn.id;
			check_transfer_done (e, call, &tv);
		}
		/* R26, M6: a transfer to a DN of this T-Server goes on */
		if (transferred && rrec_dn_table_is_local (&e->dns, third.id))
			break;
		if (!any_local_present (e, call))
			end_call (e, call);
		break;
	}
	case RREC_MSG_EVENT_PARTY_CHANGED:
		if (m->this_dn_role == RREC_DN_ROLE_OBSERVER)
			mark_supervisor (call, &this_dn);
		party_event (e, call, &this_dn, RREC_PARTY_EVENT_CHANGED_IN);
		if (rrec_conn_parse (m->previous_conn_id, &prev_id) && prev_id != id) {
			Call *prev = rrec_engine_call_lookup (e, prev_id);

			if (prev && prev->state != RREC_CALL_STATE_ENDED) {
				/* R36: a consultation merges into the main
				 * call; its table decides what that means */
				if (prev->call_type == RREC_CALL_TYPE_CONSULT) {
					rrec_engine_post (e, TARGET_CALL,
							  RREC_CALL_EVENT_MERGED,
							  prev, -1, m->this_dn,
							  "consult-merged");
					rrec_core_last_posted (e)->new_id = id;
				}
				party_event (e, prev, &this_dn,
					     RREC_PARTY_EVENT_MOVED_OUT);
				if (!any_local_present (e, prev))
					end_call (e, prev);
				else
					rrec_call_evaluate (e, prev);
			}
		}
		break;
	case RREC_MSG_EVENT_PARTY_ADDED:
		third = msg_dn_of (e, call, m->third_party_dn);
		party_event (e, call, &third, RREC_PARTY_EVENT_ADDED);
		if (m->third_party_dn_role == RREC_DN_ROLE_OBSERVER)
			mark_supervisor (call, &third);
		break;
	case RREC_MSG_EVENT_PARTY_DELETED:
		third = msg_dn_of (e, call, m->third_party_dn);
		party_event (e, call, &third, RREC_PARTY_EVENT_RELEASED);
		break;
	case RREC_MSG_EVENT_CALL_DELETED:
		/* R31: the call is over, whoever the engine still believes
		 * present (the backstop for releases that were lost) */
		rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_CALL_DELETED,
				  call, -1, NULL, "call-deleted");
		break;
	/* nothing of the call's parties changes (its attributes, noted
	 * above, may have) */
	case RREC_MSG_EVENT_PARTY_INFO:
	case RREC_MSG_EVENT_ROUTE_USED:
	case RREC_MSG_EVENT_ATTACHED_DATA_CHANGED:
	case RREC_MSG_REQUEST_ROUTE_CALL:
	case RREC_MSG_EVENT_SERVER_CONNECTED:
	case RREC_MSG_EVENT_SERVER_DISCONNECTED:
	case RREC_MSG_EVENT_ERROR:
	case RREC_MSG_EVENT_ACK:
	case RREC_MSG_REQUEST_PRIVATE_SERVICE:
		break;
	}
	if (m->this_dn_role == RREC_DN_ROLE_OBSERVER)
		mark_supervisor (call, &this_dn);
	note_peer (call, &this_dn, &other);
	check_transfer_done (e, call, &tv);
	rrec_call_evaluate (e, call);
	rrec_engine_drain (e);
	return TRUE;
}

/* ---- client requests ---------------------------------------------------------- */

static void
route_call (RrecEngine *e, const RrecMessage *m, Call *call)
{
	const char *record = rrec_kv_list_lookup_string (m->extensions, "record");

	if (record == NULL)
		return;
	if (strcmp (record, "destination") == 0 && m->other_dn) {
		rrec_engine_add_scope (call, m->other_dn, SCOPE_ROUTE);
		call->lost = FALSE;
	} else if (strcmp (record, "source") == 0 && call->originator) {
		rrec_engine_add_scope_id (call, call->originator, SCOPE_ROUTE);
		call->lost = FALSE;
	} else if ((strcmp (record, "disabled") == 0 ||
		    strcmp (record, "disable_destination") == 0) && m->other_dn) {
		rrec_engine_add_veto (call, m->other_dn);
	} else if (strcmp (record, "disable_source") == 0 && call->originator) {
		rrec_engine_add_veto_id (call, call->originator);
	} else {
		ignored (e, m, "unknown value of the Extensions key 'record'");
	}
}

/*
 * R4: the party DN is connected with: the OtherDN of DN's latest event on
 * the call that named one, if that DN is still present; else the only
 * other present party (supervisors left out: they never record, R12);
 * NULL with none or several.
 */
static const char *
connected_with (Call *call, const char *dn)
{
	const Party *self = rrec_engine_party (call, dn);
	const char *only = NULL;

	if (self && self->peer) {
		const Party *peer = rrec_engine_party_by_id (call, self->peer);

		if (peer && rrec_party_present (peer))
			return rrec_party_dn (call, peer);
	}
	for (guint i = 0; i < call->n_parties; i++) {
		const Party *p = &call->parties[i];

		if (!rrec_party_present (p) || p->supervisor ||
		    g_strcmp0 (rrec_party_dn (call, p), dn) == 0)
			continue;
		if (only)
			return NULL;	/* several */
		only = rrec_party_dn (call, p);
	}
	return only;
}

/* R4: the DN a `record` value names, or NULL. */
static const char *
start_scope (Call *call, const RrecMessage *m, const char *record)
{
	if (record == NULL || strcmp (record, "source") == 0)
		return m->this_dn;
	if (strcmp (record, "destination") != 0)
		return NULL;
	if (m->other_dn && *m->other_dn)
		return m->other_dn;
	return connected_with (call, m->this_dn);
}

static void
private_service (RrecEngine *e, const RrecMessage *m)
{
	const char *record = rrec_kv_list_lookup_string (m->extensions, "record");
	gint64 id = m->private_msg_id;
	gboolean valid_record = record &&
		(strcmp (record, "source") == 0 || strcmp (record, "destination") == 0);
	guint64 conn;
	Call *call;

	/* R4, R5: which request is it? */
	if (id == RREC_ABSENT && valid_record)
		id = RREC_GSIP_RECORD_START;
	if (id < RREC_GSIP_RECORD_START || id > RREC_GSIP_RECORD_RESUME ||
	    (record && !valid_record) || !rrec_conn_parse (m->conn_id, &conn)) {
		char c[17];
		gboolean known = rrec_conn_parse (m->conn_id, &conn);

		/* a call the engine follows answers through its table */
		call = known ? rrec_engine_call_lookup (e, conn) : NULL;
		if (call && call->state != RREC_CALL_STATE_ENDED) {
			rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_CLIENT_BAD,
					  call, m->reference_id, m->this_dn, NULL);
			rrec_engine_drain (e);
			return;
		}
		/* no call to ask: answered here (R27) */
		if (known)
			rrec_conn_string (conn, c);
		RrecAction a = {
			.kind = RREC_ACTION_CLIENT_REPLY, .rule = "R27",
			.call = known ? c : NULL, .refid = m->reference_id,
			.dn = m->this_dn, .event = "EventError",
			.error = "bad-request",
		};
		e->counters.client_errors++;
		rrec_engine_emit (e, &a);
		return;
	}
	call = rrec_engine_call_lookup (e, conn);
	/* no call to ask: answered here (R27) */
	if (call == NULL || call->state == RREC_CALL_STATE_ENDED) {
		char c[17];
		rrec_conn_string (conn, c);
		RrecAction a = {
			.kind = RREC_ACTION_CLIENT_REPLY, .rule = "R27",
			.call = c, .refid = m->reference_id, .dn = m->this_dn,
			.event = "EventError", .error = "no-such-call",
		};
		e->counters.client_errors++;
		rrec_engine_emit (e, &a);
		return;
	}

	if (id != RREC_GSIP_RECORD_START) {
		guint ev = id == RREC_GSIP_RECORD_STOP ? RREC_CALL_EVENT_CLIENT_STOP :
			   id == RREC_GSIP_RECORD_PAUSE ? RREC_CALL_EVENT_CLIENT_PAUSE :
			   RREC_CALL_EVENT_CLIENT_RESUME;
		rrec_engine_post (e, TARGET_CALL, ev, call, m->reference_id,
				  m->this_dn, NULL);
		rrec_engine_drain (e);
		return;
	}

	/* R27: the call's table checks a START, in the rule's order */
	rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_CLIENT_START, call,
			  m->reference_id, m->this_dn, NULL);
	Posted *last = rrec_core_last_posted (e);
	last->scope = rrec_core_post_text (e, start_scope (call, m, record));
	rrec_call_evaluate (e, call);
	rrec_engine_drain (e);
}

static gboolean
feed_client (RrecEngine *e, const RrecMessage *m, GError **error)
{
	guint64 id;
	Call *call;

	switch ((RrecMessageType) m->type) {
	case RREC_MSG_REQUEST_PRIVATE_SERVICE:
		if (m->reference_id == RREC_ABSENT)
			return malformed (error, m, "AttributeReferenceID is "
					  "missing: the request cannot be answered");
		private_service (e, m);
		return TRUE;
	case RREC_MSG_REQUEST_ROUTE_CALL:
		if (!rrec_conn_parse (m->conn_id, &id))
			return malformed (error, m, "AttributeConnID is missing "
					  "or not a ConnID");
		call = rrec_engine_call_lookup (e, id);
		if (call == NULL || call->state == RREC_CALL_STATE_ENDED) {
			ignored (e, m, "a call the engine has never seen");
			return TRUE;
		}
		route_call (e, m, call);
		rrec_call_evaluate (e, call);
		rrec_engine_drain (e);
		return TRUE;
	case RREC_MSG_EVENT_SERVER_CONNECTED:
	case RREC_MSG_EVENT_SERVER_DISCONNECTED:
	case RREC_MSG_EVENT_ERROR:
	case RREC_MSG_EVENT_ABANDONED:
	case RREC_MSG_EVENT_RINGING:
	case RREC_MSG_EVENT_DIALING:
	case RREC_MSG_EVENT_ESTABLISHED:
	case RREC_MSG_EVENT_RELEASED:
	case RREC_MSG_EVENT_HELD:
	case RREC_MSG_EVENT_RETRIEVED:
	case RREC_MSG_EVENT_PARTY_CHANGED:
	case RREC_MSG_EVENT_PARTY_ADDED:
	case RREC_MSG_EVENT_PARTY_DELETED:
	case RREC_MSG_EVENT_ROUTE_REQUEST:
	case RREC_MSG_EVENT_ROUTE_USED:
	case RREC_MSG_EVENT_ATTACHED_DATA_CHANGED:
	case RREC_MSG_EVENT_ACK:
	case RREC_MSG_EVENT_PARTY_INFO:
	case RREC_MSG_EVENT_CALL_DELETED:
		break;
	}
	ignored (e, m, "not a request the engine serves");
	return TRUE;
}

/* ---- the SIP Server side ------------------------------------------------------- */

static Session *
session_for_port (RrecEngine *e, const char *dnis)
{
	gint64 port = dnis ? rrec_uri_pattern_match (e->pattern, dnis) : -1;

	if (port < 0)
		return NULL;
	Session *s = rrec_id_map_lookup (&e->by_port, (guint64) port);
	if (s)
		rrec_engine_touch (e, s->call);
	return s;
}

/* R20: a leg nobody waits for is released at once. */
static void
orphan (RrecEngine *e, const RrecMessage *m)
{
	RrecAction a = {
		.kind = RREC_ACTION_RELEASE_LEG,
		.rule = "R20",
		.leg = m->conn_id,
		.port = m->dnis,
		.reason = "orphan",
	};

	e->counters.orphans++;
	rrec_engine_emit (e, &a);
	if (m->conn_id && *m->conn_id) {
		/* bounded: a leg SIP Server never ends is forgotten in time */
		if (g_hash_table_size (e->orphaned) >= 256)
			g_hash_table_remove_all (e->orphaned);
		g_hash_table_add (e->orphaned, g_ascii_strdown (m->conn_id, -1));
	}
}

/* R20: a leg released as an orphan at its first event is not released
 * again at a later one (an EventEstablished that crossed the release). */
static gboolean
already_orphaned (RrecEngine *e, const RrecMessage *m)
{
	g_autofree char *leg = NULL;

	if (m->conn_id == NULL || g_hash_table_size (e->orphaned) == 0)
		return FALSE;
	leg = g_ascii_strdown (m->conn_id, -1);
	if (!g_hash_table_contains (e->orphaned, leg))
		return FALSE;
	if (m->type == RREC_MSG_EVENT_RELEASED)
		g_hash_table_remove (e->orphaned, leg);
	ignored (e, m, "the leg was released as an orphan");
	return TRUE;
}

/* R20: a ringing leg is expected only on the port of a session that is
 * dialling; any other is an orphan, released at this first event. */
static gboolean
leg_ringing (RrecEngine *e, const RrecMessage *m)
{
	Session *s = session_for_port (e, m->dnis);

	if (s && s->state == RREC_SESSION_STATE_DIALING)
		return TRUE;
	if (s && rrec_session_leg_is (s, m->conn_id)) {
		ignored (e, m, "the leg is already up");
		return TRUE;
	}
	if (m->conn_id == NULL && m->dnis == NULL) {
		ignored (e, m, "a leg without ConnID or DNIS cannot be released");
		return TRUE;
	}
	orphan (e, m);
	return TRUE;
}

gboolean
rrec_classify_sip (RrecEngine *e, const RrecMessage *m, GError **error)
{
	Session *s;

	switch ((RrecMessageType) m->type) {
	case RREC_MSG_EVENT_SERVER_DISCONNECTED:
	case RREC_MSG_EVENT_SERVER_CONNECTED:
		rrec_engine_link_as (e, m->type == RREC_MSG_EVENT_SERVER_CONNECTED);
		return TRUE;
	case RREC_MSG_REQUEST_ROUTE_CALL:
	case RREC_MSG_EVENT_ERROR:
	case RREC_MSG_EVENT_ABANDONED:
	case RREC_MSG_EVENT_RINGING:
	case RREC_MSG_EVENT_DIALING:
	case RREC_MSG_EVENT_ESTABLISHED:
	case RREC_MSG_EVENT_RELEASED:
	case RREC_MSG_EVENT_HELD:
	case RREC_MSG_EVENT_RETRIEVED:
	case RREC_MSG_EVENT_PARTY_CHANGED:
	case RREC_MSG_EVENT_PARTY_ADDED:
	case RREC_MSG_EVENT_PARTY_DELETED:
	case RREC_MSG_EVENT_ROUTE_REQUEST:
	case RREC_MSG_EVENT_ROUTE_USED:
	case RREC_MSG_EVENT_ATTACHED_DATA_CHANGED:
	case RREC_MSG_EVENT_ACK:
	case RREC_MSG_REQUEST_PRIVATE_SERVICE:
	case RREC_MSG_EVENT_PARTY_INFO:
	case RREC_MSG_EVENT_CALL_DELETED:
		break;
	}

	if (m->type == RREC_MSG_EVENT_RELEASED && !m->conn_id && !m->dnis)
		return malformed (error, m, "a SIP-side EventReleased needs "
				  "AttributeConnID or AttributeDNIS");
	if ((m->type == RREC_MSG_EVENT_ACK || m->type == RREC_MSG_EVENT_ERROR) &&
	    m->reference_id == RREC_ABSENT)
		return malformed (error, m, "AttributeReferenceID is missing");
	if (m->type == RREC_MSG_EVENT_ESTABLISHED && !m->dnis)
		return malformed (error, m, "a recording leg needs AttributeDNIS");
	if (m->conn_id && *m->conn_id) {
		guint64 dummy;
		if (!rrec_conn_parse (m->conn_id, &dummy))
			return malformed (error, m, "AttributeConnID is not a ConnID");
	}
	/* §6: nothing comes from SIP Server while the link is down */
	if (e->link_state != RREC_LINK_STATE_UP) {
		ignored (e, m, "the link to SIP Server is down");
		return TRUE;
	}

	if (already_orphaned (e, m))
		return TRUE;

	switch ((RrecMessageType) m->type) {
	case RREC_MSG_EVENT_RINGING:
		/* the leg is up only at EventEstablished (M9); one that
		 * nobody dialled is released at once (R20) */
		return leg_ringing (e, m);
	case RREC_MSG_EVENT_ESTABLISHED:
		s = session_for_port (e, m->dnis);
		/* no session owns the port: no machine to ask (R20) */
		if (s == NULL) {
			orphan (e, m);
			return TRUE;
		}
		rrec_engine_post (e, TARGET_SESSION, RREC_SESSION_EVENT_LEG_UP,
				  s->call, -1, NULL, NULL);
		Posted *p = rrec_core_last_posted (e);
		p->leg = rrec_core_post_text (e, m->conn_id);
		p->port = rrec_core_post_text (e, m->dnis);
		rrec_engine_drain (e);
		return TRUE;
	case RREC_MSG_EVENT_RELEASED: {
		s = rrec_engine_leg_session (e, m->conn_id);
		if (s)
			rrec_engine_touch (e, s->call);
		if (s == NULL && m->dnis)
			s = session_for_port (e, m->dnis);
		if (s == NULL || !s->dialled) {
			ignored (e, m, "no leg of that ConnID or DNIS");
			return TRUE;
		}
		rrec_engine_post (e, TARGET_SESSION, RREC_SESSION_EVENT_LEG_DROPPED,
				  s->call, -1, NULL, "dropped");
		rrec_engine_drain (e);
		return TRUE;
	}
	case RREC_MSG_EVENT_ACK:
	case RREC_MSG_EVENT_ERROR:
	case RREC_MSG_EVENT_PARTY_INFO: {
		Request *r = g_hash_table_lookup (e->requests, &m->reference_id);
		Call *call;

		if (r == NULL) {
			ignored (e, m, "no request of that ReferenceID");
			return TRUE;
		}
		call = rrec_engine_call_lookup (e, r->call_id);
		int op = r->op;
		guint32 serial = r->serial;
		rrec_core_request_drop (e, r);
		if (op == 0 || call == NULL || call->session == NULL ||
		    call->session->serial != serial)
			return TRUE;	/* user data, or a session since gone */
		if (op == RREC_QUERY_OP) {
			/* R33: the answer to a leg query */
			rrec_engine_post (e, TARGET_SESSION,
					  m->type == RREC_MSG_EVENT_ERROR ?
					  RREC_SESSION_EVENT_LEG_LOST :
					  RREC_SESSION_EVENT_LEG_ALIVE, call, -1,
					  NULL, "server-failover");
			rrec_engine_drain (e);
			return TRUE;
		}
		if (m->type == RREC_MSG_EVENT_PARTY_INFO)
			return TRUE;	/* not an answer to a GSIP request */
		guint ev = m->type == RREC_MSG_EVENT_ERROR ? RREC_SESSION_EVENT_REFUSED :
			   op == RREC_GSIP_RECORD_START ? RREC_SESSION_EVENT_ACK_START :
			   op == RREC_GSIP_RECORD_PAUSE ? RREC_SESSION_EVENT_ACK_PAUSE :
			   op == RREC_GSIP_RECORD_RESUME ? RREC_SESSION_EVENT_ACK_RESUME :
			   RREC_SESSION_EVENT_ACK_STOP;
		rrec_engine_post (e, TARGET_SESSION, ev, call, -1, NULL, "refused");
		rrec_engine_drain (e);
		return TRUE;
	}
	case RREC_MSG_REQUEST_ROUTE_CALL:
	case RREC_MSG_EVENT_SERVER_CONNECTED:
	case RREC_MSG_EVENT_SERVER_DISCONNECTED:
	case RREC_MSG_EVENT_ABANDONED:
	case RREC_MSG_EVENT_DIALING:
	case RREC_MSG_EVENT_HELD:
	case RREC_MSG_EVENT_RETRIEVED:
	case RREC_MSG_EVENT_PARTY_CHANGED:
	case RREC_MSG_EVENT_PARTY_ADDED:
	case RREC_MSG_EVENT_PARTY_DELETED:
	case RREC_MSG_EVENT_ROUTE_REQUEST:
	case RREC_MSG_EVENT_ROUTE_USED:
	case RREC_MSG_EVENT_ATTACHED_DATA_CHANGED:
	case RREC_MSG_REQUEST_PRIVATE_SERVICE:
	case RREC_MSG_EVENT_CALL_DELETED:
		break;
	}
	ignored (e, m, "not a SIP-side event the engine follows");
	return TRUE;
}

#define MAX_KV_DEPTH 32

/* Nesting of a key-value list: the saved state keeps at most 32 levels.
 * Each sublist is measured once and nothing below MAX_KV_DEPTH + 1 levels
 * is visited, so the cost is linear in the list (§7) and the recursion
 * bounded, however deep a list handed in through the API. */
static guint
kv_depth (const RrecKvList *l, guint level)
{
	guint depth = 0, n = rrec_kv_list_length (l);

	/* most user data is flat */
	if (level > MAX_KV_DEPTH || !rrec_kv_list_has_lists (l))
		return 1;
	for (guint i = 0; i < n && depth <= MAX_KV_DEPTH; i++)
		if (rrec_kv_list_kind (l, i) == RREC_KV_LIST) {
			guint d = kv_depth (rrec_kv_list_sublist (l, i), level + 1);

			if (d > depth)
				depth = d;
		}
	return depth + 1;
}

/* A saved engine state keeps no deeper lists (§7). */
gboolean
rrec_classify_nesting_ok (const RrecMessage *m, GError **error)
{
	if ((m->user_data && kv_depth (m->user_data, 1) > MAX_KV_DEPTH) ||
	    (m->extensions && kv_depth (m->extensions, 1) > MAX_KV_DEPTH))
		return malformed (error, m, "a key-value list nested more than "
				  "32 deep");
	return TRUE;
}

/* The side decides who speaks: a call's DNs, a client, SIP Server. */
gboolean
rrec_classify (RrecEngine *e, const RrecMessage *m, GError **error)
{
	switch ((RrecSide) m->side) {
	case RREC_SIDE_SKYPE:
		return feed_skype (e, m, error);
	case RREC_SIDE_CLIENT:
		return feed_client (e, m, error);
	case RREC_SIDE_SIP:
		return rrec_classify_sip (e, m, error);
	}
	return malformed (error, m, "unknown side");
}
