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
	GLogLevelFlags level = result == RREC_FSM_MOVED ||
			       result == RREC_FSM_IGNORED ?
			       G_LOG_LEVEL_DEBUG : G_LOG_LEVEL_INFO;

	if (g_log_writer_default_would_drop (level, G_LOG_DOMAIN))
		return;

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
	case RREC_FSM_UNMATCHED:
		g_info ("%s[%s]: event %s in state %s: no guard held",
			m->name, owner_label (binding, owner),
			rrec_fsm_event_name (m, event),
			rrec_fsm_state_name (m, from));
		break;
	case RREC_FSM_INVALID:
		g_info ("%s[%s]: event %u in state %u is out of range",
			m->name, owner_label (binding, owner), event, from);
		break;
	}
}

RrecFsmResult
rrec_fsm_step (const RrecFsmBinding *binding, guint *state, guint event,
	       gpointer owner, gconstpointer data,
	       const RrecFsmRow **row_out)
{
	const RrecFsmMachine *m = binding->machine;
	const guint from = *state;
	const RrecFsmRow *row = NULL;
	RrecFsmResult result;

	if (row_out)
		*row_out = NULL;
	if (G_UNLIKELY (from >= m->n_states || event >= m->n_events)) {
		log_outcome (binding, owner, from, event, NULL,
			     RREC_FSM_INVALID);
		return RREC_FSM_INVALID;
	}

	const RrecFsmCell *cell = &m->cells[from * m->n_events + event];
	for (guint i = 0; i < cell->n_rows; i++) {
		const RrecFsmRow *r = &m->rows[cell->first_row + i];

		gboolean holds = TRUE;

		for (guint k = 0; k < r->n_lits && holds; k++) {
			guint lit = m->lits[r->first_lit + k];
			gboolean value = binding->guards[lit >> 1] (owner, data);

			holds = (value ? 1u : 0u) != (lit & 1u);
		}
		if (holds) {
			row = r;
			break;
		}
	}

	if (row == NULL) {
		result = RREC_FSM_UNMATCHED;
	} else if (row->kind == RREC_FSM_ROW_IGNORE) {
		result = RREC_FSM_IGNORED;
	} else if (row->kind == RREC_FSM_ROW_REJECT) {
		result = RREC_FSM_REJECTED;
	} else {
		const guint16 *a = &m->action_lists[row->first_action];

		for (guint i = 0; i < row->n_actions; i++)
			binding->actions[a[i]] (owner, data);
		*state = row->next;
		result = RREC_FSM_MOVED;
	}

	if (row_out)
		*row_out = row;
	log_outcome (binding, owner, from, event, row, result);
	return result;
}
