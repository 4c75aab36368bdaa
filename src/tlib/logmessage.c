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

/* The two lists the engine reads, beside the fields. */
enum { FIELD_EXTENSIONS = G_N_ELEMENTS (fields), FIELD_USER_DATA, N_NAMES };

static const char *
field_name (guint f)
{
	return f == FIELD_EXTENSIONS ? "AttributeExtensions" :
	       f == FIELD_USER_DATA ? "AttributeUserData" : fields[f].name;
}

/* Every name above is told apart by its length, its tenth letter (the
 * first after "Attribute") and its last: a slot of 128 found from those
 * three, then one memcmp, instead of a walk over the names.  The slots
 * are filled once; two names in one slot is a fault of this file, caught
 * by the first conversion of any test. */
#define N_SLOTS 128
static guint8 slots[N_SLOTS];	/* a name's index + 1, 0: none */
static guint8 name_len[N_NAMES];

static inline guint
slot_of (const char *k, gsize len)
{
	return ((guint) len + (guchar) k[9] * 7u + (guchar) k[len - 1]) & (N_SLOTS - 1);
}

static void
slots_init (void)
{
	static gsize done;

	if (!g_once_init_enter (&done))
		return;
	for (guint f = 0; f < N_NAMES; f++) {
		const char *name = field_name (f);
		guint s = slot_of (name, strlen (name));

		if (slots[s] != 0)
			g_error ("logmessage.c: %s and %s share a slot", name,
				 field_name (slots[s] - 1u));
		slots[s] = (guint8) (f + 1);
		name_len[f] = (guint8) strlen (name);
	}
	g_once_init_leave (&done, 1);
}

/* The index of the name @k (fields[], FIELD_EXTENSIONS, FIELD_USER_DATA),
 * or -1 for any other attribute. */
static inline int
name_index (const char *k)
{
	gsize len = strlen (k);
	guint f;
	const char *name;

	if (len < 10)	/* every name is longer: "Attribute" and more */
		return -1;
	f = slots[slot_of (k, len)];
	if (f == 0)
		return -1;
	f--;
	name = field_name (f);
	return name_len[f] == len && memcmp (name, k, len) == 0 ? (int) f : -1;
}

gboolean
rrec_log_message_convert (RrecLogMessage *c, const RrecLogBlock *b, RrecSide side, int type)
{
	RrecMessage *m = &c->msg;

	slots_init ();
	rrec_message_init (m, side, type);
	for (guint i = 0; i < b->attributes->len && !c->error; i++) {
		const RrecLogPair *p = &g_array_index (b->attributes, RrecLogPair, i);
		const char *k = p->key;
		int f = name_index (k);

		if (f < 0)
			continue;
		if (f < (int) G_N_ELEMENTS (fields)) {
			char *at = (char *) m + fields[f].offset;

			if (fields[f].is_int)
				*(gint64 *) at = conv_int (c, p);
			else
				*(const char **) at = conv_string (c, p);
		} else {
			if (p->value.kind != RREC_LOG_VALUE_LIST) {
				c->error = g_strdup_printf ("%s: a key-value list "
							    "was expected", k);
				break;
			}
			RrecKvList *l = kv_from_log (p->value.u.list);
			if (f == FIELD_EXTENSIONS)
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

