/*
 * kvpack.c — key-value lists packed into bytes (little-endian):
 *   u32 count (0xffffffff: no list), then per pair:
 *   u32 key length, key, u8 kind, and a value: u32 length + bytes for a
 *   string, 8 bytes for an integer, a packed list for a list.
 */
#include <string.h>

#include "rrec-kvpack.h"
#include "rrec-kvlist-private.h"

#define NONE 0xffffffffu
#define MAX_DEPTH 32

static guint8 *
write_u32 (guint8 *p, guint32 v)
{
	p[0] = (guint8) v;
	p[1] = (guint8) (v >> 8);
	p[2] = (guint8) (v >> 16);
	p[3] = (guint8) (v >> 24);
	return p + 4;
}

static guint8 *
write_text (guint8 *p, const char *s, gsize n)
{
	p = write_u32 (p, (guint32) n);
	memcpy (p, s, n);
	return p + n;
}

/* Where a list is packed: @b's bytes up to @len are written; beyond it,
 * up to b->len, is room made ahead, given back at the end. */
typedef struct {
	GByteArray *b;
	gsize len;
} Out;

/* Room for @n more bytes: where they go.  The array is lengthened by at
 * least 256 bytes at a time, not once a field: a call of
 * g_byte_array_set_size() a pair took a tenth of the packing's
 * instructions (issue #14). */
static guint8 *
room (Out *o, gsize n)
{
	if (o->len + n > o->b->len)
		g_byte_array_set_size (o->b, (guint) MAX (o->len + n, o->len + 256));
	o->len += n;
	return o->b->data + o->len - n;
}

/* Each pair's bytes are written into room made for the whole pair at
 * once (a call of g_byte_array_append() per field took a tenth of the
 * engine's instructions where user data changes, issue #14). */
static void
pack (Out *o, const RrecKvList *l)
{
	guint n;

	if (l == NULL) {
		write_u32 (room (o, 4), NONE);
		return;
	}
	n = rrec_kv_list_length (l);
	write_u32 (room (o, 4), n);
	for (guint i = 0; i < n; i++) {
		RrecKvKind kind = rrec_kv_list_kind (l, i);
		const char *key = rrec_kv_list_key (l, i);
		const char *s = NULL;
		gsize klen = strlen (key), vlen = 0;
		guint8 *p;
		guint64 v;

		if (kind == RREC_KV_STRING) {
			s = rrec_kv_list_string (l, i);
			vlen = 4 + strlen (s);
		} else if (kind == RREC_KV_INT) {
			vlen = 8;
		}
		p = write_text (room (o, 4 + klen + 1 + vlen), key, klen);
		*p++ = (guint8) kind;
		switch (kind) {
		case RREC_KV_STRING:
			write_text (p, s, vlen - 4);
			break;
		case RREC_KV_INT:
			v = (guint64) rrec_kv_list_int (l, i);
			p = write_u32 (p, (guint32) v);
			write_u32 (p, (guint32) (v >> 32));
			break;
		case RREC_KV_LIST:
			pack (o, rrec_kv_list_sublist (l, i));
			break;
		}
	}
}

void
rrec_kv_pack_into (GByteArray *b, const RrecKvList *l)
{
	Out o = { b, b->len };

	pack (&o, l);
	g_byte_array_set_size (b, (guint) o.len);
}

guint8 *
rrec_kv_pack (const RrecKvList *list, guint32 *len)
{
	if (rrec_kv_list_length (list) == 0) {
		*len = 0;
		return NULL;
	}
	GByteArray *b = g_byte_array_new ();
	rrec_kv_pack_into (b, list);
	*len = b->len;
	return g_byte_array_free (b, FALSE);
}

typedef struct {
	const guint8 *p, *end;
	gboolean bad;
} Reader;

static guint32
get_u32 (Reader *r)
{
	if (r->bad || r->end - r->p < 4) {
		r->bad = TRUE;
		return 0;
	}
	guint32 v = r->p[0] | r->p[1] << 8 | r->p[2] << 16 | (guint32) r->p[3] << 24;
	r->p += 4;
	return v;
}

/* A string's bytes, in place: no copy.  FALSE (and r->bad) when they are
 * not there or hold a NUL. */
static gboolean
get_text (Reader *r, const char **text, gsize *n)
{
	guint32 len = get_u32 (r);

	if (r->bad || (gsize) (r->end - r->p) < len || memchr (r->p, '\0', len)) {
		r->bad = TRUE;
		return FALSE;
	}
	*text = (const char *) r->p;
	*n = len;
	r->p += len;
	return TRUE;
}

/* A pair count: FALSE for "no list" or damage (r->bad). */
static gboolean
get_count (Reader *r, guint depth, guint32 *n)
{
	*n = get_u32 (r);
	if (r->bad || *n == NONE)
		return FALSE;
	/* each pair takes at least 9 bytes: a count beyond that is damage */
	if (depth > MAX_DEPTH || (gsize) *n * 9 > (gsize) (r->end - r->p)) {
		r->bad = TRUE;
		return FALSE;
	}
	return TRUE;
}

/* @n pairs appended to @l, the strings copied into it. */
static void
get_pairs (Reader *r, RrecKvList *l, guint32 n, guint depth)
{
	for (guint32 i = 0; i < n && !r->bad; i++) {
		const char *key, *v;
		gsize key_len, v_len;
		guint8 kind = 0xff;
		guint32 sub_n;

		if (!get_text (r, &key, &key_len))
			break;
		if (r->p < r->end)
			kind = *r->p++;
		if (kind == RREC_KV_STRING) {
			if (get_text (r, &v, &v_len))
				rrec_kv_list_add_string_len (l, key, key_len, v, v_len);
		} else if (kind == RREC_KV_INT) {
			guint64 lo = get_u32 (r);
			guint64 x = lo | (guint64) get_u32 (r) << 32;
			if (!r->bad)
				rrec_kv_list_add_int_len (l, key, key_len, (gint64) x);
		} else if (kind == RREC_KV_LIST) {
			if (get_count (r, depth + 1, &sub_n))
				get_pairs (r, rrec_kv_list_add_new_list_len (l, key, key_len),
					   sub_n, depth + 1);
			else
				r->bad = TRUE;
		} else {
			r->bad = TRUE;
		}
	}
}

RrecKvList *
rrec_kv_unpack (const guint8 *data, gsize len, gsize *used, gboolean *ok)
{
	Reader r = { data, data + len, FALSE };
	RrecKvList *l = NULL;
	guint32 n;

	if (get_count (&r, 0, &n)) {
		l = rrec_kv_list_new ();
		get_pairs (&r, l, n, 0);
	}
	if (r.bad)
		g_clear_pointer (&l, rrec_kv_list_free);
	*ok = !r.bad;
	if (used)
		*used = r.p - data;
	return l;
}

/* ---- comparing a list with packed bytes, without packing it ---------------- */

static gboolean
same_u32 (Reader *r, guint32 v)
{
	if (r->end - r->p < 4 ||
	    (r->p[0] | r->p[1] << 8 | r->p[2] << 16 | (guint32) r->p[3] << 24) != v)
		return FALSE;
	r->p += 4;
	return TRUE;
}

static gboolean
same_text (Reader *r, const char *s)
{
	gsize n = strlen (s);

	if (!same_u32 (r, (guint32) n) || (gsize) (r->end - r->p) < n ||
	    memcmp (r->p, s, n) != 0)
		return FALSE;
	r->p += n;
	return TRUE;
}

/* What rrec_kv_pack_into() would append for @l is next in @r. */
static gboolean
same_list (Reader *r, const RrecKvList *l)
{
	if (l == NULL)
		return same_u32 (r, NONE);
	if (!same_u32 (r, rrec_kv_list_length (l)))
		return FALSE;
	for (guint i = 0; i < rrec_kv_list_length (l); i++) {
		guint8 kind = rrec_kv_list_kind (l, i);
		guint64 v;

		if (!same_text (r, rrec_kv_list_key (l, i)) || r->p == r->end ||
		    *r->p++ != kind)
			return FALSE;
		switch (kind) {
		case RREC_KV_STRING:
			if (!same_text (r, rrec_kv_list_string (l, i)))
				return FALSE;
			break;
		case RREC_KV_INT:
			v = (guint64) rrec_kv_list_int (l, i);
			if (!same_u32 (r, (guint32) v) || !same_u32 (r, (guint32) (v >> 32)))
				return FALSE;
			break;
		case RREC_KV_LIST:
			if (!same_list (r, rrec_kv_list_sublist (l, i)))
				return FALSE;
			break;
		default:
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
rrec_kv_pack_equal (const guint8 *data, gsize len, const RrecKvList *list)
{
	Reader r = { data, data + len, FALSE };

	if (rrec_kv_list_length (list) == 0)
		return len == 0;
	return same_list (&r, list) && r.p == r.end;
}

gboolean
rrec_kv_unpack_into (RrecKvList *into, const guint8 *data, gsize len)
{
	Reader r = { data, data + len, FALSE };
	guint32 n;

	if (len == 0)
		return TRUE;
	if (get_count (&r, 0, &n))
		get_pairs (&r, into, n, 0);
	return !r.bad;
}
