/*
 * kvlist.h — T-Library key-value lists (AttributeUserData,
 * AttributeExtensions, AttributeReason): ordered pairs whose values are
 * strings, integers or nested lists.  Duplicate keys are kept, as in a log.
 */
#pragma once

#include "rrec/rrec.h"

G_BEGIN_DECLS

typedef enum {
	RREC_KV_STRING = 0,
	RREC_KV_INT,
	RREC_KV_LIST,
} RrecKvKind;

typedef struct _RrecKvList RrecKvList;

RREC_API RrecKvList *rrec_kv_list_new (void);
RREC_API RrecKvList *rrec_kv_list_copy (const RrecKvList *list);
RREC_API void rrec_kv_list_free (RrecKvList *list);
/* Removes every pair but keeps the memory: filled again with no more than
 * it held, the list allocates nothing.  Strings and sub-lists taken from it
 * before are no longer valid. */
RREC_API void rrec_kv_list_clear (RrecKvList *list);

RREC_API void rrec_kv_list_add_string (RrecKvList *list, const char *key,
				       const char *value);
RREC_API void rrec_kv_list_add_int (RrecKvList *list, const char *key,
				    gint64 value);
/* Takes ownership of @sub. */
RREC_API void rrec_kv_list_add_list (RrecKvList *list, const char *key,
				     RrecKvList *sub);
/* The same as add_string with lengths: the bytes need no NUL after them
 * (and hold none). */
RREC_API void rrec_kv_list_add_string_len (RrecKvList *list, const char *key,
					   gsize key_len, const char *value,
					   gsize value_len);
/* Appends an empty sub-list under @key and returns it (the list owns it;
 * one that a clear emptied is used again). */
RREC_API RrecKvList *rrec_kv_list_add_new_list (RrecKvList *list,
						const char *key);
/* Replaces the value of the first pair with @key, or appends one. */
RREC_API void rrec_kv_list_set_string (RrecKvList *list, const char *key,
				       const char *value);

RREC_API guint rrec_kv_list_length (const RrecKvList *list);
RREC_API const char *rrec_kv_list_key (const RrecKvList *list, guint i);
RREC_API RrecKvKind rrec_kv_list_kind (const RrecKvList *list, guint i);
RREC_API const char *rrec_kv_list_string (const RrecKvList *list, guint i);
RREC_API gint64 rrec_kv_list_int (const RrecKvList *list, guint i);
RREC_API const RrecKvList *rrec_kv_list_sublist (const RrecKvList *list,
						 guint i);

/* The index of the last pair with @key (the value in force), or -1. */
RREC_API gint rrec_kv_list_find (const RrecKvList *list, const char *key);
/* The string value of @key, or NULL if absent or not a string. */
RREC_API const char *rrec_kv_list_lookup_string (const RrecKvList *list,
						 const char *key);

/* Same pairs, same order, same values. */
RREC_API gboolean rrec_kv_list_equal (const RrecKvList *a, const RrecKvList *b);
/* Whether pair @i of @a has the same value as pair @j of @b. */
RREC_API gboolean rrec_kv_list_value_equal (const RrecKvList *a, guint i,
					    const RrecKvList *b, guint j);
/* Appends pair @i of @from to @to (deep copy). */
RREC_API void rrec_kv_list_append_pair (RrecKvList *to, const RrecKvList *from,
					guint i);

/* A compact one-line form for logs and tests: {'k':'v','n':5,'l':{…}}. */
RREC_API char *rrec_kv_list_to_string (const RrecKvList *list);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrecKvList, rrec_kv_list_free)

G_END_DECLS
