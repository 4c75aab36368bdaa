/*
 * fsm-format.c — a compiled machine written back as text.
 */
#include "rrec-fsm-format.h"

static void
append_condition (GString *out, const RrecFsmMachine *m, const RrecFsmRow *r)
{
	for (guint k = 0; k < r->n_lits; k++) {
		guint lit = m->lits[r->first_lit + k];

		g_string_append_printf (out, "%s%s%s", k ? " & " : "[",
					lit & 1 ? "!" : "", m->guard_names[lit >> 1]);
	}
	if (r->n_lits)
		g_string_append_c (out, ']');
}

static void
append_actions (GString *out, const RrecFsmMachine *m, const RrecFsmRow *r)
{
	for (guint a = 0; a < r->n_actions; a++)
		g_string_append_printf (out, "%s%s", a ? ", " : " / ",
					m->action_names[m->action_lists[r->first_action + a]]);
}

void
rrec_fsm_format_listing (const RrecFsmMachine *m, GString *out)
{
	g_string_append_printf (out, "# %s: %u states, %u events, %u pairs\n",
				m->name, m->n_states, m->n_events,
				m->n_states * m->n_events);
	for (guint s = 0; s < m->n_states; s++) {
		for (guint e = 0; e < m->n_events; e++) {
			const RrecFsmCell *c = &m->cells[s * m->n_events + e];

			for (guint i = 0; i < c->n_rows; i++) {
				const RrecFsmRow *r = &m->rows[c->first_row + i];

				g_string_append_printf (out, "%s %s ",
							m->state_names[s],
							m->event_names[e]);
				append_condition (out, m, r);
				if (r->n_lits)
					g_string_append_c (out, ' ');
				if (r->kind == RREC_FSM_ROW_IGNORE) {
					g_string_append (out, "ignore");
				} else if (r->kind == RREC_FSM_ROW_REJECT) {
					g_string_append (out, "reject");
				} else {
					g_string_append_printf (out, "-> %s",
								m->state_names[r->next]);
					append_actions (out, m, r);
				}
				for (guint k = 0; k < r->n_rules; k++)
					g_string_append_printf (out, "%s%s", k ? ", " : " rule ",
						m->rule_names[m->row_rules[r->first_rule + k]]);
				g_string_append_c (out, '\n');
			}
		}
	}
}

void
rrec_fsm_format_dot (const RrecFsmMachine *m, GString *out)
{
	g_string_append_printf (out,
		"// The %s machine, compiled from %s.\n"
		"digraph %s {\n"
		"\trankdir=LR;\n"
		"\tnode [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
		"\tedge [fontname=\"Helvetica\", fontsize=10];\n"
		"\t__start [shape=point];\n"
		"\t__start -> %s;\n", m->name, m->source, m->name,
		m->state_names[m->initial]);
	for (guint s = 0; s < m->n_states; s++)
		g_string_append_printf (out, "\t%s%s;\n", m->state_names[s],
					m->final[s] ? " [peripheries=2]" :
					m->trap && m->trap[s] ? " [style=\"rounded,dashed\"]" : "");
	for (guint from = 0; from < m->n_states; from++) {
		for (guint to = 0; to < m->n_states; to++) {
			GString *label = g_string_new (NULL);

			for (guint e = 0; e < m->n_events; e++) {
				const RrecFsmCell *c = &m->cells[from * m->n_events + e];

				for (guint i = 0; i < c->n_rows; i++) {
					const RrecFsmRow *r = &m->rows[c->first_row + i];

					if (r->kind != RREC_FSM_ROW_GO || r->next != to)
						continue;
					if (label->len)
						g_string_append (label, "\\l");
					g_string_append_printf (label, "%s ",
								m->event_names[e]);
					append_condition (label, m, r);
					append_actions (label, m, r);
				}
			}
			if (label->len)
				g_string_append_printf (out, "\t%s -> %s [label=\"%s\\l\"];\n",
							m->state_names[from],
							m->state_names[to], label->str);
			g_string_free (label, TRUE);
		}
	}
	g_string_append (out, "}\n");
}
