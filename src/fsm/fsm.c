/*
 * fsm.c — the dispatch choke point shared by every machine.
 *
 * The generated tables say what happens; this file only looks the row up,
 * asks the guards, runs the actions and sets the state.  Nothing here knows
 * what a call or a session is.  For a compiled table the row look-up, the
 * guards and the actions of each (state, event) cell are the compiler's
 * straight-line code (RrecFsmMachine.cell_funcs, made from the same rows):
 * one indirect call per step, as cheap as a hand-written switch; a table
 * without it (laid out by hand or in memory) is interpreted row by row.
 * Both give the same guards, actions, rules, state and log lines.
 */

#include "rrec-fsm.h"

const char *
rrec_fsm_result_to_string (RrecFsmResult result)
{
	switch (result) {
	case RREC_FSM_MOVED:
		return "moved";
	case RREC_FSM_IGNORED:
		return "ignored";
	case RREC_FSM_REJECTED:
		return "rejected";
	case RREC_FSM_UNMATCHED:
		return "unmatched";
	case RREC_FSM_INVALID:
		return "invalid";
	}
	return "(unknown)";
}

gboolean
rrec_fsm_binding_is_complete (const RrecFsmBinding *binding)
{
	const RrecFsmMachine *m = binding->machine;

	for (guint i = 0; i < m->n_guards; i++)
		if (binding->guards == NULL || binding->guards[i] == NULL)
			return FALSE;
	for (guint i = 0; i < m->n_actions; i++)
		if (binding->actions == NULL || binding->actions[i] == NULL)
			return FALSE;
	return TRUE;
}

/*
 * Whether the domain's debug and info lines are wanted.  GLib reads
 * G_MESSAGES_DEBUG from the environment on every check, which costs more
 * than a whole step, so the answer is read once and kept (it is logging
 * configuration, the same for every engine of the process).
 */
static gint verbose = -1;

gboolean
rrec_fsm_log_wanted (void)
{
	gint v = g_atomic_int_get (&verbose);

	if (v < 0) {
		v = !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN);
		g_atomic_int_set (&verbose, v);
	}
	return v;
}

void
rrec_fsm_log_settings_changed (void)
{
	g_atomic_int_set (&verbose, -1);
}

static const char *
owner_label (const RrecFsmBinding *binding, gpointer owner)
{
	const char *label = binding->label ? binding->label (owner) : NULL;

	return label ? label : "-";
}

static G_GNUC_NO_INLINE void
log_outcome (const RrecFsmBinding *binding, gpointer owner, guint from,
	     guint event, const RrecFsmRow *row, RrecFsmResult result)
{
	const RrecFsmMachine *m = binding->machine;

	switch (result) {
	case RREC_FSM_MOVED:
		g_debug ("%s[%s]: %s --%s--> %s (%s:%u)", m->name,
			 owner_label (binding, owner),
			 rrec_fsm_state_name (m, from),
			 rrec_fsm_event_name (m, event),
			 rrec_fsm_state_name (m, row->next),
			 m->source, row->line);
		break;
	case RREC_FSM_IGNORED:
		g_debug ("%s[%s]: %s --%s--> ignored (%s:%u)", m->name,
			 owner_label (binding, owner),
			 rrec_fsm_state_name (m, from),
			 rrec_fsm_event_name (m, event), m->source, row->line);
		break;
	case RREC_FSM_REJECTED:
		g_info ("%s[%s]: event %s rejected in state %s (%s:%u)",
			m->name, owner_label (binding, owner),
			rrec_fsm_event_name (m, event),
			rrec_fsm_state_name (m, from), m->source, row->line);
		break;
	/* A compiled table can do neither: the tables or their binding are
	 * broken, and the test suites abort on it. */
	case RREC_FSM_UNMATCHED:
		g_critical ("%s[%s]: no row matched event %s in state %s: no "
			    "guard held", m->name, owner_label (binding, owner),
			    rrec_fsm_event_name (m, event),
			    rrec_fsm_state_name (m, from));
		break;
	case RREC_FSM_INVALID:
		g_critical ("%s[%s]: event %u in state %u is out of range",
			    m->name, owner_label (binding, owner), event, from);
		break;
	}
}

/* The first row of the pair whose condition holds, or NULL: a table
 * without the compiler's cell code (laid out by hand or in memory). */
static G_GNUC_NO_INLINE const RrecFsmRow *
find_row (const RrecFsmBinding *binding, const RrecFsmCell *cell,
		  gpointer owner, gconstpointer data)
{
	const RrecFsmMachine *m = binding->machine;
	const RrecFsmRow *r = &m->rows[cell->first_row];

	for (guint i = 0; i < cell->n_rows; i++, r++) {
		const guint16 *lit = &m->lits[r->first_lit];
		guint k = 0;

		while (k < r->n_lits &&
		       (binding->guards[lit[k] >> 1] (owner, data) ? 1u : 0u) !=
		       (lit[k] & 1u))
			k++;
		if (k == r->n_lits)
			return r;
	}
	return NULL;
}

/* A row's kind is the step's result: MOVED, IGNORED, REJECTED. */
G_STATIC_ASSERT ((int) RREC_FSM_ROW_GO == (int) RREC_FSM_MOVED);
G_STATIC_ASSERT ((int) RREC_FSM_ROW_IGNORE == (int) RREC_FSM_IGNORED);
G_STATIC_ASSERT ((int) RREC_FSM_ROW_REJECT == (int) RREC_FSM_REJECTED);

/* The row's actions in order; a binding that hears rules is told, before
 * each action, the rule that run serves, and NULL once they are done. */
static G_GNUC_NO_INLINE void
run_actions (const RrecFsmBinding *binding, const RrecFsmRow *row,
	     gpointer owner, gconstpointer data)
{
	const RrecFsmMachine *m = binding->machine;
	const guint16 *a = &m->action_lists[row->first_action];

	for (guint i = 0; i < row->n_actions; i++) {
		if (binding->rule)
			binding->rule (owner, rrec_fsm_action_rule (m, row, i));
		binding->actions[a[i]] (owner, data);
	}
	if (binding->rule && row->n_actions > 0)
		binding->rule (owner, NULL);
}

guint32
rrec_fsm_no_row (const RrecFsmBinding *binding, gpointer owner, guint cell)
{
	const RrecFsmMachine *m = binding->machine;

	log_outcome (binding, owner, cell / m->n_events, cell % m->n_events,
		     NULL, RREC_FSM_UNMATCHED);
	return RREC_FSM_UNMATCHED;
}

/* The whole step: a table without the compiler's cell code, an event or
 * state out of range, a caller that wants the row, or log lines wanted
 * (or not known yet). */
static G_GNUC_NO_INLINE RrecFsmResult
step_full (const RrecFsmBinding *binding, guint *state, guint event,
	   gpointer owner, gconstpointer data, const RrecFsmRow **row_out)
{
	const RrecFsmMachine *m = binding->machine;
	const guint from = *state;
	const RrecFsmRow *row;

	if (row_out)
		*row_out = NULL;
	if (G_UNLIKELY (from >= m->n_states || event >= m->n_events)) {
		log_outcome (binding, owner, from, event, NULL, RREC_FSM_INVALID);
		return RREC_FSM_INVALID;
	}
	if (m->cell_funcs != NULL) {
		guint cell = from * m->n_events + event;
		const RrecFsmCellFunc *f = binding->rule ? m->cell_funcs_rules :
					   m->cell_funcs;
		/* sets the state; reports an unmatched event itself */
		guint32 r = f[cell] (binding, owner, data, cell, state);

		if (RREC_FSM_CELL_STEP (r) == RREC_FSM_UNMATCHED)
			return RREC_FSM_UNMATCHED;
		row = &m->rows[m->cells[cell].first_row + RREC_FSM_CELL_INDEX (r)];
	} else {
		row = find_row (binding, &m->cells[from * m->n_events + event],
				owner, data);
		if (row == NULL) {
			log_outcome (binding, owner, from, event, NULL,
				     RREC_FSM_UNMATCHED);
			return RREC_FSM_UNMATCHED;
		}
		run_actions (binding, row, owner, data);
		*state = row->next;
	}
	if (row_out)
		*row_out = row;
	if (rrec_fsm_log_wanted ())
		log_outcome (binding, owner, from, event, row,
			     (RrecFsmResult) row->kind);
	return (RrecFsmResult) row->kind;
}

RrecFsmResult
rrec_fsm_step (const RrecFsmBinding *binding, guint *state, guint event,
	       gpointer owner, gconstpointer data,
	       const RrecFsmRow **row_out)
{
	const RrecFsmMachine *m = binding->machine;
	const guint from = *state;

	/* The common case, as short as a switch: the compiler's code for the
	 * cell asks the guards, runs the actions, sets the state and gives
	 * the row's kind, which is the result: nothing here branches on the
	 * row.  verbose is read plainly: -1 (not known yet) takes the whole
	 * step. */
	if (G_LIKELY (m->cell_funcs != NULL && row_out == NULL && verbose == 0 &&
		      from < m->n_states && event < m->n_events)) {
		guint cell = from * m->n_events + event;
		const RrecFsmCellFunc *f = binding->rule ? m->cell_funcs_rules :
					   m->cell_funcs;

		return RREC_FSM_CELL_STEP (f[cell] (binding, owner, data, cell, state));
	}
	return step_full (binding, state, event, owner, data, row_out);
}
