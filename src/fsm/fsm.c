/*
 * fsm.c — the dispatch choke point shared by every machine.
 *
 * The generated tables say what happens; this file only looks the row up,
 * asks the guards, runs the actions and sets the state.  Nothing here knows
 * what a call or a session is.
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

static void
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

/* The first row of the pair whose condition holds, or NULL. */
static inline const RrecFsmRow *
find_row (const RrecFsmBinding *binding, const RrecFsmCell *cell,
	  gpointer owner, gconstpointer data)
{
	const RrecFsmMachine *m = binding->machine;
	const RrecFsmRow *r = &m->rows[cell->first_row];

	/* most pairs have one row without a condition */
	if (G_LIKELY (cell->n_rows == 1 && r->n_lits == 0))
		return r;
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

RrecFsmResult
rrec_fsm_step (const RrecFsmBinding *binding, guint *state, guint event,
	       gpointer owner, gconstpointer data,
	       const RrecFsmRow **row_out)
{
	const RrecFsmMachine *m = binding->machine;
	const guint from = *state;
	const RrecFsmRow *row;
	RrecFsmResult result;

	if (G_UNLIKELY (from >= m->n_states || event >= m->n_events)) {
		if (row_out)
			*row_out = NULL;
		log_outcome (binding, owner, from, event, NULL, RREC_FSM_INVALID);
		return RREC_FSM_INVALID;
	}

	row = find_row (binding, &m->cells[from * m->n_events + event], owner,
			data);
	if (G_UNLIKELY (row == NULL)) {
		result = RREC_FSM_UNMATCHED;
	} else if (G_LIKELY (row->kind == RREC_FSM_ROW_GO)) {
		const guint16 *a = &m->action_lists[row->first_action];

		if (binding->rule && row->n_actions > 0) {
			for (guint i = 0; i < row->n_actions; i++) {
				binding->rule (owner, rrec_fsm_action_rule (m, row, i));
				binding->actions[a[i]] (owner, data);
			}
			binding->rule (owner, NULL);
		} else {
			for (guint i = 0; i < row->n_actions; i++)
				binding->actions[a[i]] (owner, data);
		}
		*state = row->next;
		result = RREC_FSM_MOVED;
	} else {
		result = row->kind == RREC_FSM_ROW_IGNORE ? RREC_FSM_IGNORED :
			 RREC_FSM_REJECTED;
	}

	if (row_out)
		*row_out = row;
	/* a plain read first: the step must cost no more than a switch */
	if (G_UNLIKELY (result == RREC_FSM_UNMATCHED) ||
	    (G_UNLIKELY (verbose != 0) && rrec_fsm_log_wanted ()))
		log_outcome (binding, owner, from, event, row, result);
	return result;
}
