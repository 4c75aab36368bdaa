/*
 * machine.c — a checked table in the runtime's compiled form
 * (RrecFsmMachine, src/fsm/rrec-fsm.h), in memory: the compiler writes its
 * listing and diagram with the library's own formatter
 * (src/fsm/fsm-format.c), so `rrec tables` and `rrec graph` print what the
 * build wrote.  It lays the rows out as emit_c() writes them.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

static const char **
names (const Fsm *fsm, DeclKind kind)
{
	const char **a = g_new0 (const char *, fsm_n (fsm, kind) + 1);

	for (guint i = 0; i < fsm_n (fsm, kind); i++)
		a[i] = fsm_decl (fsm, kind, i)->name;
	return a;
}

static guint
rule_index (GPtrArray *rules, const char *rule)
{
	for (guint i = 0; i < rules->len; i++)
		if (strcmp (g_ptr_array_index (rules, i), rule) == 0)
			return i;
	g_assert_not_reached ();
}

RrecFsmMachine *
fsm_machine_new (const Fsm *fsm)
{
	guint ns = fsm_n (fsm, DECL_STATE), ne = fsm_n (fsm, DECL_EVENT);
	RrecFsmMachine *m = g_new0 (RrecFsmMachine, 1);
	GArray *rows = g_array_new (FALSE, TRUE, sizeof (RrecFsmRow));
	GArray *lits = g_array_new (FALSE, FALSE, sizeof (guint16));
	GArray *acts = g_array_new (FALSE, FALSE, sizeof (guint16));
	GArray *act_rules = g_array_new (FALSE, FALSE, sizeof (guint16));
	GArray *row_rules = g_array_new (FALSE, FALSE, sizeof (guint16));
	RrecFsmCell *cells = g_new0 (RrecFsmCell, ns * ne);
	GPtrArray *rules = fsm_machine_rules (fsm);
	guint8 *final = g_memdup2 (fsm->final, ns);
	guint8 *trap = g_memdup2 (fsm->trap, ns);

	for (guint st = 0; st < ns; st++) {
		for (guint e = 0; e < ne; e++) {
			GArray *chain = fsm->chains[st * ne + e];

			cells[st * ne + e].first_row = rows->len;
			cells[st * ne + e].n_rows = chain->len;
			for (guint i = 0; i < chain->len; i++) {
				const Row *r = fsm_row (fsm, g_array_index (chain, guint, i));
				RrecFsmRow row = {
					.first_lit = lits->len,
					.n_lits = r->lits->len,
					.kind = r->kind == ROW_GO ? RREC_FSM_ROW_GO :
						r->kind == ROW_IGNORE ? RREC_FSM_ROW_IGNORE :
						RREC_FSM_ROW_REJECT,
					.next = r->kind == ROW_GO ? (guint) r->next : st,
					.first_action = acts->len,
					.n_actions = r->actions->len,
					.line = r->line,
					.first_rule = row_rules->len,
					.n_rules = r->rules->len,
				};

				for (guint k = 0; k < r->lits->len; k++) {
					gint l = g_array_index (r->lits, gint, k);
					guint16 v = (guint16) ((ABS (l) - 1) << 1 | (l < 0));
					g_array_append_val (lits, v);
				}
				for (guint a = 0; a < r->actions->len; a++) {
					guint act = g_array_index (r->actions, guint, a);
					guint16 v = act;
					guint16 rule = rule_index (rules, fsm_action_rule (fsm, r, act));

					g_array_append_val (acts, v);
					g_array_append_val (act_rules, rule);
				}
				for (guint k = 0; k < r->rules->len; k++) {
					guint16 v = rule_index (rules, g_ptr_array_index (r->rules, k));
					g_array_append_val (row_rules, v);
				}
				g_array_append_val (rows, row);
			}
		}
	}

	m->name = fsm->name;
	m->source = fsm->source;
	m->n_states = ns;
	m->n_events = ne;
	m->n_guards = fsm_n (fsm, DECL_GUARD);
	m->n_actions = fsm_n (fsm, DECL_ACTION);
	m->initial = fsm->initial;
	m->final = final;
	m->trap = trap;
	m->state_names = names (fsm, DECL_STATE);
	m->event_names = names (fsm, DECL_EVENT);
	m->guard_names = names (fsm, DECL_GUARD);
	m->action_names = names (fsm, DECL_ACTION);
	m->cells = cells;
	m->rows = (const RrecFsmRow *) g_array_free (rows, FALSE);
	m->lits = (const guint16 *) g_array_free (lits, FALSE);
	m->action_lists = (const guint16 *) g_array_free (acts, FALSE);
	m->n_rules = rules->len;
	m->rule_names = (const char *const *) g_ptr_array_free (rules, FALSE);
	m->row_rules = (const guint16 *) g_array_free (row_rules, FALSE);
	m->action_rules = (const guint16 *) g_array_free (act_rules, FALSE);
	return m;
}

void
fsm_machine_free (RrecFsmMachine *m)
{
	if (m == NULL)
		return;
	g_free ((gpointer) m->final);
	g_free ((gpointer) m->trap);
	g_free ((gpointer) m->state_names);
	g_free ((gpointer) m->event_names);
	g_free ((gpointer) m->guard_names);
	g_free ((gpointer) m->action_names);
	g_free ((gpointer) m->cells);
	g_free ((gpointer) m->rows);
	g_free ((gpointer) m->lits);
	g_free ((gpointer) m->action_lists);
	g_free ((gpointer) m->rule_names);
	g_free ((gpointer) m->row_rules);
	g_free ((gpointer) m->action_rules);
	g_free (m);
}
