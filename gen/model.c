/*
 * model.c — parse a state table and refuse what is not a sound machine.
 *
 * Parsing works line by line over the tokens of lexer.rl.  A line is a
 * declaration (it starts with a keyword) or a row.  Names may be used
 * before they are declared, so rows are kept as text first and resolved
 * once the whole file is read.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lexer.h"
#include "model.h"

static const char *const decl_words[N_DECL_KINDS] = {
	"state", "event", "guard", "action",
};

static const char *const keywords[] = {
	"machine", "initial", "final", "trap", "states", "events", "guards",
	"actions", "ignore", "reject", "rule", NULL,
};

static gboolean
is_keyword (const char *s)
{
	for (guint i = 0; keywords[i]; i++)
		if (strcmp (s, keywords[i]) == 0)
			return TRUE;
	return FALSE;
}

G_GNUC_PRINTF (3, 4) static void
report (Fsm *fsm, guint line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start (ap, fmt);
	msg = g_strdup_vprintf (fmt, ap);
	va_end (ap);

	char *full = g_strdup_printf ("%s:%u: %s", fsm->source, line, msg);
	g_free (msg);
	/* A row naming several states can show the same fault once per
	 * pair; say it once. */
	if (g_hash_table_add (fsm->reported, full)) {
		fprintf (stderr, "%s\n", full);
		fsm->n_errors++;
	}
}

/* ---- raw rows, before names are resolved ---------------------------- */

typedef struct {
	char *name;
	guint line;
} Name;

typedef struct {
	Name name;
	gboolean negate;
} Lit;

typedef struct {
	guint line;
	GArray *states;		/* Name; NULL = '*' */
	GArray *events;		/* Name; NULL = '*' */
	GArray *cond;		/* Lit: the guards of the condition */
	RowKind kind;
	Name next;
	GArray *actions;	/* Name */
	GArray *rules;		/* Name: "rule R18, R28"; NULL: none */
} RawRow;

/* An action declared with the rule it always serves. */
typedef struct {
	Name action;
	Name rule;
} ActionRule;

typedef struct {
	Name *initial;		/* from 'initial' */
	GArray *finals;		/* Name */
	GArray *traps;		/* Name */
	GPtrArray *rows;	/* RawRow* */
	GArray *action_rules;	/* ActionRule */
} Raw;

static void
names_free (GArray *a)
{
	if (a == NULL)
		return;
	for (guint i = 0; i < a->len; i++)
		g_free (g_array_index (a, Name, i).name);
	g_array_free (a, TRUE);
}

static void
raw_row_free (gpointer p)
{
	RawRow *r = p;

	names_free (r->states);
	names_free (r->events);
	names_free (r->actions);
	names_free (r->rules);
	for (guint i = 0; i < r->cond->len; i++)
		g_free (g_array_index (r->cond, Lit, i).name.name);
	g_array_free (r->cond, TRUE);
	g_free (r->next.name);
	g_free (r);
}

/* ---- parsing -------------------------------------------------------- */

typedef struct {
	Fsm *fsm;
	const Token *tok;
	guint n;
	guint pos;
} Parser;

static const Token *
peek (Parser *p)
{
	return &p->tok[p->pos];
}

static const Token *
next (Parser *p)
{
	const Token *t = &p->tok[p->pos];

	if (t->kind != TOK_NEWLINE)
		p->pos++;
	return t;
}

static void
skip_line (Parser *p)
{
	while (p->tok[p->pos].kind != TOK_NEWLINE)
		p->pos++;
}

static void
unexpected (Parser *p, const Token *t, const char *wanted)
{
	if (t->kind == TOK_BAD)
		report (p->fsm, t->line, "unexpected character '%s', %s expected",
			t->text, wanted);
	else if (t->kind == TOK_IDENT)
		report (p->fsm, t->line, "unexpected '%s', %s expected",
			t->text, wanted);
	else
		report (p->fsm, t->line, "unexpected %s, %s expected",
			token_kind_name (t->kind), wanted);
	skip_line (p);
}

/* A name that is not a keyword. */
static gboolean
parse_name (Parser *p, const char *what, Name *out)
{
	const Token *t = next (p);

	if (t->kind != TOK_IDENT) {
		unexpected (p, t, what);
		return FALSE;
	}
	if (is_keyword (t->text)) {
		report (p->fsm, t->line,
			"'%s' is a reserved word and cannot name a %s",
			t->text, what);
		skip_line (p);
		return FALSE;
	}
	out->name = g_strdup (t->text);
	out->line = t->line;
	return TRUE;
}

/* A rule of behaviour.md: 'R' and digits ("R18"). */
static gboolean
is_rule_id (const char *s)
{
	if (s[0] != 'R' || s[1] == '\0')
		return FALSE;
	for (const char *c = s + 1; *c; c++)
		if (!g_ascii_isdigit (*c))
			return FALSE;
	return TRUE;
}

static gboolean
parse_rule (Parser *p, Name *out)
{
	const Token *t = next (p);

	if (t->kind != TOK_IDENT) {
		unexpected (p, t, "a rule (R1, R2, ...)");
		return FALSE;
	}
	if (!is_rule_id (t->text)) {
		report (p->fsm, t->line,
			"'%s' is not a rule: a rule is 'R' and digits (R18)",
			t->text);
		skip_line (p);
		return FALSE;
	}
	out->name = g_strdup (t->text);
	out->line = t->line;
	return TRUE;
}

/* "rule R1, R2, …": the rules a row implements, the first one leading. */
static gboolean
parse_rules (Parser *p, GArray **out)
{
	GArray *a = g_array_new (FALSE, FALSE, sizeof (Name));

	for (;;) {
		Name n;

		if (!parse_rule (p, &n)) {
			names_free (a);
			return FALSE;
		}
		for (guint i = 0; i < a->len; i++)
			if (strcmp (g_array_index (a, Name, i).name, n.name) == 0)
				report (p->fsm, n.line,
					"rule '%s' named twice in one row", n.name);
		g_array_append_val (a, n);
		if (peek (p)->kind != TOK_COMMA)
			break;
		next (p);
	}
	*out = a;
	return TRUE;
}

static gboolean
is_word (const Token *t, const char *word)
{
	return t->kind == TOK_IDENT && strcmp (t->text, word) == 0;
}

/* "NAME, NAME, …" or "*" (returns TRUE with *out NULL). */
static gboolean
parse_name_list (Parser *p, const char *what, gboolean star_ok, GArray **out)
{
	*out = NULL;
	if (star_ok && peek (p)->kind == TOK_STAR) {
		next (p);
		return TRUE;
	}

	GArray *a = g_array_new (FALSE, FALSE, sizeof (Name));
	for (;;) {
		Name n;

		if (peek (p)->kind == TOK_STAR) {
			report (p->fsm, peek (p)->line,
				"'*' stands alone: it cannot be part of a list of %ss",
				what);
			skip_line (p);
			names_free (a);
			return FALSE;
		}
		if (!parse_name (p, what, &n)) {
			names_free (a);
			return FALSE;
		}
		g_array_append_val (a, n);
		if (peek (p)->kind != TOK_COMMA)
			break;
		next (p);
	}
	*out = a;
	return TRUE;
}

static void
declare (Fsm *fsm, DeclKind kind, const Name *n)
{
	gpointer prev = g_hash_table_lookup (fsm->index[kind], n->name);

	if (prev != NULL) {
		const Decl *d = g_ptr_array_index (fsm->decls[kind],
						   GPOINTER_TO_UINT (prev) - 1);
		report (fsm, n->line, "%s '%s' declared twice (first at line %u)",
			decl_words[kind], n->name, d->line);
		return;
	}
	Decl *d = g_new0 (Decl, 1);
	d->name = g_strdup (n->name);
	d->line = n->line;
	g_ptr_array_add (fsm->decls[kind], d);
	g_hash_table_insert (fsm->index[kind], d->name,
			     GUINT_TO_POINTER (fsm->decls[kind]->len));
}

static void
parse_declaration (Parser *p, Raw *raw, const char *word, guint line)
{
	Fsm *fsm = p->fsm;
	Name n;

	if (strcmp (word, "machine") == 0 || strcmp (word, "initial") == 0) {
		gboolean is_machine = word[0] == 'm';

		if (!parse_name (p, is_machine ? "machine" : "state", &n))
			return;
		if (peek (p)->kind != TOK_NEWLINE) {
			g_free (n.name);
			unexpected (p, peek (p), "end of line");
			return;
		}
		if (is_machine) {
			if (fsm->name) {
				report (fsm, line,
					"machine named twice (first at line %u)",
					fsm->name_line);
				g_free (n.name);
			} else {
				fsm->name = n.name;
				fsm->name_line = line;
			}
		} else if (raw->initial) {
			report (fsm, line,
				"initial state given twice (first at line %u)",
				raw->initial->line);
			g_free (n.name);
		} else {
			raw->initial = g_memdup2 (&n, sizeof n);
		}
		return;
	}

	/* Lists: "states a b c", one or more names per line, repeatable. */
	GArray *target = NULL;
	DeclKind kind = N_DECL_KINDS;
	const char *what = "state";

	if (strcmp (word, "final") == 0)
		target = raw->finals;
	else if (strcmp (word, "trap") == 0)
		target = raw->traps;
	else if (strcmp (word, "states") == 0)
		kind = DECL_STATE;
	else if (strcmp (word, "events") == 0)
		kind = DECL_EVENT, what = "event";
	else if (strcmp (word, "guards") == 0)
		kind = DECL_GUARD, what = "guard";
	else
		kind = DECL_ACTION, what = "action";

	if (peek (p)->kind == TOK_NEWLINE) {
		report (fsm, line, "'%s' needs at least one name", word);
		return;
	}
	guint first_action = raw->action_rules->len;
	while (peek (p)->kind != TOK_NEWLINE) {
		if (peek (p)->kind == TOK_COMMA) {
			next (p);
			continue;
		}
		/* "actions a b rule R28": a and b always serve R28 */
		if (kind == DECL_ACTION && is_word (peek (p), "rule")) {
			const Token *w = next (p);
			Name rule;

			if (raw->action_rules->len == first_action) {
				report (fsm, w->line, "'rule' needs the actions it "
					"applies to before it");
				skip_line (p);
				return;
			}
			if (!parse_rule (p, &rule))
				return;
			if (peek (p)->kind != TOK_NEWLINE) {
				g_free (rule.name);
				unexpected (p, peek (p), "end of line: the actions "
					    "of a line serve one rule");
				return;
			}
			for (guint i = first_action; i < raw->action_rules->len; i++) {
				ActionRule *ar = &g_array_index (raw->action_rules,
								 ActionRule, i);
				ar->rule.name = g_strdup (rule.name);
				ar->rule.line = rule.line;
			}
			g_free (rule.name);
			return;
		}
		if (!parse_name (p, what, &n))
			return;
		if (kind == DECL_ACTION) {
			ActionRule ar = { { g_strdup (n.name), n.line }, { NULL, 0 } };
			g_array_append_val (raw->action_rules, ar);
		}
		if (target) {
			g_array_append_val (target, n);
		} else {
			declare (fsm, kind, &n);
			g_free (n.name);
		}
	}
}

/* STATES EVENTS [ [ [!]GUARD & … ] ] ( -> NEXT [/ ACTION, …] | ignore | reject ) */
static void
parse_row (Parser *p, Raw *raw)
{
	RawRow *r = g_new0 (RawRow, 1);
	const Token *t;

	r->line = peek (p)->line;
	r->cond = g_array_new (FALSE, FALSE, sizeof (Lit));
	if (!parse_name_list (p, "state", TRUE, &r->states) ||
	    !parse_name_list (p, "event", TRUE, &r->events))
		goto fail;

	/* [guard & !guard …] */
	if (peek (p)->kind == TOK_LBRACKET) {
		next (p);
		for (;;) {
			Lit lit = { { NULL, 0 }, FALSE };

			if (peek (p)->kind == TOK_BANG) {
				next (p);
				lit.negate = TRUE;
			}
			if (!parse_name (p, "guard", &lit.name))
				goto fail;
			g_array_append_val (r->cond, lit);
			t = next (p);
			if (t->kind == TOK_RBRACKET)
				break;
			if (t->kind != TOK_AND) {
				unexpected (p, t, "'&' or ']'");
				goto fail;
			}
		}
	}

	t = next (p);
	if (t->kind == TOK_IDENT && strcmp (t->text, "ignore") == 0) {
		r->kind = ROW_IGNORE;
	} else if (t->kind == TOK_IDENT && strcmp (t->text, "reject") == 0) {
		r->kind = ROW_REJECT;
	} else if (t->kind == TOK_ARROW) {
		r->kind = ROW_GO;
		if (!parse_name (p, "state", &r->next))
			goto fail;
		if (peek (p)->kind == TOK_SLASH) {
			next (p);
			if (!parse_name_list (p, "action", FALSE, &r->actions))
				goto fail;
		}
	} else {
		unexpected (p, t, "'->', 'ignore' or 'reject'");
		goto fail;
	}
	if (is_word (peek (p), "rule")) {
		next (p);
		if (!parse_rules (p, &r->rules))
			goto fail;
	}

	if (peek (p)->kind != TOK_NEWLINE) {
		unexpected (p, peek (p), "end of line");
		goto fail;
	}
	g_ptr_array_add (raw->rows, r);
	return;
fail:
	raw_row_free (r);
}

static void
parse (Fsm *fsm, Raw *raw, GArray *tokens)
{
	Parser p = { fsm, (const Token *) tokens->data, tokens->len, 0 };

	while (p.pos < p.n) {
		const Token *t = peek (&p);

		if (t->kind == TOK_NEWLINE) {
			p.pos++;
			continue;
		}
		if (is_word (t, "rule")) {
			report (fsm, t->line, "'rule' ends a row or an 'actions' "
				"line: it cannot start one");
		} else if (t->kind == TOK_IDENT && is_keyword (t->text) &&
		    strcmp (t->text, "ignore") != 0 &&
		    strcmp (t->text, "reject") != 0) {
			next (&p);
			parse_declaration (&p, raw, t->text, t->line);
		} else if (t->kind == TOK_IDENT || t->kind == TOK_STAR) {
			parse_row (&p, raw);
		} else {
			unexpected (&p, t, "a declaration or a row");
		}
		/* after an error the parser is at the line's end */
		skip_line (&p);
	}
}

/* ---- resolving names ------------------------------------------------ */

static gint
lookup (Fsm *fsm, DeclKind kind, const Name *n)
{
	gpointer v = g_hash_table_lookup (fsm->index[kind], n->name);

	if (v == NULL) {
		report (fsm, n->line, "unknown %s '%s'", decl_words[kind],
			n->name);
		return -1;
	}
	Decl *d = g_ptr_array_index (fsm->decls[kind],
				     GPOINTER_TO_UINT (v) - 1);
	d->used = TRUE;
	return (gint) GPOINTER_TO_UINT (v) - 1;
}

static GArray *
resolve_list (Fsm *fsm, DeclKind kind, GArray *names, gboolean *ok)
{
	if (names == NULL)
		return NULL;

	GArray *a = g_array_new (FALSE, FALSE, sizeof (guint));
	for (guint i = 0; i < names->len; i++) {
		const Name *n = &g_array_index (names, Name, i);
		gint idx = lookup (fsm, kind, n);

		if (idx < 0) {
			*ok = FALSE;
			continue;
		}
		for (guint j = 0; j < a->len; j++)
			if (g_array_index (a, guint, j) == (guint) idx)
				report (fsm, n->line, "%s '%s' named twice in one row",
					decl_words[kind], n->name);
		guint u = idx;
		g_array_append_val (a, u);
	}
	return a;
}

static void
row_free (gpointer p)
{
	Row *r = p;

	if (r->states)
		g_array_free (r->states, TRUE);
	if (r->events)
		g_array_free (r->events, TRUE);
	if (r->actions)
		g_array_free (r->actions, TRUE);
	if (r->lits)
		g_array_free (r->lits, TRUE);
	if (r->rules)
		g_ptr_array_free (r->rules, TRUE);
	g_free (r);
}

static void
resolve (Fsm *fsm, Raw *raw)
{
	guint ns = fsm_n (fsm, DECL_STATE);

	if (fsm->name == NULL)
		report (fsm, 1, "no 'machine' line: the table must name its machine");
	if (ns == 0)
		report (fsm, 1, "no 'states' line: the table declares no state");
	if (fsm_n (fsm, DECL_EVENT) == 0)
		report (fsm, 1, "no 'events' line: the table declares no event");

	fsm->final = g_new0 (guint8, MAX (ns, 1));
	fsm->trap = g_new0 (guint8, MAX (ns, 1));
	fsm->initial = -1;
	if (raw->initial == NULL) {
		report (fsm, 1, "no 'initial' line: the table needs an initial state");
	} else {
		fsm->initial = lookup (fsm, DECL_STATE, raw->initial);
		fsm->initial_line = raw->initial->line;
	}
	if (raw->finals->len == 0)
		report (fsm, 1, "no 'final' line: the table needs a final state");
	for (guint i = 0; i < raw->finals->len; i++) {
		gint s = lookup (fsm, DECL_STATE,
				 &g_array_index (raw->finals, Name, i));
		if (s >= 0)
			fsm->final[s] = 1;
	}
	for (guint i = 0; i < raw->traps->len; i++) {
		const Name *n = &g_array_index (raw->traps, Name, i);
		gint s = lookup (fsm, DECL_STATE, n);

		if (s >= 0 && fsm->final[s])
			report (fsm, n->line, "final state '%s' cannot be a trap",
				n->name);
		else if (s >= 0)
			fsm->trap[s] = 1;
	}

	for (guint i = 0; i < raw->action_rules->len; i++) {
		const ActionRule *ar = &g_array_index (raw->action_rules,
						       ActionRule, i);
		gpointer v = g_hash_table_lookup (fsm->index[DECL_ACTION],
						  ar->action.name);
		Decl *d;

		if (ar->rule.name == NULL || v == NULL)
			continue;
		d = g_ptr_array_index (fsm->decls[DECL_ACTION],
				       GPOINTER_TO_UINT (v) - 1);
		if (d->rule == NULL)
			d->rule = g_strdup (ar->rule.name);
	}

	for (guint i = 0; i < raw->rows->len; i++) {
		RawRow *rr = g_ptr_array_index (raw->rows, i);
		Row *r = g_new0 (Row, 1);
		gboolean ok = TRUE;

		r->line = rr->line;
		r->kind = rr->kind;
		r->lits = g_array_new (FALSE, FALSE, sizeof (gint));
		r->next = -1;
		r->states = resolve_list (fsm, DECL_STATE, rr->states, &ok);
		r->events = resolve_list (fsm, DECL_EVENT, rr->events, &ok);
		for (guint k = 0; k < rr->cond->len; k++) {
			const Lit *l = &g_array_index (rr->cond, Lit, k);
			gint g = lookup (fsm, DECL_GUARD, &l->name);

			if (g < 0) {
				ok = FALSE;
				continue;
			}
			gint lit = l->negate ? -(g + 1) : g + 1;
			for (guint j = 0; j < r->lits->len; j++) {
				gint o = g_array_index (r->lits, gint, j);
				if (o == lit || o == -lit)
					report (fsm, l->name.line,
						o == lit ? "guard '%s' named twice in one condition" :
						"the condition can never hold: it needs "
						"guard '%s' both true and false",
						l->name.name);
			}
			g_array_append_val (r->lits, lit);
		}
		if (rr->kind == ROW_GO) {
			r->next = lookup (fsm, DECL_STATE, &rr->next);
			ok = ok && r->next >= 0;
			r->actions = resolve_list (fsm, DECL_ACTION, rr->actions,
						   &ok);
		}
		if (!r->actions)
			r->actions = g_array_new (FALSE, FALSE, sizeof (guint));
		r->rules = g_ptr_array_new_with_free_func (g_free);
		for (guint k = 0; rr->rules && k < rr->rules->len; k++)
			g_ptr_array_add (r->rules, g_strdup (
				g_array_index (rr->rules, Name, k).name));
		/* every action is attributed to a rule (fsm/README.md) */
		if (r->actions->len > 0 && r->rules->len == 0) {
			report (fsm, rr->line, "the row runs actions but names no "
				"rule: end it with 'rule R…'");
			ok = FALSE;
		}
		if (ok)
			g_ptr_array_add (fsm->rows, r);
		else
			row_free (r);
	}
}

/* ---- chains and paths ----------------------------------------------- */

static gboolean
list_has (const GArray *a, guint v)
{
	if (a == NULL)
		return TRUE;	/* wildcard */
	for (guint i = 0; i < a->len; i++)
		if (g_array_index (a, guint, i) == v)
			return TRUE;
	return FALSE;
}

/*
 * Precedence, most specific first: 0 = STATE EVENT, 1 = STATE *,
 * 2 = * EVENT, 3 = * *.  A row that names the state says more about it than
 * one that names only the event.  The rows of the most specific level that
 * has any for a pair form its whole chain; less specific rows never mix in.
 */
static guint
row_level (const Row *r)
{
	return (r->states == NULL ? 2 : 0) + (r->events == NULL ? 1 : 0);
}

static gboolean
same_outcome (const Row *a, const Row *b)
{
	if (a->kind != b->kind || a->next != b->next ||
	    a->actions->len != b->actions->len)
		return FALSE;
	for (guint i = 0; i < a->actions->len; i++)
		if (g_array_index (a->actions, guint, i) !=
		    g_array_index (b->actions, guint, i))
			return FALSE;
	return TRUE;
}

static gboolean
has_lit (const GArray *lits, gint lit)
{
	for (guint i = 0; i < lits->len; i++)
		if (g_array_index (lits, gint, i) == lit)
			return TRUE;
	return FALSE;
}

/* Two conditions can hold at once unless one needs a guard the other
 * forbids. */
static gboolean
overlap (const GArray *a, const GArray *b)
{
	for (guint i = 0; i < a->len; i++)
		if (has_lit (b, -g_array_index (a, gint, i)))
			return FALSE;
	return TRUE;
}

static gboolean
same_condition (const GArray *a, const GArray *b)
{
	if (a->len != b->len)
		return FALSE;
	for (guint i = 0; i < a->len; i++)
		if (!has_lit (b, g_array_index (a, gint, i)))
			return FALSE;
	return TRUE;
}

static void
append_condition (GString *s, const Fsm *fsm, const GArray *lits)
{
	for (guint i = 0; i < lits->len; i++) {
		gint l = g_array_index (lits, gint, i);
		g_string_append_printf (s, "%s%s%s", i ? " & " : "",
					l < 0 ? "!" : "",
					fsm_decl (fsm, DECL_GUARD, ABS (l) - 1)->name);
	}
}

/* The line where a row for state @s belongs: after its last row. */
static guint state_line (const Fsm *fsm, guint s);

#define MAX_SPLIT_GUARDS 12

/*
 * The rows of one pair form a case split: their conditions must never hold
 * together, and together they must cover every combination of the guards
 * they name.  So rows do not depend on their order, and removing any row
 * leaves a case that the compiler names.
 */
static void
check_chain (Fsm *fsm, guint s, guint e)
{
	GArray *chain = fsm->chains[s * fsm_n (fsm, DECL_EVENT) + e];
	const char *sn = fsm_decl (fsm, DECL_STATE, s)->name;
	const char *en = fsm_decl (fsm, DECL_EVENT, e)->name;
	g_autoptr (GArray) guards = g_array_new (FALSE, FALSE, sizeof (gint));
	gboolean clash = FALSE;

	for (guint i = 0; i < chain->len; i++) {
		const Row *r = fsm_row (fsm, g_array_index (chain, guint, i));

		for (guint k = 0; k < r->lits->len; k++) {
			gint g = ABS (g_array_index (r->lits, gint, k)) - 1;
			gboolean known = FALSE;
			for (guint j = 0; j < guards->len; j++)
				known = known || g_array_index (guards, gint, j) == g;
			if (!known)
				g_array_append_val (guards, g);
		}
		for (guint j = 0; j < i; j++) {
			const Row *q = fsm_row (fsm, g_array_index (chain, guint, j));
			GString *when;

			if (same_condition (q->lits, r->lits)) {
				report (fsm, r->line, same_outcome (q, r) ?
					"duplicate row for %s %s (same as line %u)" :
					"conflicting rows for %s %s: line %u already "
					"decides this case differently", sn, en, q->line);
				clash = TRUE;
				continue;
			}
			if (!overlap (q->lits, r->lits))
				continue;
			when = g_string_new (NULL);
			append_condition (when, fsm, q->lits);
			if (q->lits->len && r->lits->len)
				g_string_append (when, " & ");
			append_condition (when, fsm, r->lits);
			report (fsm, r->line,
				"conflicting rows for %s %s: this row and line %u "
				"both apply%s%s", sn, en, q->line,
				when->len ? " when " : " always", when->str);
			g_string_free (when, TRUE);
			clash = TRUE;
		}
	}
	if (clash || chain->len == 0)
		return;
	if (guards->len > MAX_SPLIT_GUARDS) {
		report (fsm, fsm_row (fsm, g_array_index (chain, guint, 0))->line,
			"%s %s: a case split may name at most %d guards", sn, en,
			MAX_SPLIT_GUARDS);
		return;
	}

	/* Every combination of the guards must meet exactly one row (none
	 * can meet two: the rows do not overlap). */
	for (guint bits = 0; bits < (1u << guards->len); bits++) {
		gboolean met = FALSE;

		for (guint i = 0; i < chain->len && !met; i++) {
			const Row *r = fsm_row (fsm, g_array_index (chain, guint, i));
			gboolean holds = TRUE;

			for (guint k = 0; k < r->lits->len && holds; k++) {
				gint l = g_array_index (r->lits, gint, k);
				for (guint j = 0; j < guards->len; j++)
					if (g_array_index (guards, gint, j) == ABS (l) - 1)
						holds = ((bits >> j) & 1) == (l > 0);
			}
			met = holds;
		}
		if (met)
			continue;

		g_autoptr (GArray) lits = g_array_new (FALSE, FALSE, sizeof (gint));
		for (guint j = 0; j < guards->len; j++) {
			gint g = g_array_index (guards, gint, j) + 1;
			gint l = (bits >> j) & 1 ? g : -g;
			g_array_append_val (lits, l);
		}
		GString *when = g_string_new (NULL);
		append_condition (when, fsm, lits);
		report (fsm, state_line (fsm, s),
			"no row covers state '%s' with event '%s' when %s",
			sn, en, when->str);
		g_string_free (when, TRUE);
		return;
	}
}

static guint
state_line (const Fsm *fsm, guint s)
{
	guint line = fsm_decl (fsm, DECL_STATE, s)->line;

	for (guint i = 0; i < fsm->rows->len; i++) {
		const Row *r = fsm_row (fsm, i);
		if (r->states && list_has (r->states, s))
			line = r->line;
	}
	return line;
}

static void
build_chains (Fsm *fsm)
{
	guint ns = fsm_n (fsm, DECL_STATE), ne = fsm_n (fsm, DECL_EVENT);

	fsm->chains = g_new0 (GArray *, ns * ne);
	for (guint s = 0; s < ns; s++) {
		for (guint e = 0; e < ne; e++) {
			GArray *chain = g_array_new (FALSE, FALSE, sizeof (guint));

			for (guint level = 0; level < 4 && chain->len == 0; level++)
				for (guint i = 0; i < fsm->rows->len; i++) {
					const Row *r = fsm_row (fsm, i);
					if (row_level (r) == level &&
					    list_has (r->states, s) &&
					    list_has (r->events, e))
						g_array_append_val (chain, i);
				}
			fsm->chains[s * ne + e] = chain;
			if (chain->len == 0)
				report (fsm, state_line (fsm, s),
					"no row covers state '%s' with event '%s'",
					fsm_decl (fsm, DECL_STATE, s)->name,
					fsm_decl (fsm, DECL_EVENT, e)->name);
			check_chain (fsm, s, e);
		}
	}
}

/* ---- graph checks --------------------------------------------------- */

/* edges[s] lists the targets of GO rows that can fire in state s. */
static GArray **
edges_new (const Fsm *fsm)
{
	guint ns = fsm_n (fsm, DECL_STATE), ne = fsm_n (fsm, DECL_EVENT);
	GArray **edges = g_new0 (GArray *, ns);

	for (guint s = 0; s < ns; s++) {
		edges[s] = g_array_new (FALSE, FALSE, sizeof (guint));
		for (guint e = 0; e < ne; e++) {
			GArray *chain = fsm->chains[s * ne + e];
			for (guint k = 0; k < chain->len; k++) {
				const Row *r = fsm_row (fsm, g_array_index (chain, guint, k));
				if (r->kind == ROW_GO) {
					guint t = r->next;
					g_array_append_val (edges[s], t);
				}
			}
		}
	}
	return edges;
}

static void
check_graph (Fsm *fsm)
{
	guint ns = fsm_n (fsm, DECL_STATE);
	GArray **edges = edges_new (fsm);
	guint8 *seen = g_new0 (guint8, ns);
	guint8 *live = g_new0 (guint8, ns);
	guint *queue = g_new (guint, ns);
	guint head = 0, tail = 0;

	/* forward from the initial state */
	seen[fsm->initial] = 1;
	queue[tail++] = fsm->initial;
	while (head < tail) {
		guint s = queue[head++];
		for (guint i = 0; i < edges[s]->len; i++) {
			guint t = g_array_index (edges[s], guint, i);
			if (!seen[t]) {
				seen[t] = 1;
				queue[tail++] = t;
			}
		}
	}

	/* backward from the final states, to a fixed point */
	for (guint s = 0; s < ns; s++)
		live[s] = fsm->final[s];
	for (gboolean changed = TRUE; changed;) {
		changed = FALSE;
		for (guint s = 0; s < ns; s++) {
			for (guint i = 0; !live[s] && i < edges[s]->len; i++) {
				if (live[g_array_index (edges[s], guint, i)]) {
					live[s] = 1;
					changed = TRUE;
				}
			}
		}
	}

	for (guint s = 0; s < ns; s++) {
		const Decl *d = fsm_decl (fsm, DECL_STATE, s);

		if (!seen[s])
			report (fsm, d->line,
				"state '%s' is unreachable from the initial state '%s'",
				d->name, fsm_decl (fsm, DECL_STATE, fsm->initial)->name);
		else if (!live[s] && !fsm->trap[s])
			report (fsm, d->line,
				"no final state can be reached from state '%s' "
				"(declare it with 'trap' if that is meant)", d->name);
		else if (live[s] && fsm->trap[s])
			report (fsm, d->line,
				"state '%s' is declared a trap but a final state "
				"can be reached from it", d->name);
	}

	for (guint s = 0; s < ns; s++)
		g_array_free (edges[s], TRUE);
	g_free (edges);
	g_free (seen);
	g_free (live);
	g_free (queue);
}

static void
check_unused (Fsm *fsm)
{
	for (guint k = 0; k < N_DECL_KINDS; k++) {
		for (guint i = 0; i < fsm_n (fsm, k); i++) {
			const Decl *d = fsm_decl (fsm, k, i);
			if (!d->used)
				report (fsm, d->line,
					"%s '%s' is declared but no row uses it",
					decl_words[k], d->name);
		}
	}
}

static void
check_limits (Fsm *fsm)
{
	/* The runtime stores indices in 16 bits; a condition's literal keeps
	 * a guard in 15 of them. */
	for (guint k = 0; k < N_DECL_KINDS; k++)
		if (fsm_n (fsm, k) >= (k == DECL_GUARD ? 0x7fffu : 0xffffu))
			report (fsm, 1, "too many %ss (at most %u)", decl_words[k],
				k == DECL_GUARD ? 0x7ffeu : 0xfffeu);
	if (fsm->rows->len >= 0xffff)
		report (fsm, 1, "too many rows (at most 65534)");
	for (guint i = 0; i < fsm->rows->len; i++)
		if (fsm_row (fsm, i)->rules->len > 0xff)
			report (fsm, fsm_row (fsm, i)->line,
				"too many rules in one row (at most 255)");
}

/* The machine is named after its file: fsm/session.fsm is "session". */
static void
check_file_name (Fsm *fsm, const char *path)
{
	g_autofree char *base = g_path_get_basename (path);
	char *dot = strrchr (base, '.');

	if (dot)
		*dot = '\0';
	if (strcmp (base, fsm->name) != 0)
		report (fsm, fsm->name_line,
			"machine '%s' must live in a file named %s.fsm",
			fsm->name, fsm->name);
}

/* ---- entry points --------------------------------------------------- */

const char *
fsm_action_rule (const Fsm *fsm, const Row *r, guint action)
{
	const Decl *d = fsm_decl (fsm, DECL_ACTION, action);

	if (d->rule)
		return d->rule;
	return r->rules && r->rules->len ? g_ptr_array_index (r->rules, 0) : NULL;
}

Fsm *
fsm_compile (const char *source, const char *path, const char *text,
	     gsize len)
{
	Fsm *fsm = g_new0 (Fsm, 1);
	Raw raw = { 0 };

	fsm->source = source;
	fsm->reported = g_hash_table_new_full (g_str_hash, g_str_equal,
					       g_free, NULL);
	for (guint k = 0; k < N_DECL_KINDS; k++) {
		fsm->decls[k] = g_ptr_array_new ();
		fsm->index[k] = g_hash_table_new (g_str_hash, g_str_equal);
	}
	fsm->rows = g_ptr_array_new_with_free_func (row_free);
	raw.finals = g_array_new (FALSE, FALSE, sizeof (Name));
	raw.traps = g_array_new (FALSE, FALSE, sizeof (Name));
	raw.rows = g_ptr_array_new_with_free_func (raw_row_free);
	raw.action_rules = g_array_new (FALSE, FALSE, sizeof (ActionRule));

	if (memchr (text, '\0', len) != NULL) {
		report (fsm, 1, "the table contains a NUL byte");
		goto out;
	}

	GArray *tokens = lexer_scan (text, len);
	parse (fsm, &raw, tokens);
	lexer_free (tokens);
	if (fsm->n_errors > 0)
		goto out;

	resolve (fsm, &raw);
	if (fsm->n_errors > 0)
		goto out;

	check_file_name (fsm, path);

	check_limits (fsm);
	if (fsm->n_errors > 0)
		goto out;
	build_chains (fsm);
	check_unused (fsm);
	if (fsm->n_errors == 0)
		check_graph (fsm);
out:
	names_free (raw.finals);
	names_free (raw.traps);
	g_ptr_array_free (raw.rows, TRUE);
	for (guint i = 0; i < raw.action_rules->len; i++) {
		ActionRule *ar = &g_array_index (raw.action_rules, ActionRule, i);
		g_free (ar->action.name);
		g_free (ar->rule.name);
	}
	g_array_free (raw.action_rules, TRUE);
	if (raw.initial) {
		g_free (raw.initial->name);
		g_free (raw.initial);
	}
	return fsm;
}

void
fsm_free (Fsm *fsm)
{
	guint cells = fsm->chains ? fsm_n (fsm, DECL_STATE) *
					    fsm_n (fsm, DECL_EVENT) : 0;

	for (guint i = 0; i < cells; i++) {
		g_array_free (fsm->chains[i], TRUE);
	}
	g_free (fsm->chains);
	for (guint k = 0; k < N_DECL_KINDS; k++) {
		for (guint i = 0; i < fsm->decls[k]->len; i++) {
			Decl *d = g_ptr_array_index (fsm->decls[k], i);
			g_free (d->name);
			g_free (d->rule);
			g_free (d);
		}
		g_ptr_array_free (fsm->decls[k], TRUE);
		g_hash_table_destroy (fsm->index[k]);
	}
	g_ptr_array_free (fsm->rows, TRUE);
	g_hash_table_destroy (fsm->reported);
	g_free (fsm->final);
	g_free (fsm->trap);
	g_free (fsm->name);
	g_free (fsm);
}
