/*
 * logmessage.c — log blocks into engine messages (rrec-logmessage.h).
 */
#include <string.h>

#include "rrec-logmessage.h"

RrecSide
rrec_log_block_side (const RrecLogBlock *b, const char *server)
{
	if (b->sender && server && strcmp (b->sender, server) == 0)
		return RREC_SIDE_SIP;
	if (b->is_request)
		return RREC_SIDE_CLIENT;
	return RREC_SIDE_SKYPE;
}

static RrecKvList *
kv_from_log (const GArray *list)
{
	RrecKvList *l = rrec_kv_list_new ();

	for (guint i = 0; i < list->len; i++) {
		const RrecLogPair *p = &g_array_index (list, RrecLogPair, i);

		switch (p->value.kind) {
		case RREC_LOG_VALUE_STRING:
		case RREC_LOG_VALUE_CONNID:
			rrec_kv_list_add_string (l, p->key, p->value.u.string);
			break;
		case RREC_LOG_VALUE_INTEGER:
			rrec_kv_list_add_int (l, p->key, p->value.u.integer);
			break;
		case RREC_LOG_VALUE_LIST:
			rrec_kv_list_add_list (l, p->key, kv_from_log (p->value.u.list));
			break;
		}
	}
	return l;
}

static const char *
conv_string (RrecLogMessage *c, const RrecLogPair *p)
{
	switch (p->value.kind) {
	case RREC_LOG_VALUE_STRING:
	case RREC_LOG_VALUE_CONNID:
		return p->value.u.string;
	case RREC_LOG_VALUE_INTEGER: {
		/* a DN written bare, 7001, is still a DN */
		char *s = g_strdup_printf ("%" G_GINT64_FORMAT, p->value.u.integer);

		if (c->strings == NULL)	/* rare: made when needed */
			c->strings = g_ptr_array_new_with_free_func (g_free);
		g_ptr_array_add (c->strings, s);
		return s;
	}
	case RREC_LOG_VALUE_LIST:
		break;
	}
	c->error = g_strdup_printf ("%s: a key-value list where a value was expected",
				    p->key);
	return NULL;
}

static gint64
conv_int (RrecLogMessage *c, const RrecLogPair *p)
{
	gint64 v;

	if (p->value.kind == RREC_LOG_VALUE_INTEGER)
		return p->value.u.integer;
	if ((p->value.kind == RREC_LOG_VALUE_STRING ||
	     p->value.kind == RREC_LOG_VALUE_CONNID) &&
	    g_ascii_string_to_signed (p->value.u.string, 10, G_MININT64 + 1,
				      G_MAXINT64, &v, NULL))
		return v;
	c->error = g_strdup_printf ("%s: '%s' is not a number", p->key,
				    p->value.kind == RREC_LOG_VALUE_LIST ? "(list)" :
				    p->value.u.string);
	return RREC_ABSENT;
}

/* The attributes the engine reads into a message's fields. */
typedef struct {
	const char *name;
	guint8 len;
	gboolean is_int;
	gsize offset;
} Field;

#define S(name, field) { name, sizeof name - 1, FALSE, G_STRUCT_OFFSET (RrecMessage, field) }
#define I(name, field) { name, sizeof name - 1, TRUE, G_STRUCT_OFFSET (RrecMessage, field) }
static const Field fields[] = {
	S ("AttributeConnID", conn_id),
	S ("AttributePreviousConnID", previous_conn_id),
	S ("AttributeTransferConnID", transfer_conn_id),
	S ("AttributeThisDN", this_dn),
	S ("AttributeOtherDN", other_dn),
	S ("AttributeThirdPartyDN", third_party_dn),
	I ("AttributeThisDNRole", this_dn_role),
	I ("AttributeOtherDNRole", other_dn_role),
	I ("AttributeThirdPartyDNRole", third_party_dn_role),
	I ("AttributeCallType", call_type),
	I ("AttributeCallState", call_state),
	S ("AttributeDNIS", dnis),
	S ("AttributeANI", ani),
	S ("AttributeCallUUID", call_uuid),
	I ("AttributeReferenceID", reference_id),
	I ("AttributePrivateMsgID", private_msg_id),
	I ("AttributeErrorCode", error_code),
	S ("AttributeErrorMessage", error_message),
};
#undef S
#undef I

gboolean
rrec_log_message_convert (RrecLogMessage *c, const RrecLogBlock *b, RrecSide side, int type)
{
	RrecMessage *m = &c->msg;

	rrec_message_init (m, side, type);
	for (guint i = 0; i < b->attributes->len && !c->error; i++) {
		const RrecLogPair *p = &g_array_index (b->attributes, RrecLogPair, i);
		const char *k = p->key;
		gsize len = strlen (k);
		gsize f;

		/* the length first: most names are told apart by it */
		for (f = 0; f < G_N_ELEMENTS (fields); f++)
			if (fields[f].len == len && memcmp (fields[f].name, k, len) == 0)
				break;
		if (f < G_N_ELEMENTS (fields)) {
			char *at = (char *) m + fields[f].offset;

			if (fields[f].is_int)
				*(gint64 *) at = conv_int (c, p);
			else
				*(const char **) at = conv_string (c, p);
		} else if (strcmp (k, "AttributeExtensions") == 0 ||
			   strcmp (k, "AttributeUserData") == 0) {
			if (p->value.kind != RREC_LOG_VALUE_LIST) {
				c->error = g_strdup_printf ("%s: a key-value list "
							    "was expected", k);
				break;
			}
			RrecKvList *l = kv_from_log (p->value.u.list);
			if (k[9] == 'E')
				m->extensions = c->extensions = l;
			else
				m->user_data = c->user_data = l;
		}
	}
	return c->error == NULL;
}

void
rrec_log_message_clear (RrecLogMessage *c)
{
	if (c->strings)
		g_ptr_array_unref (c->strings);
	rrec_kv_list_free (c->extensions);
	rrec_kv_list_free (c->user_data);
	g_free (c->error);
}

