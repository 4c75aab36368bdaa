/*
 * kvlist.c — T-Library key-value lists.
 */
#include <string.h>

#include "rrec/kvlist.h"

typedef struct {
	char *key;
	RrecKvKind kind;
	union {
		char *s;
		gint64 i;
		RrecKvList *list;
	} v;
} Pair;

struct _RrecKvList {
	GArray *pairs;		/* Pair */
};

static void
pair_clear (gpointer p)
{
	Pair *pair = p;

	g_free (pair->key);
	if (pair->kind == RREC_KV_STRING)
		g_free (pair->v.s);
	else if (pair->kind == RREC_KV_LIST)
		rrec_kv_list_free (pair->v.list);
}

RrecKvList *
rrec_kv_list_new (void)
{
	RrecKvList *l = g_new (RrecKvList, 1);

	l->pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
	g_array_set_clear_func (l->pairs, pair_clear);
	return l;
}

void
rrec_kv_list_free (RrecKvList *list)
{
	if (list == NULL)
		return;
	g_array_free (list->pairs, TRUE);
	g_free (list);
}

static Pair *
pair_at (const RrecKvList *l, guint i)
{
	g_return_val_if_fail (i < l->pairs->len, NULL);
	return &g_array_index (l->pairs, Pair, i);
}

void
rrec_kv_list_append_pair (RrecKvList *to, const RrecKvList *from, guint i)
{
	const Pair *p = pair_at (from, i);

	switch (p->kind) {
	case RREC_KV_STRING:
		rrec_kv_list_add_string (to, p->key, p->v.s);
		break;
	case RREC_KV_INT:
		rrec_kv_list_add_int (to, p->key, p->v.i);
		break;
	case RREC_KV_LIST:
		rrec_kv_list_add_list (to, p->key, rrec_kv_list_copy (p->v.list));
		break;
	}
}

RrecKvList *
rrec_kv_list_copy (const RrecKvList *list)
{
	RrecKvList *c = rrec_kv_list_new ();

	for (guint i = 0; list && i < list->pairs->len; i++)
		rrec_kv_list_append_pair (c, list, i);
	return c;
}

void
rrec_kv_list_add_string (RrecKvList *list, const char *key, const char *value)
{
	Pair p = { g_strdup (key), RREC_KV_STRING, { .s = g_strdup (value ? value : "") } };

	g_array_append_val (list->pairs, p);
}

void
rrec_kv_list_add_int (RrecKvList *list, const char *key, gint64 value)
{
	Pair p = { g_strdup (key), RREC_KV_INT, { .i = value } };

	g_array_append_val (list->pairs, p);
}

void
rrec_kv_list_add_list (RrecKvList *list, const char *key, RrecKvList *sub)
{
	Pair p = { g_strdup (key), RREC_KV_LIST, { .list = sub } };

	g_array_append_val (list->pairs, p);
}

void
rrec_kv_list_set_string (RrecKvList *list, const char *key, const char *value)
{
	for (guint i = 0; i < list->pairs->len; i++) {
		Pair *p = pair_at (list, i);

		if (strcmp (p->key, key) != 0)
			continue;
		char *key_copy = g_strdup (key);
		pair_clear (p);
		p->key = key_copy;
		p->kind = RREC_KV_STRING;
		p->v.s = g_strdup (value);
		return;
	}
	rrec_kv_list_add_string (list, key, value);
}

guint
rrec_kv_list_length (const RrecKvList *list)
{
	return list ? list->pairs->len : 0;
}

const char *
rrec_kv_list_key (const RrecKvList *list, guint i)
{
	return pair_at (list, i)->key;
}

RrecKvKind
rrec_kv_list_kind (const RrecKvList *list, guint i)
{
	return pair_at (list, i)->kind;
}

const char *
rrec_kv_list_string (const RrecKvList *list, guint i)
{
	const Pair *p = pair_at (list, i);

	return p->kind == RREC_KV_STRING ? p->v.s : NULL;
}

gint64
rrec_kv_list_int (const RrecKvList *list, guint i)
{
	const Pair *p = pair_at (list, i);

	return p->kind == RREC_KV_INT ? p->v.i : 0;
}

const RrecKvList *
rrec_kv_list_sublist (const RrecKvList *list, guint i)
{
	const Pair *p = pair_at (list, i);

	return p->kind == RREC_KV_LIST ? p->v.list : NULL;
}

gint
rrec_kv_list_find (const RrecKvList *list, const char *key)
{
	for (guint i = rrec_kv_list_length (list); i > 0; i--)
		if (strcmp (pair_at (list, i - 1)->key, key) == 0)
			return i - 1;
	return -1;
}

const char *
rrec_kv_list_lookup_string (const RrecKvList *list, const char *key)
{
	gint i = rrec_kv_list_find (list, key);

	return i < 0 ? NULL : rrec_kv_list_string (list, i);
}

gboolean
rrec_kv_list_value_equal (const RrecKvList *a, guint i, const RrecKvList *b,
			  guint j)
{
	const Pair *p = pair_at (a, i), *q = pair_at (b, j);

	if (p->kind != q->kind)
		return FALSE;
	switch (p->kind) {
	case RREC_KV_STRING:
		return strcmp (p->v.s, q->v.s) == 0;
	case RREC_KV_INT:
		return p->v.i == q->v.i;
	case RREC_KV_LIST:
		return rrec_kv_list_equal (p->v.list, q->v.list);
	}
	return FALSE;
}

gboolean
rrec_kv_list_equal (const RrecKvList *a, const RrecKvList *b)
{
	guint n = rrec_kv_list_length (a);

	if (n != rrec_kv_list_length (b))
		return FALSE;
	for (guint i = 0; i < n; i++)
		if (strcmp (pair_at (a, i)->key, pair_at (b, i)->key) != 0 ||
		    !rrec_kv_list_value_equal (a, i, b, i))
			return FALSE;
	return TRUE;
}

static void
append_quoted (GString *s, const char *text)
{
	g_string_append_c (s, '\'');
	for (const char *p = text; *p; p++) {
		if (*p == '\'' || *p == '\\')
			g_string_append_c (s, '\\');
		g_string_append_c (s, *p);
	}
	g_string_append_c (s, '\'');
}

static void
append_list (GString *s, const RrecKvList *list)
{
	g_string_append_c (s, '{');
	for (guint i = 0; i < rrec_kv_list_length (list); i++) {
		const Pair *p = pair_at (list, i);

		if (i)
			g_string_append_c (s, ',');
		append_quoted (s, p->key);
		g_string_append_c (s, ':');
		switch (p->kind) {
		case RREC_KV_STRING:
			append_quoted (s, p->v.s);
			break;
		case RREC_KV_INT:
			g_string_append_printf (s, "%" G_GINT64_FORMAT, p->v.i);
			break;
		case RREC_KV_LIST:
			append_list (s, p->v.list);
			break;
		}
	}
	g_string_append_c (s, '}');
}

char *
rrec_kv_list_to_string (const RrecKvList *list)
{
	GString *s = g_string_new (NULL);

	append_list (s, list);
	return g_string_free (s, FALSE);
}
