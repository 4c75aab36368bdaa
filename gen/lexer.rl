/*
 * lexer.rl — the Ragel scanner of the state-table language.
 *
 * A longest-match scanner: names, the punctuation of rows, comments to the
 * end of the line, and line ends (which end a declaration or a row).
 */
#include <string.h>

#include "lexer.h"

%%{
	machine fsm_lexer;
	alphtype unsigned char;

	action newline { line++; }

	ident = [A-Za-z_] [A-Za-z0-9_]*;
	comment = '#' [^\n]*;
	blank = [ \t\r\f\v]+;

	main := |*
		ident => { push (tokens, TOK_IDENT, line, ts, te); };
		'*' => { push (tokens, TOK_STAR, line, NULL, NULL); };
		'->' => { push (tokens, TOK_ARROW, line, NULL, NULL); };
		'/' => { push (tokens, TOK_SLASH, line, NULL, NULL); };
		',' => { push (tokens, TOK_COMMA, line, NULL, NULL); };
		'[' => { push (tokens, TOK_LBRACKET, line, NULL, NULL); };
		']' => { push (tokens, TOK_RBRACKET, line, NULL, NULL); };
		'!' => { push (tokens, TOK_BANG, line, NULL, NULL); };
		'&' => { push (tokens, TOK_AND, line, NULL, NULL); };
		'\n' => { push (tokens, TOK_NEWLINE, line, NULL, NULL); line++; };
		comment;
		blank;
		any => { push (tokens, TOK_BAD, line, ts, te); };
	*|;
}%%

%% write data nofinal noerror noentry;

static void
push (GArray *tokens, TokKind kind, guint line, const unsigned char *ts,
      const unsigned char *te)
{
	Token t = { kind, line, NULL };

	if (ts != NULL)
		t.text = g_strndup ((const char *) ts, te - ts);
	g_array_append_val (tokens, t);
}

GArray *
lexer_scan (const char *text, gsize len)
{
	GArray *tokens = g_array_new (FALSE, FALSE, sizeof (Token));
	const unsigned char *p = (const unsigned char *) text;
	const unsigned char *pe = p + len;
	const unsigned char *eof = pe;
	const unsigned char *ts, *te;
	int cs, act;
	guint line = 1;

	(void) act;
	%% write init;
	%% write exec;

	/* A file that does not end in a newline still ends its last line. */
	push (tokens, TOK_NEWLINE, line, NULL, NULL);
	return tokens;
}

void
lexer_free (GArray *tokens)
{
	for (guint i = 0; i < tokens->len; i++)
		g_free (g_array_index (tokens, Token, i).text);
	g_array_free (tokens, TRUE);
}

const char *
token_kind_name (TokKind kind)
{
	switch (kind) {
	case TOK_IDENT:
		return "name";
	case TOK_STAR:
		return "'*'";
	case TOK_ARROW:
		return "'->'";
	case TOK_SLASH:
		return "'/'";
	case TOK_COMMA:
		return "','";
	case TOK_LBRACKET:
		return "'['";
	case TOK_RBRACKET:
		return "']'";
	case TOK_BANG:
		return "'!'";
	case TOK_AND:
		return "'&'";
	case TOK_NEWLINE:
		return "end of line";
	case TOK_BAD:
		return "character";
	}
	return "token";
}
