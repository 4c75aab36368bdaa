/*
 * kvlist.c — T-Library key-value lists.
 */
#include <string.h>

#include "rrec/kvlist.h"
#include "rrec-kvlist-private.h"

typedef struct {
	char *key;
	RrecKvKind kind;
	union {
		char *s;
		gint64 i;
		RrecKvList *list;
	} v;
} Pair;

/* A block of the list's text: keys and string values are copied into
 * blocks that never move, so a pointer handed out stays valid until the
 * list is cleared or freed. */
typedef struct _Block {
	struct _Block *next;
	gsize size, used;
	char data[];
} Block;

struct _RrecKvList {
	GArray *pairs;		/* Pair */
	Block *blocks;		/* the first block of text */
	Block *cur;		/* the one being filled: those after it are
				 * empty (after a clear) */
	/* sub-lists of a cleared list, emptied, for rrec_kv_list_add_new_list():
	 * a list cleared and filled again allocates nothing once it has held
	 * as much (NULL until the first clear that had some) */
	GPtrArray *spare;
	/* key -> index + 1 of its last pair, built by the first look-up in
	 * a list longer than FIND_SCAN_MAX and kept up to date by appends:
	 * a look-up per key of a 10,000-key user data stays linear (§7) */
	GHashTable *index;
	/* pairs whose value is a list: none, and the list's nesting is known
	 * without a look at its pairs (rrec_kv_list_has_lists()) */
	guint n_lists;
};

#define FIND_SCAN_MAX 16
#define BLOCK_MIN 128

static void
pair_clear (Pair *pair)
{
	if (pair->kind == RREC_KV_LIST)
		rrec_kv_list_free (pair->v.list);
}

/* @n bytes of @text, and a NUL, copied into the list's blocks. */
static char *
text_copy (RrecKvList *l, const char *text, gsize n)
{
	Block *b = l->cur;

	while (b == NULL || b->size - b->used < n + 1) {
		if (b != NULL && b->next != NULL) {
			b = b->next;	/* empty: a clear left it */
			continue;
		}
		gsize size = MAX (BLOCK_MIN, b ? b->size * 2 : 0);
		Block *nb;

		while (size < n + 1)
			size *= 2;
		nb = g_malloc (sizeof (Block) + size);
		nb->next = NULL;
		nb->size = size;
		nb->used = 0;
		if (b)
			b->next = nb;
		else
			l->blocks = nb;
		b = nb;
	}
	l->cur = b;

	char *s = b->data + b->used;

	memcpy (s, text, n);
	s[n] = '\0';
	b->used += n + 1;
	return s;
}

static char *
text_dup (RrecKvList *l, const char *text)
{
	return text_copy (l, text, strlen (text));
}

RrecKvList *
rrec_kv_list_new (void)
{
	RrecKvList *l = g_new0 (RrecKvList, 1);

	l->pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
	return l;
}

void
rrec_kv_list_free (RrecKvList *list)
{
	if (list == NULL)
		return;
	if (list->index)
		g_hash_table_destroy (list->index);
	for (guint i = 0; i < list->pairs->len; i++)
		pair_clear (&g_array_index (list->pairs, Pair, i));
	g_array_free (list->pairs, TRUE);
	if (list->spare)
		g_ptr_array_free (list->spare, TRUE);
	while (list->blocks) {
		Block *b = list->blocks;

		list->blocks = b->next;
		g_free (b);
	}
	g_free (list);
}

void
rrec_kv_list_clear (RrecKvList *list)
{
	gsize total = 0;

	if (list->index)
		g_hash_table_remove_all (list->index);
	for (guint i = 0; i < list->pairs->len; i++) {
		Pair *p = &g_array_index (list->pairs, Pair, i);

		if (p->kind != RREC_KV_LIST)
			continue;
		rrec_kv_list_clear (p->v.list);
		if (list->spare == NULL)
			list->spare = g_ptr_array_new_with_free_func (
				(GDestroyNotify) rrec_kv_list_free);
		g_ptr_array_add (list->spare, p->v.list);
	}
	/* not zero-terminated, no clear function (pair_clear() ran
	 * above): emptying is this, with no library call */
	list->pairs->len = 0;
	list->n_lists = 0;
	for (Block *b = list->blocks; b; b = b->next) {
		total += b->size;
		b->used = 0;
	}
	/* text that needed several blocks gets one that holds it all: the
	 * next fill of the same size takes no new block */
	if (list->blocks && list->blocks->next) {
		while (list->blocks) {
			Block *b = list->blocks;

			list->blocks = b->next;
			g_free (b);
		}
		list->blocks = g_malloc (sizeof (Block) + total);
		list->blocks->next = NULL;
		list->blocks->size = total;
		list->blocks->used = 0;
	}
	list->cur = list->blocks;
}

static Pair *
pair_at (const RrecKvList *l, guint i)
{
	g_return_val_if_fail (i < l->pairs->len, NULL);
	return &g_array_index (l->pairs, Pair, i);
}

static void
append (RrecKvList *l, Pair *p)
{
	g_array_append_vals (l->pairs, p, 1);
	l->n_lists += p->kind == RREC_KV_LIST;
	if (l->index)
		g_hash_table_insert (l->index, p->key, GUINT_TO_POINTER (l->pairs->len));
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
	case RREC_KV_LIST: {
		RrecKvList *sub = rrec_kv_list_add_new_list (to, p->key);

		for (guint j = 0; j < p->v.list->pairs->len; j++)
			rrec_kv_list_append_pair (sub, p->v.list, j);
		break;
	}
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
rrec_kv_list_add_string_len (RrecKvList *list, const char *key, gsize key_len,
			     const char *value, gsize value_len)
{
	Pair p = { NULL, RREC_KV_STRING, { .s = NULL } };

	p.key = text_copy (list, key, key_len);
	p.v.s = text_copy (list, value, value_len);
	append (list, &p);
}

void
rrec_kv_list_add_string (RrecKvList *list, const char *key, const char *value)
{
	if (value == NULL)
		value = "";
	rrec_kv_list_add_string_len (list, key, strlen (key), value, strlen (value));
}

void
rrec_kv_list_add_int_len (RrecKvList *list, const char *key, gsize key_len,
			  gint64 value)
{
	Pair p = { text_copy (list, key, key_len), RREC_KV_INT, { .i = value } };

	append (list, &p);
}

void
rrec_kv_list_add_int (RrecKvList *list, const char *key, gint64 value)
{
	rrec_kv_list_add_int_len (list, key, strlen (key), value);
}

void
rrec_kv_list_add_list (RrecKvList *list, const char *key, RrecKvList *sub)
{
	Pair p = { text_dup (list, key), RREC_KV_LIST, { .list = sub } };

	append (list, &p);
}

RrecKvList *
rrec_kv_list_add_new_list_len (RrecKvList *list, const char *key, gsize key_len)
{
	Pair p = { text_copy (list, key, key_len), RREC_KV_LIST, { .list = NULL } };

	if (list->spare && list->spare->len > 0)
		p.v.list = g_ptr_array_steal_index_fast (list->spare, list->spare->len - 1);
	else
		p.v.list = rrec_kv_list_new ();
	append (list, &p);
	return p.v.list;
}

RrecKvList *
rrec_kv_list_add_new_list (RrecKvList *list, const char *key)
{
	return rrec_kv_list_add_new_list_len (list, key, strlen (key));
}

void
rrec_kv_list_set_string (RrecKvList *list, const char *key, const char *value)
{
	for (guint i = 0; i < list->pairs->len; i++) {
		Pair *p = pair_at (list, i);

		if (strcmp (p->key, key) != 0)
			continue;
		/* the key stays where it is: the index still points at it */
		list->n_lists -= p->kind == RREC_KV_LIST;
		pair_clear (p);
		p->kind = RREC_KV_STRING;
		p->v.s = text_dup (list, value ? value : "");
		return;
	}
	rrec_kv_list_add_string (list, key, value);
}

gboolean
rrec_kv_list_has_lists (const RrecKvList *list)
{
	return list && list->n_lists > 0;
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
	guint n = rrec_kv_list_length (list);

	if (n <= FIND_SCAN_MAX) {
		for (guint i = n; i > 0; i--)
			if (strcmp (pair_at (list, i - 1)->key, key) == 0)
				return i - 1;
		return -1;
	}
	if (list->index == NULL) {
		/* a cache: the list itself does not change */
		RrecKvList *l = (RrecKvList *) list;

		l->index = g_hash_table_new (g_str_hash, g_str_equal);
		for (guint i = 0; i < n; i++)
			g_hash_table_insert (l->index, pair_at (l, i)->key,
					     GUINT_TO_POINTER (i + 1));
	}
	return (gint) GPOINTER_TO_UINT (g_hash_table_lookup (list->index, key)) - 1;
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
