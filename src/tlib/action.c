/*
 * action.c — names and the one-line text form of engine actions.
 */
#include "rrec/action.h"

const char *
rrec_action_kind_name (RrecActionKind kind)
{
	static const char *const names[RREC_N_ACTIONS] = {
		[RREC_ACTION_DIAL_LEG] = "dial-leg",
		[RREC_ACTION_RECORD] = "record",
		[RREC_ACTION_RELEASE_LEG] = "release-leg",
		[RREC_ACTION_LEG_USERDATA] = "leg-userdata",
		[RREC_ACTION_CALL_USERDATA] = "call-userdata",
		[RREC_ACTION_CLIENT_REPLY] = "client-reply",
		[RREC_ACTION_ALARM] = "alarm",
		[RREC_ACTION_LINK] = "link",
		[RREC_ACTION_STATE] = "state",
		[RREC_ACTION_GAP] = "gap",
		[RREC_ACTION_RECONCILE] = "reconcile",
		[RREC_ACTION_CALL_RENAMED] = "call-renamed",
		[RREC_ACTION_QUERY_LEG] = "query-leg",
	};

	return (guint) kind < RREC_N_ACTIONS ? names[kind] : "unknown";
}

const char *
rrec_gsip_op_name (int op)
{
	switch (op) {
	case RREC_GSIP_RECORD_START:
		return "start";
	case RREC_GSIP_RECORD_STOP:
		return "stop";
	case RREC_GSIP_RECORD_PAUSE:
		return "pause";
	case RREC_GSIP_RECORD_RESUME:
		return "resume";
	default:
		return "unknown";
	}
}

const char *
rrec_link_op_name (int op)
{
	switch (op) {
	case RREC_LINK_DOWN:
		return "down";
	case RREC_LINK_ATTEMPT:
		return "attempt";
	case RREC_LINK_UP:
		return "up";
	default:
		return "unknown";
	}
}

static void
field (GString *s, const char *key, const char *value)
{
	if (value != NULL)
		g_string_append_printf (s, " %s=%s", key, value);
}

char *
rrec_action_to_string (const RrecAction *a)
{
	GString *s = g_string_new (rrec_action_kind_name (a->kind));
	g_autofree char *data = a->data ? rrec_kv_list_to_string (a->data) : NULL;

	switch (a->kind) {
	case RREC_ACTION_DIAL_LEG:
		field (s, "call", a->call);
		field (s, "port", a->port);
		field (s, "uri", a->uri);
		field (s, "dn", a->dn);
		break;
	case RREC_ACTION_RECORD:
		field (s, "call", a->call);
		field (s, "op", rrec_gsip_op_name (a->op));
		break;
	case RREC_ACTION_RELEASE_LEG:
		field (s, "call", a->call);
		field (s, "port", a->port);
		field (s, "reason", a->reason);
		break;
	case RREC_ACTION_LEG_USERDATA:
	case RREC_ACTION_CALL_USERDATA:
		field (s, "call", a->call);
		field (s, "data", data);
		break;
	case RREC_ACTION_CLIENT_REPLY:
		field (s, "event", a->event);
		g_string_append_printf (s, " refid=%" G_GINT64_FORMAT, a->refid);
		field (s, "dn", a->dn);
		field (s, "call", a->call);
		field (s, "error", a->error);
		field (s, "reason", a->reason);
		break;
	case RREC_ACTION_ALARM:
		field (s, "name", a->name);
		field (s, "raised", a->raised ? "true" : "false");
		break;
	case RREC_ACTION_LINK:
		field (s, "op", rrec_link_op_name (a->op));
		break;
	case RREC_ACTION_STATE:
		field (s, "call", a->call);
		field (s, "machine", a->machine);
		field (s, "from", a->from);
		field (s, "to", a->to);
		field (s, "event", a->event);
		break;
	case RREC_ACTION_GAP:
		field (s, "call", a->call);
		g_string_append_printf (s, " start=%" G_GINT64_FORMAT
					" end=%" G_GINT64_FORMAT,
					a->start_ms, a->end_ms);
		field (s, "cause", a->reason);
		break;
	case RREC_ACTION_RECONCILE:
		field (s, "call", a->call);
		field (s, "port", a->port);
		field (s, "reason", a->reason);
		break;
	case RREC_ACTION_CALL_RENAMED:
		field (s, "call", a->call);
		field (s, "from", a->from);
		break;
	case RREC_ACTION_QUERY_LEG:
		field (s, "call", a->call);
		field (s, "port", a->port);
		break;
	case RREC_N_ACTIONS:
		break;
	}
	return g_string_free (s, FALSE);
}
