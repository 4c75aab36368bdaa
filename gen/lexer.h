/*
 * lexer.h — tokens of the state-table language (fsm/README.md).
 */
#pragma once

#include <glib.h>

typedef enum {
	TOK_IDENT,	/* a name: letters, digits and '_' */
	TOK_STAR,	/* '*' wildcard */
	TOK_ARROW,	/* '->' */
	TOK_SLASH,	/* '/' */
	TOK_COMMA,	/* ',' */
	TOK_LBRACKET,	/* '[' */
	TOK_RBRACKET,	/* ']' */
	TOK_BANG,	/* '!' */
	TOK_AND,	/* '&' */
	TOK_NEWLINE,	/* end of a line (comments are dropped before it) */
	TOK_BAD,	/* a character the language does not use */
} TokKind;

typedef struct {
	TokKind kind;
	guint line;
	char *text;	/* TOK_IDENT and TOK_BAD: the characters */
} Token;

/* Splits @text into tokens.  Always succeeds: characters outside the
 * language become TOK_BAD tokens that the parser reports with their line.
 * The array's elements own their text; free it with lexer_free(). */
GArray *lexer_scan (const char *text, gsize len);
void lexer_free (GArray *tokens);
const char *token_kind_name (TokKind kind);
