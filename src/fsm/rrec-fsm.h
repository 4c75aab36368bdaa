/*
 * rrec-fsm.h — the shape of a compiled state table and the one step
 * function that runs every machine.
 *
 * A machine is data: the table compiler (gen/) turns fsm/NAME.fsm into a
 * constant RrecFsmMachine.  Behaviour lives in that table and in the guard
 * and action functions the runtime binds to it; rrec_fsm_step() is the only
 * place where a machine's state changes.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a row does once its guard holds. */
typedef enum {
	RREC_FSM_ROW_GO = 0,	/* run the actions, move to next */
	RREC_FSM_ROW_IGNORE,	/* declared no-op: nothing runs, state kept */
	RREC_FSM_ROW_REJECT,	/* illegal here: reported, state kept */
} RrecFsmRowKind;

/* A row's condition is a conjunction of guard literals, each encoded as
 * guard << 1 | negate in the machine's lits array; no literal: always. */
typedef struct {
	guint16 first_lit;	/* index into the machine's lits */
	guint8 n_lits;
	guint8 kind;		/* RrecFsmRowKind */
	guint16 next;		/* target state (GO rows; the source state otherwise) */
	guint16 first_action;	/* index into the machine's action lists */
	guint16 n_actions;
	guint16 line;		/* line of the row in fsm/NAME.fsm */
	guint16 first_rule;	/* index into the machine's row_rules */
	guint8 n_rules;		/* the rules the row implements, leading first */
} RrecFsmRow;

/* All rows that apply to one (state, event) pair.  The compiler makes
 * their conditions a case split (exclusive, exhaustive), so the order in
 * which they are tried does not matter. */
typedef struct {
	guint16 first_row;
	guint16 n_rows;
} RrecFsmCell;

typedef struct _RrecFsmBinding RrecFsmBinding;

/*
 * A cell's rows as straight-line code, written by the compiler from the
 * same rows: it chooses the row the generic step chooses (the first whose
 * condition holds; guards are pure, each asked at most once), runs its
 * actions in order (the rules variant tells the binding each run's rule
 * first and NULL after, as the generic step does), then sets *@state to
 * the row's next state (for ignore and reject rows the state they leave)
 * and returns RREC_FSM_CELL_RESULT of the row.  When no condition holds it
 * reports so (rrec_fsm_no_row), leaves *@state and returns
 * RREC_FSM_UNMATCHED.  Cells that behave alike share one function: @cell
 * (state * n_events + event) tells it which one it runs for.
 */
typedef guint32 (*RrecFsmCellFunc) (const RrecFsmBinding *binding,
				    gpointer owner, gconstpointer data,
				    guint cell, guint *state);

/* The step's result (the row's kind) and the row's index within its cell. */
#define RREC_FSM_CELL_RESULT(index, kind) ((guint32) (index) << 8 | (guint32) (kind))
#define RREC_FSM_CELL_STEP(result) ((RrecFsmResult) ((result) & 0xffu))
#define RREC_FSM_CELL_INDEX(result) ((guint) ((result) >> 8))

typedef struct {
	const char *name;		/* "session" */
	const char *source;		/* "fsm/session.fsm" */
	guint16 n_states;
	guint16 n_events;
	guint16 n_guards;
	guint16 n_actions;
	guint16 initial;
	const guint8 *final;		/* n_states flags */
	const char *const *state_names;
	const char *const *event_names;
	const char *const *guard_names;
	const char *const *action_names;
	const RrecFsmCell *cells;	/* n_states * n_events, row-major by state */
	const RrecFsmRow *rows;
	const guint16 *lits;
	const guint16 *action_lists;
	/* Rules of behaviour.md ("R18"): the ones the rows name, and for each
	 * entry of action_lists the rule that run of the action serves (its
	 * own, declared with it, else its row's leading rule). */
	guint16 n_rules;
	const char *const *rule_names;
	const guint16 *row_rules;	/* indices into rule_names */
	const guint16 *action_rules;	/* parallel to action_lists */
	const guint8 *trap;		/* n_states flags: declared `trap` */
	/* One per cell for a binding without a rule function, and one for a
	 * binding with one; or both NULL (a table laid out by hand or in
	 * memory): the step then walks the rows, literals and actions itself. */
	const RrecFsmCellFunc *cell_funcs;
	const RrecFsmCellFunc *cell_funcs_rules;
} RrecFsmMachine;

/* Guards and actions receive the machine's owner and the event's data. */
typedef gboolean (*RrecFsmGuardFunc) (gpointer owner, gconstpointer data);
typedef void (*RrecFsmActionFunc) (gpointer owner, gconstpointer data);
/* Optional: a short label for log lines, e.g. the call's ConnID. */
typedef const char *(*RrecFsmLabelFunc) (gpointer owner);
/* Optional: told, before each action runs, the rule that run serves, and
 * NULL once the row's actions are done: whatever the action hands the
 * host is attributed to it. */
typedef void (*RrecFsmRuleFunc) (gpointer owner, const char *rule);

/* A machine with the functions that give its guards and actions meaning. */
struct _RrecFsmBinding {
	const RrecFsmMachine *machine;
	const RrecFsmGuardFunc *guards;		/* n_guards entries */
	const RrecFsmActionFunc *actions;	/* n_actions entries */
	RrecFsmLabelFunc label;			/* may be NULL */
	RrecFsmRuleFunc rule;			/* may be NULL */
};

typedef enum {
	RREC_FSM_MOVED = 0,	/* a GO row ran (possibly back to the same state) */
	RREC_FSM_IGNORED,	/* an ignore row matched */
	RREC_FSM_REJECTED,	/* a reject row matched: state unchanged */
	RREC_FSM_UNMATCHED,	/* no row's condition held: state unchanged
				 * (a compiled table never allows this) */
	RREC_FSM_INVALID,	/* state or event out of range: state unchanged */
} RrecFsmResult;

const char *rrec_fsm_result_to_string (RrecFsmResult result);

/* Every guard and action of the machine has a function. */
gboolean rrec_fsm_binding_is_complete (const RrecFsmBinding *binding);

/*
 * Feed one event.  Looks up the rows of (*state, event), evaluates their
 * conditions, runs the first matching row's actions in order and then
 * sets *state.  Logs "machine: old --EVENT--> new" at debug level in the
 * log domain "rrec"; rejected, unmatched and invalid events are logged at
 * info level with the machine, state and event names.
 *
 * If @row_out is not NULL it receives the row that matched (or NULL).
 */
RrecFsmResult rrec_fsm_step (const RrecFsmBinding *binding,
			     guint *state,
			     guint event,
			     gpointer owner,
			     gconstpointer data,
			     const RrecFsmRow **row_out);

/* For the compiler's cell code: no row of @cell held for @owner.  Logs it
 * as rrec_fsm_step() logs an unmatched event (critical) and returns
 * RREC_FSM_UNMATCHED. */
guint32 rrec_fsm_no_row (const RrecFsmBinding *binding, gpointer owner,
			 guint cell);

/* Whether the log domain "rrec" shows debug lines (G_MESSAGES_DEBUG or
 * g_log_set_debug_enabled()); read once, and again after
 * rrec_fsm_log_settings_changed(). */
gboolean rrec_fsm_log_wanted (void);
void rrec_fsm_log_settings_changed (void);

static inline const char *
rrec_fsm_state_name (const RrecFsmMachine *m, guint state)
{
	return state < m->n_states ? m->state_names[state] : "(invalid)";
}

/* The rule the @i-th action of @row serves. */
static inline const char *
rrec_fsm_action_rule (const RrecFsmMachine *m, const RrecFsmRow *row, guint i)
{
	return m->rule_names[m->action_rules[row->first_action + i]];
}

static inline const char *
rrec_fsm_event_name (const RrecFsmMachine *m, guint event)
{
	return event < m->n_events ? m->event_names[event] : "(invalid)";
}

G_END_DECLS
