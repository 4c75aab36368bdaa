/*
 * model.h — a state table as the compiler understands it, after parsing
 * and checking.
 */
#pragma once

#include <glib.h>

#include "rrec-fsm.h"

typedef enum {
	DECL_STATE,
	DECL_EVENT,
	DECL_GUARD,
	DECL_ACTION,
	N_DECL_KINDS,
} DeclKind;

typedef struct {
	char *name;
	guint line;
	gboolean used;		/* named by some row (or as initial/final) */
	char *rule;		/* actions only: the rule every run of it
				 * serves ("R28"), or NULL: the row's */
} Decl;

typedef enum {
	ROW_GO,
	ROW_IGNORE,
	ROW_REJECT,
} RowKind;

typedef struct {
	guint line;
	GArray *states;		/* guint indices; NULL = wildcard '*' */
	GArray *events;		/* guint indices; NULL = wildcard '*' */
	GArray *lits;		/* the condition: gint guard + 1, negative
				 * when the guard must be false; empty:
				 * always */
	RowKind kind;
	gint next;		/* ROW_GO: target state */
	GArray *actions;	/* guint indices, in order */
	GPtrArray *rules;	/* char*: the rules the row implements
				 * ("R18"), the first one leading */
} Row;

typedef struct {
	const char *source;	/* name used in messages */
	char *name;		/* the machine's name */
	guint name_line;
	gint initial;
	guint initial_line;
	GPtrArray *decls[N_DECL_KINDS];	/* Decl* */
	GHashTable *index[N_DECL_KINDS];	/* name -> index + 1 */
	guint8 *final;		/* per state */
	guint8 *trap;		/* per state */
	GPtrArray *rows;	/* Row* in source order */
	GArray **chains;	/* per pair: guint row indices, in order */
	guint n_errors;
	GHashTable *reported;	/* messages already printed */
} Fsm;

static inline guint
fsm_n (const Fsm *fsm, DeclKind kind)
{
	return fsm->decls[kind]->len;
}

static inline const Decl *
fsm_decl (const Fsm *fsm, DeclKind kind, guint i)
{
	return g_ptr_array_index (fsm->decls[kind], i);
}

static inline const Row *
fsm_row (const Fsm *fsm, guint i)
{
	return g_ptr_array_index (fsm->rows, i);
}

/* Parse and check.  Errors are printed as they are found and counted in
 * n_errors; the model is complete only when n_errors is 0. */
Fsm *fsm_compile (const char *source, const char *path, const char *text,
		  gsize len);
void fsm_free (Fsm *fsm);

GString *emit_header (const Fsm *fsm, const char *header_name);
GString *emit_c (const Fsm *fsm, const char *header_name);
GString *emit_dot (const Fsm *fsm, const char *header_name);
GString *emit_listing (const Fsm *fsm, const char *header_name);

/* The rule an action of @r runs under: the action's own, else the row's
 * first; NULL when neither names one. */
const char *fsm_action_rule (const Fsm *fsm, const Row *r, guint action);

/* Every rule the machine names, in the order of their numbers (the
 * strings are the model's). */
GPtrArray *fsm_machine_rules (const Fsm *fsm);

/* The checked table in the runtime's compiled form, in memory (machine.c);
 * its strings are the model's: free it before the model. */
RrecFsmMachine *fsm_machine_new (const Fsm *fsm);
void fsm_machine_free (RrecFsmMachine *m);
