/* gls-po.c: a gettext PO or POT file, its messages and where they are
 *
 * Copyright 2026 The Glossa authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gls-po"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <gettext-po.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>

#include "gls-po.h"
#include "gls-po-private.h"

/* gettext's page width: msgcat wraps string lines at this column. */
#define PAGE_WIDTH 79

/* What separates the flags of a `#,` line, for libgettextpo
 * (po_parse_comment_special): commas and spaces alike. */
#define FLAG_SEPARATORS ", \t\r\f\v"

/* Errors kept from one libgettextpo call (garbage can make thousands). */
#define MAX_PROBLEMS 64

typedef struct
{
  gsize  byte_start;  /* the first opening quote; G_MAXSIZE: no such part */
  gsize  byte_end;    /* after the last closing quote */
  gint64 start;       /* the same, in code points */
  gint64 end;
} Span;

/* Comment lines gls_po_apply may rewrite or read: `#,` flags (kind ','),
 * `#:` references (':'), the `#` of a `#|` previous line ('|'). */
typedef struct
{
  gsize start;
  gsize end;  /* a comment's end, before its line end */
  char  kind;
} Mark;

struct _GlsPoMessage
{
  const char         *msgctxt;
  const char         *msgid;
  const char         *msgid_plural;
  const char * const *msgstr;
  const char         *comments;
  const char         *extracted;
  const char * const *references;
  const char * const *flags;
  const Span         *str;          /* a span per form; NULL without spans */
  guint               n_forms;
  guint               line;
  guint               fuzzy : 1;
  guint               obsolete : 1;
  guint               untranslated : 1;
  Span                entry;
  Span                ctxt;
  Span                id;
  Span                id_plural;
  guint               first_mark;   /* into marks */
  guint               n_marks;
  /* While building: where the arrays above will be. */
  guint               msgstr_at;
  guint               references_at;
  guint               flags_at;
  guint               str_at;
};

struct _GlsPoFile
{
  GObject        parent_instance;

  char          *text;
  gsize          length;
  GlsTextIndex  *index;
  GStringChunk  *strings;
  GPtrArray     *pointers;  /* the messages' string arrays */
  GArray        *spans;     /* Span: the messages' msgstr spans */
  GArray        *marks;     /* Mark */
  GlsPoMessage  *messages;
  guint          n_messages;
  GHashTable    *by_source; /* GlsPoMessage (msgctxt, msgid) → index */
  const char    *header;
  const char    *language;
  guint          nplurals;
  gboolean       is_template;
  gboolean       has_spans;
  gsize          cursor_byte;    /* while building: byte_to_offset's */
  gint64         cursor_offset;
  /* Under po_lock, made when first needed: per plural form, TRUE when
   * the form serves a single number (may drop the number's directive). */
  gboolean      *single_forms;
  guint          n_single_forms;
};

G_DEFINE_FINAL_TYPE (GlsPoFile, gls_po_file, G_TYPE_OBJECT)

static void
gls_po_file_finalize (GObject *object)
{
  GlsPoFile *self = GLS_PO_FILE (object);

  g_clear_pointer (&self->by_source, g_hash_table_unref);
  g_clear_pointer (&self->messages, g_free);
  g_clear_pointer (&self->pointers, g_ptr_array_unref);
  g_clear_pointer (&self->spans, g_array_unref);
  g_clear_pointer (&self->marks, g_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->index, gls_text_index_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->single_forms, g_free);

  G_OBJECT_CLASS (gls_po_file_parent_class)->finalize (object);
}

static void
gls_po_file_class_init (GlsPoFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gls_po_file_finalize;
}

static void
gls_po_file_init (GlsPoFile *self)
{
  self->strings = g_string_chunk_new (4096);
  self->pointers = g_ptr_array_new ();
  self->spans = g_array_new (FALSE, FALSE, sizeof (Span));
  self->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  self->header = "";
}

static guint
line_of_byte (const char *text,
              gsize       byte)
{
  guint line = 1;
  const char *p = text;
  const char *end = text + byte;

  while (p < end && (p = memchr (p, '\n', end - p)) != NULL)
    {
      line++;
      p++;
    }
  return line;
}

/* libgettextpo
 *
 * It keeps global state (its error handler, the lexer) and is not
 * thread-safe: every call holds po_lock. Its error handler must not
 * return from a PO_SEVERITY_FATAL_ERROR (the default one calls exit()),
 * so ours jumps back to the call with siglongjmp. With our handler a
 * fatal error is not expected at all: po_file_read raises one only when
 * error_message_count is positive after the parse, which it resets and
 * which only the default handler increments; the rest (iconv failures)
 * needs a charset other than UTF-8, which we refuse before reading. If
 * one ever comes, that call's memory and descriptor are lost: better
 * than the process. */

typedef struct
{
  char         *text;
  gsize         line;     /* (size_t) -1: none */
  po_message_t  message;  /* NULL: none */
} PoProblem;

typedef struct
{
  GArray     *problems;   /* PoProblem, the first MAX_PROBLEMS */
  guint       n_problems;
  gboolean    fatal;
  po_file_t   file;
  sigjmp_buf  jump;
} PoCall;

static GMutex po_lock;
static PoCall *po_call;  /* the call in progress, under po_lock */

static void
clear_problem (gpointer data)
{
  PoProblem *problem = data;

  g_free (problem->text);
}

static void
record_problem (po_message_t  message,
                const char   *filename,
                size_t        lineno,
                const char   *text)
{
  PoCall *call = po_call;
  PoProblem problem;

  g_assert (call != NULL);
  call->n_problems++;
  if (call->problems->len >= MAX_PROBLEMS)
    return;
  problem.text = g_strstrip (g_strdup (text != NULL ? text : ""));
  problem.line = filename != NULL ? lineno : (size_t) -1;
  problem.message = message;
  g_array_append_val (call->problems, problem);
}

static void
po_xerror_cb (int           severity,
              po_message_t  message,
              const char   *filename,
              size_t        lineno,
              size_t        column,
              int           multiline_p,
              const char   *message_text)
{
  if (severity == PO_SEVERITY_WARNING)
    return;
  record_problem (message, filename, lineno, message_text);
  if (severity == PO_SEVERITY_FATAL_ERROR)
    {
      po_call->fatal = TRUE;
      siglongjmp (po_call->jump, 1);
    }
}

static void
po_xerror2_cb (int           severity,
               po_message_t  message1,
               const char   *filename1,
               size_t        lineno1,
               size_t        column1,
               int           multiline_p1,
               const char   *message_text1,
               po_message_t  message2,
               const char   *filename2,
               size_t        lineno2,
               size_t        column2,
               int           multiline_p2,
               const char   *message_text2)
{
  po_xerror_cb (severity, message1, filename1, lineno1, column1,
                multiline_p1, message_text1);
}

static const struct po_xerror_handler po_handler = {
  po_xerror_cb,
  po_xerror2_cb,
};

static void
po_call_free (PoCall *call)
{
  g_array_unref (call->problems);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PoCall, po_call_free)

typedef void (*PoWork) (PoCall   *call,
                        gpointer  data);

/* Runs @work under po_lock with our handler's way back from a fatal
 * error; the call's problems are the caller's to read and free. */
static PoCall *
po_run (PoWork   work,
        gpointer data)
{
  PoCall *volatile call = g_new0 (PoCall, 1);

  call->problems = g_array_new (FALSE, FALSE, sizeof (PoProblem));
  g_array_set_clear_func (call->problems, clear_problem);
  g_mutex_lock (&po_lock);
  po_call = call;
  if (sigsetjmp (call->jump, 0) == 0)
    work (call, data);
  po_call = NULL;
  g_mutex_unlock (&po_lock);
  return call;
}

static const PoProblem *
po_call_first_problem (PoCall *call)
{
  if (call->problems->len == 0)
    return NULL;
  return &g_array_index (call->problems, PoProblem, 0);
}

static void
raise_fatal (PoCall   *call,
             gpointer  data)
{
  po_xerror_cb (PO_SEVERITY_FATAL_ERROR, NULL, "test.po", 3, 1, FALSE, "a fatal error");
  /* Not reached: the handler does not return. */
  call->n_problems = 0;
}

gboolean
_gls_po_test_fatal_error (void)
{
  g_autoptr(PoCall) call = po_run (raise_fatal, NULL);
  const PoProblem *problem = po_call_first_problem (call);

  return call->fatal && call->n_problems == 1 && problem != NULL && problem->line == 3;
}

/* The scanner: where things are
 *
 * It reads the PO syntax as libgettextpo's lexer does (po-lex.c):
 * tokens, not lines; a backslash before a line end joins the lines
 * anywhere; `#~` makes the rest of its line obsolete, `#|` previous;
 * escapes \n \t \b \r \f \v \a \\ \" octal and \x hexadecimal (a
 * byte each). It only has to be right for files libgettextpo accepts;
 * for anything else it may give up (no spans), never guess. */

typedef struct
{
  const char *p;
  gsize       n;
  gsize       pos;
  guint       line;
} Reader;

static inline int
rd_peek (Reader *r)
{
  while (r->pos + 1 < r->n && r->p[r->pos] == '\\' && r->p[r->pos + 1] == '\n')
    {
      r->pos += 2;
      r->line++;
    }
  return r->pos < r->n ? (guchar) r->p[r->pos] : -1;
}

static inline int
rd_next (Reader *r)
{
  int c = rd_peek (r);

  if (c >= 0)
    {
      r->pos++;
      if (c == '\n')
        r->line++;
    }
  return c;
}

typedef enum
{
  LIT_CHAR,
  LIT_END,
  LIT_ERROR,
} LitStep;

static inline int
hex_value (int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return c - 'A' + 10;
}

/* Inside a string literal: the next character or escape, read from *ts
 * to r->pos, making out[0..*n). LIT_END after the closing quote. */
static LitStep
lit_step (Reader *r,
          gsize  *ts,
          guchar  out[4],
          guint  *n)
{
  int c = rd_peek (r);
  guint value;

  *ts = r->pos;
  if (c < 0 || c == '\n')
    return LIT_ERROR;
  r->pos++;
  if (c == '"')
    return LIT_END;
  if (c != '\\')
    {
      guint len = c < 0x80 ? 1 : (guint) g_utf8_skip[c];

      /* The text is valid UTF-8: the sequence is whole. */
      out[0] = c;
      for (guint i = 1; i < len; i++)
        out[i] = r->p[r->pos++];
      *n = len;
      return LIT_CHAR;
    }

  c = rd_next (r);
  switch (c)
    {
    case 'n': value = '\n'; break;
    case 't': value = '\t'; break;
    case 'b': value = '\b'; break;
    case 'r': value = '\r'; break;
    case 'f': value = '\f'; break;
    case 'v': value = '\v'; break;
    case 'a': value = '\a'; break;
    case '\\':
    case '"':
      value = c;
      break;
    case '0': case '1': case '2': case '3':
    case '4': case '5': case '6': case '7':
      value = c - '0';
      for (guint i = 1; i < 3; i++)
        {
          int d = rd_peek (r);

          if (d < '0' || d > '7')
            break;
          r->pos++;
          value = value * 8 + (d - '0');
        }
      break;
    case 'x':
      c = rd_peek (r);
      if (c < 0 || !g_ascii_isxdigit (c))
        return LIT_ERROR;
      value = 0;
      while (c >= 0 && g_ascii_isxdigit (c))
        {
          r->pos++;
          value = (value * 16 + hex_value (c)) & 0xFF;
          c = rd_peek (r);
        }
      break;
    default:
      return LIT_ERROR;
    }
  out[0] = value & 0xFF;
  *n = 1;
  return LIT_CHAR;
}

typedef enum
{
  TOK_EOF,
  TOK_COMMENT,
  TOK_STRING,
  TOK_KEYWORD,
  TOK_LBRACKET,
  TOK_RBRACKET,
  TOK_NUMBER,
  TOK_ERROR,
} TokenKind;

typedef enum
{
  KW_DOMAIN,
  KW_MSGCTXT,
  KW_MSGID,
  KW_MSGID_PLURAL,
  KW_MSGSTR,
} Keyword;

typedef struct
{
  TokenKind kind;
  gsize     start;
  gsize     end;
  guint     line;
  gboolean  obsolete;
  gboolean  previous;
  gsize     mark;      /* previous: where its line's `#|` or `#~|` is */
  Keyword   keyword;
  char      comment;   /* the character after '#' */
  guint64   number;
  gboolean  has_nul;   /* a string with an escape that makes a NUL */
  gboolean  open_string; /* an error: a string that a line end cuts */
} Token;

typedef struct
{
  Reader    r;
  gboolean  obsolete;  /* on a #~ line */
  gboolean  previous;  /* on a #| line */
  gsize     mark;      /* the '#' of that line's `#|` or `#~|` */
  GString  *value;     /* a string token's value */
} Lexer;

static gboolean
is_keyword_char (int c)
{
  return (c >= 0 && c < 0x80 && (g_ascii_isalnum (c) || c == '_' || c == '$'));
}

static void
lex_next (Lexer *lx,
          Token *tok)
{
  Reader *r = &lx->r;
  int c;

  memset (tok, 0, sizeof *tok);
  for (;;)
    {
      c = rd_peek (r);
      tok->start = r->pos;
      tok->line = r->line;
      tok->obsolete = lx->obsolete;
      tok->previous = lx->previous;
      tok->mark = lx->mark;
      if (c < 0)
        {
          tok->kind = TOK_EOF;
          return;
        }
      if (c == '\n')
        {
          rd_next (r);
          lx->obsolete = FALSE;
          lx->previous = FALSE;
          continue;
        }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
        {
          rd_next (r);
          continue;
        }
      break;
    }

  if (c == '#')
    {
      gsize hash = tok->start;

      rd_next (r);
      c = rd_peek (r);
      if (c == '~')
        {
          rd_next (r);
          lx->obsolete = TRUE;
          c = rd_peek (r);
          if (c != '|')
            {
              lex_next (lx, tok);
              /* An obsolete entry starts at its "#~". */
              if (tok->kind == TOK_KEYWORD)
                tok->start = hash;
              return;
            }
        }
      if (c == '|')
        {
          /* Not a token: the rest of the line is previous (an empty
           * `#|` line is nothing at all, as for libgettextpo). */
          rd_next (r);
          lx->previous = TRUE;
          lx->mark = hash;
          lex_next (lx, tok);
          return;
        }
      tok->kind = TOK_COMMENT;
      tok->comment = c > 0 && c != '\n' ? c : ' ';
      /* To the line end, one that a backslash joins to the next aside:
       * read character by character, any backslash before a line end
       * is reached, so it always joins. */
      for (;;)
        {
          const char *nl = memchr (r->p + r->pos, '\n', r->n - r->pos);

          if (nl == NULL)
            {
              r->pos = r->n;
              break;
            }
          r->pos = nl - r->p;
          if (r->pos == 0 || r->p[r->pos - 1] != '\\')
            break;
          r->pos++;
          r->line++;
        }
      tok->end = r->pos;
      return;
    }

  if (c == '"')
    {
      gsize ts;
      guchar out[4];
      guint n;

      rd_next (r);
      g_string_truncate (lx->value, 0);
      for (;;)
        {
          const char *run = r->p + r->pos;
          const char *run_end = run;
          LitStep step;

          /* Plain characters at once. */
          while (run_end < r->p + r->n && *run_end != '"' && *run_end != '\\' && *run_end != '\n')
            run_end++;
          if (run_end > run)
            {
              g_string_append_len (lx->value, run, run_end - run);
              r->pos += run_end - run;
            }
          step = lit_step (r, &ts, out, &n);

          if (step == LIT_END)
            break;
          if (step == LIT_ERROR)
            {
              int next = rd_peek (r);

              tok->kind = TOK_ERROR;
              tok->open_string = next < 0 || next == '\n';
              return;
            }
          if (n == 1 && out[0] == '\0')
            tok->has_nul = TRUE;
          g_string_append_len (lx->value, (const char *) out, n);
        }
      tok->kind = TOK_STRING;
      tok->end = r->pos;
      return;
    }

  if (c < 0x80 && (g_ascii_isalpha (c) || c == '_' || c == '$'))
    {
      char word[16];
      guint len = 0;

      while (is_keyword_char (c = rd_peek (r)))
        {
          if (len < sizeof word - 1)
            word[len] = c;
          len++;
          rd_next (r);
        }
      word[MIN (len, sizeof word - 1)] = '\0';
      tok->end = r->pos;
      tok->kind = TOK_KEYWORD;
      if (len >= sizeof word - 1)
        tok->kind = TOK_ERROR;
      else if (strcmp (word, "domain") == 0)
        tok->keyword = KW_DOMAIN;
      else if (strcmp (word, "msgctxt") == 0)
        tok->keyword = KW_MSGCTXT;
      else if (strcmp (word, "msgid") == 0)
        tok->keyword = KW_MSGID;
      else if (strcmp (word, "msgid_plural") == 0)
        tok->keyword = KW_MSGID_PLURAL;
      else if (strcmp (word, "msgstr") == 0)
        tok->keyword = KW_MSGSTR;
      else
        tok->kind = TOK_ERROR;
      return;
    }

  if (c >= '0' && c <= '9')
    {
      while ((c = rd_peek (r)) >= '0' && c <= '9')
        {
          if (tok->number < G_MAXUINT32)
            tok->number = tok->number * 10 + (c - '0');
          rd_next (r);
        }
      tok->kind = TOK_NUMBER;
      tok->end = r->pos;
      return;
    }

  rd_next (r);
  tok->end = r->pos;
  if (c == '[')
    tok->kind = TOK_LBRACKET;
  else if (c == ']')
    tok->kind = TOK_RBRACKET;
  else
    tok->kind = TOK_ERROR;
}

typedef struct
{
  gsize       start;      /* the first opening quote; G_MAXSIZE: none yet */
  gsize       end;
  const char *value;
  gsize       value_len;
} ScanPart;

typedef struct
{
  gsize       start;
  gsize       end;
  guint       line;       /* of the msgid keyword */
  gboolean    obsolete;
  gboolean    has_ctxt;
  gboolean    has_id;
  gboolean    has_plural;
  const char *domain;
  ScanPart    ctxt;
  ScanPart    id;
  ScanPart    id_plural;
  guint       str_at;     /* into Scan.strs */
  guint       n_str;
  guint       mark_at;    /* into Scan.marks */
  guint       n_marks;
} ScanEntry;

typedef struct
{
  GArray       *entries;  /* ScanEntry */
  GArray       *strs;     /* ScanPart */
  GArray       *marks;    /* Mark */
  GStringChunk *chunk;
  gboolean      failed;
  guint         nul_line; /* the first string with a NUL escape, or 0 */
  guint         open_string_line; /* where a string a line end cuts starts */
} Scan;

static void
scan_clear (Scan *scan)
{
  g_clear_pointer (&scan->entries, g_array_unref);
  g_clear_pointer (&scan->strs, g_array_unref);
  g_clear_pointer (&scan->marks, g_array_unref);
  g_clear_pointer (&scan->chunk, g_string_chunk_free);
}

typedef enum
{
  PART_NONE,
  PART_CTXT,
  PART_ID,
  PART_PLURAL,
  PART_STR,
} PartKind;

static ScanPart *
scan_part (Scan      *scan,
           ScanEntry *entry,
           PartKind   kind)
{
  switch (kind)
    {
    case PART_CTXT:
      return &entry->ctxt;
    case PART_ID:
      return &entry->id;
    case PART_PLURAL:
      return &entry->id_plural;
    case PART_STR:
      return &g_array_index (scan->strs, ScanPart, scan->strs->len - 1);
    case PART_NONE:
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

static void
scan_text (Scan       *scan,
           const char *text,
           gsize       length)
{
  g_autoptr(GString) value = g_string_new (NULL);
  g_autoptr(GString) acc = g_string_new (NULL);
  Lexer lx = { { text, length, 0, 1 }, FALSE, FALSE, G_MAXSIZE, value };
  ScanEntry cur = { 0 };
  ScanPart empty_part = { G_MAXSIZE, 0, NULL, 0 };
  gboolean open = FALSE;
  PartKind part = PART_NONE;
  gsize pending = G_MAXSIZE;
  gsize last_previous = G_MAXSIZE;
  guint marks_assigned = 0;
  const char *domain = "messages";
  Token tok;

  scan->entries = g_array_new (FALSE, FALSE, sizeof (ScanEntry));
  scan->strs = g_array_new (FALSE, FALSE, sizeof (ScanPart));
  scan->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  scan->chunk = g_string_chunk_new (4096);

#define FAIL() G_STMT_START { scan->failed = TRUE; return; } G_STMT_END
#define CLOSE_PART() G_STMT_START {                                       \
    if (part != PART_NONE)                                                \
      {                                                                   \
        ScanPart *p_ = scan_part (scan, &cur, part);                      \
        if (p_->start == G_MAXSIZE)                                       \
          FAIL ();                                                        \
        p_->value = g_string_chunk_insert_len (scan->chunk, acc->str,     \
                                               acc->len);                 \
        p_->value_len = acc->len;                                         \
        cur.end = p_->end;                                                \
        part = PART_NONE;                                                 \
      }                                                                   \
  } G_STMT_END
#define FINISH() G_STMT_START {                                           \
    if (open)                                                             \
      {                                                                   \
        if (!cur.has_id || cur.n_str == 0)                                \
          FAIL ();                                                        \
        g_array_append_val (scan->entries, cur);                          \
        open = FALSE;                                                     \
      }                                                                   \
  } G_STMT_END
#define START(tok_) G_STMT_START {                                        \
    memset (&cur, 0, sizeof cur);                                         \
    cur.start = pending != G_MAXSIZE ? pending : (tok_)->start;           \
    cur.domain = domain;                                                  \
    cur.ctxt = cur.id = cur.id_plural = empty_part;                       \
    cur.str_at = scan->strs->len;                                         \
    cur.mark_at = marks_assigned;                                         \
    cur.n_marks = scan->marks->len - marks_assigned;                      \
    marks_assigned = scan->marks->len;                                    \
    pending = G_MAXSIZE;                                                  \
    open = TRUE;                                                          \
  } G_STMT_END

  for (;;)
    {
      lex_next (&lx, &tok);
      if (tok.kind == TOK_ERROR)
        {
          if (tok.open_string)
            scan->open_string_line = tok.line;
          FAIL ();
        }

      if (tok.kind == TOK_STRING && !tok.previous)
        {
          ScanPart *p;

          if (!open || part == PART_NONE)
            FAIL ();
          p = scan_part (scan, &cur, part);
          if (p->start == G_MAXSIZE)
            p->start = tok.start;
          p->end = tok.end;
          g_string_append_len (acc, value->str, value->len);
          if (tok.has_nul && scan->nul_line == 0)
            scan->nul_line = tok.line;
          continue;
        }

      CLOSE_PART ();
      g_string_truncate (acc, 0);

      if (tok.kind == TOK_EOF)
        {
          FINISH ();
          break;
        }

      if (tok.kind == TOK_COMMENT || tok.previous)
        {
          FINISH ();
          if (pending == G_MAXSIZE)
            pending = tok.previous ? tok.mark : tok.start;
          if (tok.previous && tok.mark != last_previous)
            {
              Mark mark = { tok.mark, tok.mark, '|' };

              g_array_append_val (scan->marks, mark);
              last_previous = tok.mark;
            }
          else if (!tok.previous && (tok.comment == ',' || tok.comment == ':'))
            {
              Mark mark = { tok.start, tok.end, tok.comment };

              g_array_append_val (scan->marks, mark);
            }
          continue;
        }

      if (tok.kind != TOK_KEYWORD)
        FAIL ();

      switch (tok.keyword)
        {
        case KW_DOMAIN:
          FINISH ();
          lex_next (&lx, &tok);
          if (tok.kind != TOK_STRING || tok.previous)
            FAIL ();
          domain = g_string_chunk_insert_const (scan->chunk, value->str);
          break;

        case KW_MSGCTXT:
          FINISH ();
          START (&tok);
          cur.has_ctxt = TRUE;
          part = PART_CTXT;
          break;

        case KW_MSGID:
          if (!(open && cur.has_ctxt && !cur.has_id))
            {
              FINISH ();
              START (&tok);
            }
          cur.has_id = TRUE;
          cur.line = tok.line;
          cur.obsolete = tok.obsolete;
          part = PART_ID;
          break;

        case KW_MSGID_PLURAL:
          if (!open || !cur.has_id || cur.has_plural || cur.n_str > 0)
            FAIL ();
          cur.has_plural = TRUE;
          part = PART_PLURAL;
          break;

        case KW_MSGSTR:
          if (!open || !cur.has_id)
            FAIL ();
          if (cur.has_plural)
            {
              lex_next (&lx, &tok);
              if (tok.kind != TOK_LBRACKET || tok.previous)
                FAIL ();
              lex_next (&lx, &tok);
              if (tok.kind != TOK_NUMBER || tok.previous || tok.number != cur.n_str)
                FAIL ();
              lex_next (&lx, &tok);
              if (tok.kind != TOK_RBRACKET || tok.previous)
                FAIL ();
            }
          else if (cur.n_str > 0)
            FAIL ();
          g_array_append_val (scan->strs, empty_part);
          cur.n_str++;
          part = PART_STR;
          break;

        default:
          FAIL ();
        }
    }

#undef FAIL
#undef CLOSE_PART
#undef FINISH
#undef START
}

/* Walking a string part, character by character */

typedef struct
{
  Reader   r;
  gsize    end;
  gboolean in_literal;
} Walk;

static void
walk_init (Walk       *w,
           const char *text,
           gsize       length,
           const Span *span)
{
  w->r.p = text;
  w->r.n = length;
  w->r.pos = span->byte_start;
  w->r.line = 0;
  w->end = span->byte_end;
  w->in_literal = FALSE;
}

/* The next character or escape of the value, [*ts, *te) in the text,
 * whose first byte is *first. FALSE at the end of the part. */
static gboolean
walk_next (Walk   *w,
           gsize  *ts,
           gsize  *te,
           guchar *first)
{
  for (;;)
    {
      guchar out[4];
      guint n;

      if (!w->in_literal)
        {
          const char *q;

          if (w->r.pos >= w->end)
            return FALSE;
          /* Between the literals of a part: spaces, line ends, `#~`. */
          q = memchr (w->r.p + w->r.pos, '"', w->end - w->r.pos);
          if (q == NULL)
            return FALSE;
          w->r.pos = q - w->r.p + 1;
          w->in_literal = TRUE;
        }
      switch (lit_step (&w->r, ts, out, &n))
        {
        case LIT_CHAR:
          *te = w->r.pos;
          *first = out[0];
          return TRUE;
        case LIT_END:
          w->in_literal = FALSE;
          break;
        case LIT_ERROR:
        default:
          /* The scanner read this part: not reached. */
          return FALSE;
        }
    }
}

static inline gboolean
is_lead_byte (guchar c)
{
  return (c & 0xC0) != 0x80;
}

/* The header */

/* A field's value in a header (NULL when absent), newly allocated. */
static char *
header_field (const char *header,
              const char *field)
{
  gsize field_len = strlen (field);
  const char *line = header;

  while (line != NULL && *line != '\0')
    {
      const char *eol = strchr (line, '\n');

      if (g_ascii_strncasecmp (line, field, field_len) == 0 && line[field_len] == ':')
        {
          const char *value = line + field_len + 1;
          gsize len = eol != NULL ? (gsize) (eol - value) : strlen (value);

          return g_strstrip (g_strndup (value, len));
        }
      line = eol != NULL ? eol + 1 : NULL;
    }
  return NULL;
}

/* The charset a header's Content-Type names, or NULL. */
static char *
header_charset (const char *header)
{
  g_autofree char *type = header_field (header, "Content-Type");
  const char *p;
  gsize len;

  if (type == NULL || (p = strstr (type, "charset=")) == NULL)
    return NULL;
  p += strlen ("charset=");
  len = strcspn (p, " \t;");
  return g_strndup (p, len);
}

static gboolean
check_charset (const char  *header,
               guint        line,
               gboolean    *is_template,
               GError     **error)
{
  g_autofree char *charset = header_charset (header);

  if (charset == NULL || *charset == '\0'
      || g_ascii_strcasecmp (charset, "UTF-8") == 0
      || g_ascii_strcasecmp (charset, "UTF8") == 0)
    return TRUE;
  if (strcmp (charset, "CHARSET") == 0)
    {
      if (is_template != NULL)
        *is_template = TRUE;
      return TRUE;
    }
  if (line > 0)
    g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED,
                 /* Translators: %s is a charset like ISO-8859-1 */
                 _("Line %u: the file says it is in %s; Glossa opens PO files in UTF-8 only (msgconv --to-code=UTF-8 converts it)"),
                 line, charset);
  else
    g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED,
                 _("The file says it is in %s; Glossa opens PO files in UTF-8 only (msgconv --to-code=UTF-8 converts it)"),
                 charset);
  return FALSE;
}

static guint
parse_nplurals (const char *header)
{
  g_autofree char *forms = header_field (header, "Plural-Forms");
  const char *p;
  guint64 value = 0;

  if (forms == NULL || (p = strstr (forms, "nplurals")) == NULL)
    return 0;
  p += strlen ("nplurals");
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != '=')
    return 0;
  p++;
  while (*p == ' ' || *p == '\t')
    p++;
  while (g_ascii_isdigit (*p) && value < 1000)
    value = value * 10 + (*p++ - '0');
  return value < 1000 ? (guint) value : 0;
}

/* Parsing */

static gboolean
is_header (po_message_t message)
{
  return po_message_msgctxt (message) == NULL
         && *po_message_msgid (message) == '\0'
         && !po_message_is_obsolete (message);
}

static gboolean
same_value (const char     *lib,
            const ScanPart *part)
{
  if (lib == NULL)
    return part->start == G_MAXSIZE;
  if (part->start == G_MAXSIZE)
    return FALSE;
  return strlen (lib) == part->value_len
         && memcmp (lib, part->value, part->value_len) == 0;
}

static gboolean
entry_matches (Scan            *scan,
               const ScanEntry *entry,
               po_message_t     message,
               const char      *header)
{
  const char *plural = po_message_msgid_plural (message);

  if (!same_value (po_message_msgctxt (message), &entry->ctxt)
      || !same_value (po_message_msgid (message), &entry->id)
      || !same_value (plural, &entry->id_plural)
      || !entry->obsolete != !po_message_is_obsolete (message))
    return FALSE;

  if (plural == NULL)
    return entry->n_str == 1
           && same_value (header != NULL && is_header (message) ? header : po_message_msgstr (message),
                          &g_array_index (scan->strs, ScanPart, entry->str_at));
  for (guint i = 0; i < entry->n_str; i++)
    {
      const char *form = po_message_msgstr_plural (message, i);

      if (form == NULL
          || !same_value (form, &g_array_index (scan->strs, ScanPart, entry->str_at + i)))
        return FALSE;
    }
  return po_message_msgstr_plural (message, entry->n_str) == NULL;
}

/* A comment libgettextpo gives (lines ending in '\n'), without the '\r'
 * of CRLF files. */
static const char *
intern_comment (GlsPoFile  *self,
                const char *comment)
{
  g_autoptr(GString) clean = NULL;

  if (comment == NULL || *comment == '\0')
    return "";
  if (strchr (comment, '\r') == NULL)
    return g_string_chunk_insert_const (self->strings, comment);
  clean = g_string_new (NULL);
  for (const char *p = comment; *p != '\0'; p++)
    if (!(p[0] == '\r' && (p[1] == '\n' || p[1] == '\0')))
      g_string_append_c (clean, *p);
  return g_string_chunk_insert (self->strings, clean->str);
}

/* po_message_comments and po_message_extracted_comments return a new
 * string each time unless it is "" (gettext-po.c: "FIXME: memory
 * leak"); libgettextpo allocated it with malloc. */
static const char *
take_comment (GlsPoFile  *self,
              const char *comment)
{
  const char *interned = intern_comment (self, comment);

  if (comment != NULL && *comment != '\0')
    free ((char *) comment);
  return interned;
}

/* Spans come in file order: count on from the last one. */
static gint64
byte_to_offset (GlsPoFile *self,
                gsize      byte)
{
  if (byte < self->cursor_byte)
    return gls_text_index_to_offset (self->index, byte);
  self->cursor_offset += g_utf8_strlen (self->text + self->cursor_byte, byte - self->cursor_byte);
  self->cursor_byte = byte;
  return self->cursor_offset;
}

static void
span_from_bytes (GlsPoFile *self,
                 Span      *span,
                 gsize      start,
                 gsize      end)
{
  span->byte_start = start;
  span->byte_end = end;
  if (start == G_MAXSIZE)
    {
      span->start = span->end = -1;
      return;
    }
  span->start = byte_to_offset (self, start);
  span->end = byte_to_offset (self, end);
}

/* A comment's text after its two marker characters ("#,", "#:"), as
 * libgettextpo reads it: without backslash-newline pairs. */
static char *
comment_body (const char *text,
              gsize       length,
              const Mark *mark)
{
  Reader r = { text, MIN (length, mark->end), mark->start, 0 };
  GString *body = g_string_new (NULL);
  int c;

  rd_next (&r);
  rd_next (&r);
  while ((c = rd_next (&r)) >= 0)
    g_string_append_c (body, c);
  return g_string_free (body, FALSE);
}

/* Words of a comment's text, split at @separators, into self->pointers. */
static void
add_words (GlsPoFile   *self,
           const Mark  *mark,
           const char  *separators)
{
  g_autofree char *body = comment_body (self->text, self->length, mark);
  g_auto(GStrv) words = g_strsplit_set (body, separators, -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_strstrip (words[i]);
      if (*words[i] != '\0')
        g_ptr_array_add (self->pointers,
                         g_string_chunk_insert_const (self->strings, words[i]));
    }
}

static void
build_message (GlsPoFile       *self,
               GlsPoMessage    *msg,
               po_message_t     message,
               Scan            *scan,
               const ScanEntry *entry)
{
  const char *ctxt = po_message_msgctxt (message);
  const char *plural = po_message_msgid_plural (message);
  po_filepos_t pos;

  memset (msg, 0, sizeof *msg);
  msg->msgctxt = ctxt != NULL ? g_string_chunk_insert (self->strings, ctxt) : NULL;
  msg->msgid = g_string_chunk_insert (self->strings, po_message_msgid (message));
  msg->msgid_plural = plural != NULL ? g_string_chunk_insert (self->strings, plural) : NULL;
  msg->fuzzy = po_message_is_fuzzy (message) != 0;
  msg->obsolete = po_message_is_obsolete (message) != 0;

  msg->msgstr_at = self->pointers->len;
  if (plural == NULL)
    {
      const char *str = po_message_msgstr (message);

      g_ptr_array_add (self->pointers, g_string_chunk_insert (self->strings, str));
      msg->n_forms = 1;
      msg->untranslated = *str == '\0';
    }
  else
    {
      const char *form;

      while ((form = po_message_msgstr_plural (message, msg->n_forms)) != NULL)
        {
          g_ptr_array_add (self->pointers, g_string_chunk_insert (self->strings, form));
          msg->n_forms++;
          if (*form == '\0')
            msg->untranslated = TRUE;
        }
      if (msg->n_forms == 0)
        {
          /* Not from a file libgettextpo accepts; keep the API's promise. */
          g_ptr_array_add (self->pointers, (gpointer) "");
          msg->n_forms = 1;
          msg->untranslated = TRUE;
        }
    }

  msg->comments = take_comment (self, po_message_comments (message));
  msg->extracted = take_comment (self, po_message_extracted_comments (message));

  msg->entry = msg->ctxt = msg->id = msg->id_plural = (Span) { G_MAXSIZE, 0, -1, -1 };
  if (entry != NULL)
    {
      msg->line = entry->line;
      /* In file order, for byte_to_offset: the entry's end comes last. */
      msg->entry.byte_start = entry->start;
      msg->entry.start = byte_to_offset (self, entry->start);
      span_from_bytes (self, &msg->ctxt, entry->ctxt.start, entry->ctxt.end);
      span_from_bytes (self, &msg->id, entry->id.start, entry->id.end);
      span_from_bytes (self, &msg->id_plural, entry->id_plural.start, entry->id_plural.end);
      msg->str_at = self->spans->len;
      for (guint i = 0; i < entry->n_str; i++)
        {
          const ScanPart *part = &g_array_index (scan->strs, ScanPart, entry->str_at + i);
          Span span;

          span_from_bytes (self, &span, part->start, part->end);
          g_array_append_val (self->spans, span);
        }
      msg->entry.byte_end = entry->end;
      msg->entry.end = byte_to_offset (self, entry->end);
      msg->first_mark = self->marks->len;
      msg->n_marks = entry->n_marks;
      if (entry->n_marks > 0)
        g_array_append_vals (self->marks,
                             &g_array_index (scan->marks, Mark, entry->mark_at),
                             entry->n_marks);
    }

  /* References and flags as written when the scanner read them (the
   * library keeps a CRLF file's '\r' in file names); else its own. */
  msg->references_at = self->pointers->len;
  if (entry != NULL)
    {
      for (guint i = 0; i < entry->n_marks; i++)
        {
          const Mark *mark = &g_array_index (scan->marks, Mark, entry->mark_at + i);

          if (mark->kind == ':')
            add_words (self, mark, " \t\r");
        }
    }
  else
    {
      for (int i = 0; (pos = po_message_filepos (message, i)) != NULL; i++)
        {
          g_autofree char *name = g_strdup (po_filepos_file (pos));
          size_t line = po_filepos_start_line (pos);
          g_autofree char *ref = NULL;

          g_strstrip (name);
          ref = line != (size_t) -1 ? g_strdup_printf ("%s:%zu", name, line) : g_strdup (name);
          g_ptr_array_add (self->pointers, g_string_chunk_insert (self->strings, ref));
        }
    }
  g_ptr_array_add (self->pointers, NULL);

  msg->flags_at = self->pointers->len;
  if (entry != NULL)
    {
      for (guint i = 0; i < entry->n_marks; i++)
        {
          const Mark *mark = &g_array_index (scan->marks, Mark, entry->mark_at + i);

          if (mark->kind == ',')
            add_words (self, mark, FLAG_SEPARATORS);
        }
    }
  else
    {
      const char * const *formats = po_format_list ();

      if (msg->fuzzy)
        g_ptr_array_add (self->pointers, (gpointer) "fuzzy");
      for (guint i = 0; formats[i] != NULL; i++)
        if (po_message_is_format (message, formats[i]))
          g_ptr_array_add (self->pointers,
                           g_string_chunk_insert_const (self->strings, formats[i]));
    }
  g_ptr_array_add (self->pointers, NULL);
}

/* A problem libgettextpo found after reading, on one of our messages. */
typedef struct
{
  gint   index;  /* -1: not on a message (the header) */
  gsize  line;
  char  *text;
} CheckProblem;

static void
clear_check_problem (gpointer data)
{
  CheckProblem *problem = data;

  g_free (problem->text);
}

typedef struct
{
  GlsPoFile  *self;
  Scan       *scan;
  const char *path;
  gboolean    check;
  GArray     *checked;   /* CheckProblem, with check */
  gboolean    read_failed;
  guint       read_problems;
  char       *header;    /* the library's header entry */
  const char *swapped_charset;  /* the header's, written as CHARSET */
} ReadJob;

static guint
count_charsets (const char *header)
{
  guint n = 0;

  for (const char *p = header; (p = strstr (p, "charset=")) != NULL; p++)
    n++;
  return n;
}

/* A header read from the copy, with the charset the file has. */
static char *
header_with_charset (const char *header,
                     const char *charset)
{
  const char *at;

  if (charset == NULL || (at = strstr (header, "charset=CHARSET")) == NULL)
    return g_strdup (header);
  return g_strdup_printf ("%.*scharset=%s%s", (int) (at - header), header, charset,
                          at + strlen ("charset=CHARSET"));
}

/* Under po_lock: reads the file, pairs its messages with the scanner's
 * entries, builds self->messages. */
static void
read_locked (PoCall   *call,
             gpointer  data)
{
  ReadJob *job = data;
  GlsPoFile *self = job->self;
  Scan *scan = job->scan;
  const char * const *domains;
  g_autoptr(GPtrArray) lib = g_ptr_array_new ();        /* po_message_t */
  g_autoptr(GPtrArray) lib_domains = g_ptr_array_new (); /* its domain */
  g_autoptr(GHashTable) by_domain = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) pairs = NULL;  /* guint: for each scanner entry, its lib index */
  g_autoptr(GHashTable) index_of = NULL;
  gboolean paired = !scan->failed;
  guint n;

  call->file = po_file_read (job->path, &po_handler);
  job->read_problems = call->n_problems;
  if (call->file == NULL)
    {
      job->read_failed = TRUE;
      return;
    }

  domains = po_file_domains (call->file);
  for (guint d = 0; domains[d] != NULL; d++)
    {
      po_message_iterator_t it = po_message_iterator (call->file, domains[d]);
      GArray *list = g_array_new (FALSE, FALSE, sizeof (guint));
      po_message_t message;

      while ((message = po_next_message (it)) != NULL)
        {
          guint at = lib->len;

          g_ptr_array_add (lib, message);
          g_ptr_array_add (lib_domains, (gpointer) domains[d]);
          g_array_append_val (list, at);
          if (job->header == NULL && is_header (message))
            job->header = header_with_charset (po_message_msgstr (message),
                                               job->swapped_charset);
        }
      po_message_iterator_free (it);
      g_hash_table_insert (by_domain, (gpointer) domains[d], list);
    }

  /* Pair: the scanner's entries of each domain with the library's, in
   * order. */
  if (paired)
    {
      g_autoptr(GHashTable) cursor = g_hash_table_new (g_str_hash, g_str_equal);
      GHashTableIter iter;
      gpointer key, value;

      pairs = g_array_sized_new (FALSE, FALSE, sizeof (guint), scan->entries->len);
      for (guint i = 0; paired && i < scan->entries->len; i++)
        {
          const ScanEntry *entry = &g_array_index (scan->entries, ScanEntry, i);
          GArray *list = g_hash_table_lookup (by_domain, entry->domain);
          guint at = GPOINTER_TO_UINT (g_hash_table_lookup (cursor, entry->domain));
          guint lib_index;

          if (list == NULL || at >= list->len)
            {
              paired = FALSE;
              break;
            }
          lib_index = g_array_index (list, guint, at);
          g_hash_table_insert (cursor, (gpointer) entry->domain, GUINT_TO_POINTER (at + 1));
          if (!entry_matches (scan, entry, g_ptr_array_index (lib, lib_index),
                              job->swapped_charset != NULL ? job->header : NULL))
            paired = FALSE;
          g_array_append_val (pairs, lib_index);
        }
      g_hash_table_iter_init (&iter, by_domain);
      while (paired && g_hash_table_iter_next (&iter, &key, &value))
        if (GPOINTER_TO_UINT (g_hash_table_lookup (cursor, key)) != ((GArray *) value)->len)
          paired = FALSE;
      if (!paired)
        g_debug ("the scanner and libgettextpo disagree: no spans");
    }

  self->has_spans = paired;
  n = paired ? scan->entries->len : lib->len;
  self->messages = g_new0 (GlsPoMessage, MAX (n, 1));
  if (job->check)
    index_of = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < n; i++)
    {
      guint lib_index = paired ? g_array_index (pairs, guint, i) : i;
      po_message_t message = g_ptr_array_index (lib, lib_index);

      if (is_header (message))
        continue;
      if (index_of != NULL)
        g_hash_table_insert (index_of, message, GUINT_TO_POINTER (self->n_messages + 1));
      build_message (self, &self->messages[self->n_messages], message, scan,
                     paired ? &g_array_index (scan->entries, ScanEntry, i) : NULL);
      self->n_messages++;
    }

  if (job->check && call->n_problems == 0)
    {
      po_file_check_all (call->file, &po_handler);
      for (guint i = 0; i < call->problems->len; i++)
        {
          const PoProblem *problem = &g_array_index (call->problems, PoProblem, i);
          CheckProblem checked;

          checked.index = GPOINTER_TO_INT (g_hash_table_lookup (index_of, problem->message)) - 1;
          checked.line = problem->line;
          checked.text = g_strdup (problem->text);
          g_array_append_val (job->checked, checked);
        }
    }

  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, by_domain);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_array_unref (value);
  }
  po_file_free (call->file);
  call->file = NULL;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length,
           GError     **error)
{
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_IO,
                       _("Could not write a temporary file: %s"), g_strerror (saved));
          return FALSE;
        }
      data += written;
      length -= written;
    }
  return TRUE;
}

static gint
message_source_hash_equal (gconstpointer a,
                           gconstpointer b)
{
  const GlsPoMessage *x = a;
  const GlsPoMessage *y = b;

  return g_strcmp0 (x->msgctxt, y->msgctxt) == 0 && strcmp (x->msgid, y->msgid) == 0;
}

static guint
message_source_hash (gconstpointer key)
{
  const GlsPoMessage *msg = key;

  return g_str_hash (msg->msgid) * 31 + (msg->msgctxt != NULL ? g_str_hash (msg->msgctxt) + 1 : 0);
}

static void
finish_messages (GlsPoFile *self)
{
  gpointer *p = self->pointers->pdata;

  self->by_source = g_hash_table_new (message_source_hash, message_source_hash_equal);
  for (guint i = 0; i < self->n_messages; i++)
    {
      GlsPoMessage *msg = &self->messages[i];
      gpointer old;

      msg->msgstr = (const char * const *) &p[msg->msgstr_at];
      msg->references = (const char * const *) &p[msg->references_at];
      msg->flags = (const char * const *) &p[msg->flags_at];
      msg->str = self->has_spans ? &g_array_index (self->spans, Span, msg->str_at) : NULL;

      if (!g_hash_table_lookup_extended (self->by_source, msg, &old, NULL)
          || (((GlsPoMessage *) old)->obsolete && !msg->obsolete))
        g_hash_table_replace (self->by_source, msg, GUINT_TO_POINTER (i));
    }
}

static gboolean
set_problem_error (const PoProblem  *problem,
                   guint             open_string_line,
                   GError          **error)
{
  gsize line = problem != NULL ? problem->line : 0;

  /* libgettextpo counts the line end that cuts a string before saying
   * so (as msgfmt does): name the string's own line. */
  if (open_string_line > 0 && line == (gsize) open_string_line + 1)
    line = open_string_line;
  if (problem == NULL)
    g_set_error_literal (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                         _("libgettextpo refuses the file"));
  else if (line != (size_t) -1 && line > 0)
    g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                 /* Translators: the message is libgettextpo's */
                 _("Line %u: %s"), (guint) MIN (line, G_MAXUINT), problem->text);
  else
    g_set_error_literal (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID, problem->text);
  return FALSE;
}

/* Parses self->text; with @checked, runs libgettextpo's checks (as
 * msgfmt --check) on the result and lists their problems there. */
static gboolean
parse (GlsPoFile  *self,
       GArray     *checked,
       GError    **error)
{
  Scan scan = { 0 };
  g_autofree char *path = NULL;
  g_autofree char *fd_path = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PoCall) call = NULL;
  ReadJob *job;
  g_autofree char *swap = NULL;  /* the charset written as CHARSET */
  gsize swap_at = 0;
  guint n_headers = 0;
  const char *bad;
  gboolean ok = FALSE;
  int fd = -1;

  if (!g_utf8_validate_len (self->text, self->length, &bad))
    {
      guint line = line_of_byte (self->text, bad - self->text);

      if (*bad == '\0')
        g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                     _("Line %u has a NUL byte: this is not a PO file"), line);
      else
        g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                     _("Line %u has a byte that is not UTF-8"), line);
      return FALSE;
    }
  self->index = gls_text_index_new (self->text, self->length);

  scan_text (&scan, self->text, self->length);
  /* Charsets first: libgettextpo reads other charsets with iconv, whose
   * failures exit. */
  for (guint i = 0; i < scan.entries->len; i++)
    {
      const ScanEntry *entry = &g_array_index (scan.entries, ScanEntry, i);
      const ScanPart *str;
      const char *at;

      if (entry->has_ctxt || entry->id.value_len != 0 || entry->n_str == 0)
        continue;
      n_headers++;
      str = &g_array_index (scan.strs, ScanPart, entry->str_at);
      /* The line that names the charset, if it is written as itself. */
      at = g_strstr_len (self->text + str->start, str->end - str->start, "charset=");
      if (!check_charset (str->value,
                          line_of_byte (self->text, at != NULL ? (gsize) (at - self->text) : str->start),
                          NULL, error))
        goto out;
      /* One "charset=" in the value and one written as itself: the same. */
      if (at != NULL && count_charsets (str->value) == 1
          && g_strstr_len (at + 1, self->text + str->end - at - 1, "charset=") == NULL)
        {
          gsize len = strcspn (at + strlen ("charset="), "\\\" \t;\n");

          swap_at = at + strlen ("charset=") - self->text;
          g_free (swap);
          swap = g_strndup (self->text + swap_at, len);
        }
    }
  /* libgettextpo reads a UTF-8 file through iconv, a character at a
   * time (three quarters of its time); with a charset it does not know
   * it reads bytes, which for text that is valid UTF-8 (checked above)
   * gives the same tokens and strings. So it reads a copy whose one
   * header says "charset=CHARSET" (a POT's placeholder); the header it
   * gives back gets its charset again. */
  if (n_headers != 1 || swap == NULL
      || (g_ascii_strcasecmp (swap, "UTF-8") != 0 && g_ascii_strcasecmp (swap, "UTF8") != 0))
    g_clear_pointer (&swap, g_free);

  fd = g_file_open_tmp ("glossa-po-XXXXXX.po", &path, &local_error);
  if (fd < 0)
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_IO,
                   _("Could not make a temporary file: %s"), local_error->message);
      goto out;
    }
  if (swap == NULL)
    {
      if (!write_all (fd, self->text, self->length, error))
        goto out;
    }
  else if (!write_all (fd, self->text, swap_at, error)
           || !write_all (fd, "CHARSET", strlen ("CHARSET"), error)
           || !write_all (fd, self->text + swap_at + strlen (swap),
                          self->length - swap_at - strlen (swap), error))
    goto out;
  /* Read it through the descriptor once unlinked, so that nothing is
   * left behind whatever happens; where /dev/fd is missing, by name. */
  fd_path = g_strdup_printf ("/dev/fd/%d", fd);
  lseek (fd, 0, SEEK_SET);
  if (g_file_test (fd_path, G_FILE_TEST_EXISTS))
    {
      g_unlink (path);
      g_clear_pointer (&path, g_free);
    }
  else
    g_clear_pointer (&fd_path, g_free);

  job = g_new0 (ReadJob, 1);
  job->self = self;
  job->scan = &scan;
  job->path = fd_path != NULL ? fd_path : path;
  job->check = checked != NULL;
  job->checked = checked;
  job->swapped_charset = swap;

  call = po_run (read_locked, job);

  if (call->fatal || job->read_problems > 0)
    {
      set_problem_error (po_call_first_problem (call), scan.open_string_line, error);
    }
  else if (job->read_failed)
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_IO,
                   _("Could not read a temporary file: %s"), g_strerror (errno));
    }
  else if (scan.nul_line > 0)
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   _("Line %u: an escape makes a NUL character, which a message cannot hold"),
                   scan.nul_line);
    }
  else
    {
      ok = TRUE;
      if (job->header != NULL)
        {
          self->header = g_string_chunk_insert (self->strings, job->header);
          ok = check_charset (self->header, 0, &self->is_template, error);
        }
    }
  if (ok && !g_utf8_validate (self->header, -1, NULL))
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   _("The header has text that is not UTF-8 once its escapes are undone"));
      ok = FALSE;
    }
  for (guint i = 0; ok && i < self->n_messages; i++)
    {
      const GlsPoMessage *msg = &self->messages[i];
      gboolean valid = (msg->msgctxt == NULL || g_utf8_validate (msg->msgctxt, -1, NULL))
                       && g_utf8_validate (msg->msgid, -1, NULL)
                       && (msg->msgid_plural == NULL || g_utf8_validate (msg->msgid_plural, -1, NULL))
                       && g_utf8_validate (msg->comments, -1, NULL)
                       && g_utf8_validate (msg->extracted, -1, NULL);

      for (guint f = 0; valid && f < msg->n_forms; f++)
        valid = g_utf8_validate (g_ptr_array_index (self->pointers, msg->msgstr_at + f), -1, NULL);
      if (!valid)
        {
          if (msg->line > 0)
            g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                         _("Line %u: the message has text that is not UTF-8 once its escapes are undone"),
                         msg->line);
          else
            g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                         _("A message has text that is not UTF-8 once its escapes are undone"));
          ok = FALSE;
        }
    }

  if (ok)
    {
      self->language = NULL;
      {
        g_autofree char *language = header_field (self->header, "Language");

        if (language != NULL && *language != '\0')
          self->language = g_string_chunk_insert (self->strings, language);
      }
      self->nplurals = parse_nplurals (self->header);
      finish_messages (self);
    }

  g_free (job->header);
  g_free (job);

out:
  if (fd >= 0)
    close (fd);
  if (path != NULL)
    g_unlink (path);
  scan_clear (&scan);
  return ok;
}

/* Public: making one */

GlsPoFile *
gls_po_file_new (const char  *text,
                 gssize       length,
                 GError     **error)
{
  g_autoptr(GlsPoFile) self = NULL;
  const char *nul;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (text);
  nul = memchr (text, '\0', length);
  if (nul != NULL)
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   _("Line %u has a NUL byte: this is not a PO file"),
                   line_of_byte (text, nul - text));
      return NULL;
    }
  self = g_object_new (GLS_TYPE_PO_FILE, NULL);
  self->text = g_strndup (text, length);
  self->length = length;
  if (!parse (self, NULL, error))
    return NULL;
  return g_steal_pointer (&self);
}

GlsPoFile *
gls_po_file_new_from_bytes (GBytes  *data,
                            GError **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = gls_text_decode (data, &length, error);
  if (text == NULL)
    return NULL;
  return gls_po_file_new (text, length, error);
}

typedef struct
{
  char  *text;
  gsize  length;
} NewData;

static void
new_data_free (gpointer data)
{
  NewData *new_data = data;

  g_free (new_data->text);
  g_free (new_data);
}

static void
new_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  NewData *data = task_data;
  GError *error = NULL;
  GlsPoFile *file;

  if (g_task_return_error_if_cancelled (task))
    return;
  file = gls_po_file_new (data->text, data->length, &error);
  if (file == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, file, g_object_unref);
}

void
gls_po_file_new_async (const char          *text,
                       gssize               length,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  NewData *data;

  g_return_if_fail (text != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (length < 0)
    length = strlen (text);
  data = g_new0 (NewData, 1);
  data->text = g_memdup2 (text, length + 1);
  data->text[length] = '\0';
  data->length = length;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gls_po_file_new_async);
  g_task_set_task_data (task, data, new_data_free);
  g_task_run_in_thread (task, new_in_thread);
}

GlsPoFile *
gls_po_file_new_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gls_po_file_new_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Public: the file */

const char *
gls_po_file_get_text (GlsPoFile *self)
{
  g_return_val_if_fail (GLS_IS_PO_FILE (self), NULL);
  return self->text;
}

gsize
gls_po_file_get_text_length (GlsPoFile *self)
{
  g_return_val_if_fail (GLS_IS_PO_FILE (self), 0);
  return self->length;
}

GlsTextIndex *
gls_po_file_get_index (GlsPoFile *self)
{
  g_return_val_if_fail (GLS_IS_PO_FILE (self), NULL);
  return self->index;
}

const char *
gls_po_file_get_header (GlsPoFile *self)
{
  g_return_val_if_fail (GLS_IS_PO_FILE (self), NULL);
  return self->header;
}

char *
gls_po_file_dup_header_field (GlsPoFile  *self,
                              const char *field)
{
  g_return_val_if_fail (GLS_IS_PO_FILE (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);
  return header_field (self->header, field);
}

const char *
gls_po_file_get_language (GlsPoFile *self)
{
  g_return_val_if_fail (GLS_IS_PO_FILE (self), NULL);
  return self->language;
}

guint
gls_po_file_get_nplurals (GlsPoFile *self)
{
  g_return_val_if_fail (GLS_IS_PO_FILE (self), 0);
  return self->nplurals;
}

gboolean
gls_po_file_is_template (GlsPoFile *self)
{
  g_return_val_if_fail (GLS_IS_PO_FILE (self), FALSE);
  return self->is_template;
}

guint
gls_po_file_get_n_messages (GlsPoFile *self)
{
  g_return_val_if_fail (GLS_IS_PO_FILE (self), 0);
  return self->n_messages;
}

const GlsPoMessage *
gls_po_file_get_message (GlsPoFile *self,
                         guint      index)
{
  g_return_val_if_fail (GLS_IS_PO_FILE (self), NULL);
  g_return_val_if_fail (index < self->n_messages, NULL);
  return &self->messages[index];
}

void
gls_po_file_count_states (GlsPoFile *self,
                          guint     *translated,
                          guint     *fuzzy,
                          guint     *untranslated)
{
  guint counts[3] = { 0, 0, 0 };

  g_return_if_fail (GLS_IS_PO_FILE (self));

  for (guint i = 0; i < self->n_messages; i++)
    if (!self->messages[i].obsolete)
      counts[gls_po_message_get_state (&self->messages[i])]++;
  if (translated != NULL)
    *translated = counts[GLS_PO_STATE_TRANSLATED];
  if (fuzzy != NULL)
    *fuzzy = counts[GLS_PO_STATE_FUZZY];
  if (untranslated != NULL)
    *untranslated = counts[GLS_PO_STATE_UNTRANSLATED];
}

gint
gls_po_file_find (GlsPoFile  *self,
                  const char *msgctxt,
                  const char *msgid)
{
  GlsPoMessage key = { 0 };
  gpointer value;

  g_return_val_if_fail (GLS_IS_PO_FILE (self), -1);
  g_return_val_if_fail (msgid != NULL, -1);

  key.msgctxt = msgctxt;
  key.msgid = msgid;
  if (!g_hash_table_lookup_extended (self->by_source, &key, NULL, &value))
    return -1;
  return GPOINTER_TO_INT (value);
}

gboolean
gls_po_file_has_spans (GlsPoFile *self)
{
  g_return_val_if_fail (GLS_IS_PO_FILE (self), FALSE);
  return self->has_spans;
}

gint
gls_po_file_message_at (GlsPoFile *self,
                        gint64     offset)
{
  guint lo = 0, hi;

  g_return_val_if_fail (GLS_IS_PO_FILE (self), -1);

  if (!self->has_spans)
    return -1;
  /* Entries are in file order and do not overlap. */
  hi = self->n_messages;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->messages[mid].entry.end <= offset)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < self->n_messages && self->messages[lo].entry.start <= offset)
    return lo;
  return -1;
}

static const Span *
find_span (GlsPoFile *self,
           guint      index,
           GlsPoPart  part,
           guint      form)
{
  const GlsPoMessage *msg;
  const Span *span = NULL;

  if (!self->has_spans || index >= self->n_messages)
    return NULL;
  msg = &self->messages[index];
  switch (part)
    {
    case GLS_PO_PART_ENTRY:
      span = &msg->entry;
      break;
    case GLS_PO_PART_MSGCTXT:
      span = &msg->ctxt;
      break;
    case GLS_PO_PART_MSGID:
      span = &msg->id;
      break;
    case GLS_PO_PART_MSGID_PLURAL:
      span = &msg->id_plural;
      break;
    case GLS_PO_PART_MSGSTR:
      if (form < msg->n_forms && msg->str != NULL)
        span = &msg->str[form];
      break;
    default:
      break;
    }
  if (span == NULL || span->byte_start == G_MAXSIZE)
    return NULL;
  return span;
}

gboolean
gls_po_file_get_span (GlsPoFile *self,
                      guint      index,
                      GlsPoPart  part,
                      guint      form,
                      gint64    *start,
                      gint64    *end)
{
  const Span *span;

  g_return_val_if_fail (GLS_IS_PO_FILE (self), FALSE);

  span = find_span (self, index, part, form);
  if (span == NULL)
    return FALSE;
  if (start != NULL)
    *start = span->start;
  if (end != NULL)
    *end = span->end;
  return TRUE;
}

gint64
gls_po_file_value_to_text (GlsPoFile *self,
                           guint      index,
                           GlsPoPart  part,
                           guint      form,
                           gint64     value_offset)
{
  const Span *span;
  Walk w;
  gsize ts, te, last;
  guchar first;
  gint64 k = 0;

  g_return_val_if_fail (GLS_IS_PO_FILE (self), -1);

  span = find_span (self, index, part, form);
  if (span == NULL || part == GLS_PO_PART_ENTRY || value_offset < 0)
    return -1;
  walk_init (&w, self->text, self->length, span);
  last = span->byte_start + 1;
  while (walk_next (&w, &ts, &te, &first))
    {
      if (is_lead_byte (first))
        {
          if (k == value_offset)
            return gls_text_index_to_offset (self->index, ts);
          k++;
        }
      last = te;
    }
  if (k == value_offset)
    return gls_text_index_to_offset (self->index, last);
  return -1;
}

gint64
gls_po_file_text_to_value (GlsPoFile *self,
                           guint      index,
                           GlsPoPart  part,
                           guint      form,
                           gint64     text_offset)
{
  const Span *span;
  Walk w;
  gsize ts, te, byte;
  guchar first;
  gint64 leads = 0;

  g_return_val_if_fail (GLS_IS_PO_FILE (self), -1);

  span = find_span (self, index, part, form);
  if (span == NULL || part == GLS_PO_PART_ENTRY
      || text_offset < span->start || text_offset > span->end)
    return -1;
  byte = gls_text_index_to_byte (self->index, text_offset);
  walk_init (&w, self->text, self->length, span);
  while (walk_next (&w, &ts, &te, &first))
    {
      gboolean lead = is_lead_byte (first);

      if (byte < te)
        return lead ? leads : MAX (leads - 1, 0);
      if (lead)
        leads++;
    }
  return leads;
}

/* Public: a message */

const char *
gls_po_message_get_msgctxt (const GlsPoMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->msgctxt;
}

const char *
gls_po_message_get_msgid (const GlsPoMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->msgid;
}

const char *
gls_po_message_get_msgid_plural (const GlsPoMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->msgid_plural;
}

guint
gls_po_message_get_n_forms (const GlsPoMessage *message)
{
  g_return_val_if_fail (message != NULL, 0);
  return message->n_forms;
}

const char *
gls_po_message_get_msgstr (const GlsPoMessage *message,
                           guint               form)
{
  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (form < message->n_forms, NULL);
  return message->msgstr[form];
}

GlsPoState
gls_po_message_get_state (const GlsPoMessage *message)
{
  g_return_val_if_fail (message != NULL, GLS_PO_STATE_UNTRANSLATED);

  /* As msgfmt --statistics counts: an empty translation is untranslated
   * even when marked fuzzy. */
  if (message->untranslated)
    return GLS_PO_STATE_UNTRANSLATED;
  if (message->fuzzy)
    return GLS_PO_STATE_FUZZY;
  return GLS_PO_STATE_TRANSLATED;
}

gboolean
gls_po_message_is_fuzzy (const GlsPoMessage *message)
{
  g_return_val_if_fail (message != NULL, FALSE);
  return message->fuzzy;
}

gboolean
gls_po_message_is_untranslated (const GlsPoMessage *message)
{
  g_return_val_if_fail (message != NULL, FALSE);
  return message->untranslated;
}

gboolean
gls_po_message_is_obsolete (const GlsPoMessage *message)
{
  g_return_val_if_fail (message != NULL, FALSE);
  return message->obsolete;
}

const char *
gls_po_message_get_comments (const GlsPoMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->comments;
}

const char *
gls_po_message_get_extracted_comments (const GlsPoMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->extracted;
}

const char * const *
gls_po_message_get_references (const GlsPoMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->references;
}

const char * const *
gls_po_message_get_flags (const GlsPoMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->flags;
}

gboolean
gls_po_message_has_format (const GlsPoMessage *message,
                           const char         *format_type)
{
  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (format_type != NULL, FALSE);
  return g_strv_contains ((const char * const *) message->flags, format_type);
}

guint
gls_po_message_get_line (const GlsPoMessage *message)
{
  g_return_val_if_fail (message != NULL, 0);
  return message->line;
}

/* Format directives
 *
 * Each directive gets a key that says what argument it takes and how
 * (C and Python "%": position or name, and a type class; "{}": the field
 * name); a translation must have the source's keys. */

typedef enum
{
  KIND_C,
  KIND_PYTHON,
  KIND_BRACE,
  KIND_PLAIN_BRACE,  /* {name} in a message without a format flag */
} DirectiveKind;

typedef struct
{
  char *key;
  char *text;
} Directive;

static void
clear_directive (gpointer data)
{
  Directive *d = data;

  g_free (d->key);
  g_free (d->text);
}

static GArray *
directive_array_new (void)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (Directive));

  g_array_set_clear_func (list, clear_directive);
  return list;
}

static void
add_directive (GArray     *list,
               char       *key,
               const char *start,
               const char *end)
{
  Directive d = { key, g_strndup (start, end - start) };

  g_array_append_val (list, d);
}

static gboolean
has_key (GArray     *list,
         const char *key)
{
  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    if (strcmp (g_array_index (list, Directive, i).key, key) == 0)
      return TRUE;
  return FALSE;
}

/* Digits then '$': the position (from 1), and *p moved past it; else 0. */
static guint
parse_position (const char **p)
{
  const char *q = *p;
  guint value = 0;

  while (g_ascii_isdigit (*q))
    {
      value = value * 10 + (*q++ - '0');
      if (value > 10000)
        return 0;
    }
  if (q == *p || *q != '$' || value == 0)
    return 0;
  *p = q + 1;
  return value;
}

static GArray *
parse_c (const char *s)
{
  g_autoptr(GArray) list = directive_array_new ();
  const char *p = s;
  guint next = 0;

  while ((p = strchr (p, '%')) != NULL)
    {
      const char *q = p + 1;
      const char *length;
      guint length_len = 0;
      guint position;
      char cls;

      if (*q == '%')
        {
          p = q + 1;
          continue;
        }
      position = parse_position (&q);
      while (*q != '\0' && strchr ("-+ #0'I", *q) != NULL)
        q++;
      for (guint part = 0; part < 2; part++)
        {
          if (part == 1)
            {
              if (*q != '.')
                break;
              q++;
            }
          if (*q == '*')
            {
              guint star;

              q++;
              star = parse_position (&q);
              add_directive (list, g_strdup_printf ("%u:*", star > 0 ? star : ++next), p, q);
            }
          else
            while (g_ascii_isdigit (*q))
              q++;
        }
      length = q;
      if ((q[0] == 'h' && q[1] == 'h') || (q[0] == 'l' && q[1] == 'l'))
        length_len = 2;
      else if (*q != '\0' && strchr ("hlLqjzZt", *q) != NULL)
        length_len = 1;
      q += length_len;
      switch (*q)
        {
        case 'd': case 'i':
          cls = 'd';
          break;
        case 'o': case 'u': case 'x': case 'X':
          cls = 'u';
          break;
        case 'e': case 'E': case 'f': case 'F':
        case 'g': case 'G': case 'a': case 'A':
          cls = 'f';
          break;
        case 'c': case 'C':
          cls = 'c';
          break;
        case 's': case 'S':
          cls = 's';
          break;
        case 'p':
          cls = 'p';
          break;
        case 'n':
          cls = 'n';
          break;
        case 'm':
          /* glibc's strerror (errno): no argument */
          p = q + 1;
          continue;
        case '<':
          {
            /* gettext's <PRId64> and friends */
            const char *close = strchr (q, '>');

            if (close == NULL)
              return NULL;
            add_directive (list, g_strdup_printf ("%u:%.*s", position > 0 ? position : ++next,
                                                  (int) (close + 1 - q), q),
                           p, close + 1);
            p = close + 1;
            continue;
          }
        default:
          return NULL;
        }
      add_directive (list, g_strdup_printf ("%u:%.*s%c", position > 0 ? position : ++next,
                                            (int) length_len, length, cls),
                     p, q + 1);
      p = q + 1;
    }
  return g_steal_pointer (&list);
}

static GArray *
parse_python (const char *s)
{
  g_autoptr(GArray) list = directive_array_new ();
  const char *p = s;
  guint next = 0;

  while ((p = strchr (p, '%')) != NULL)
    {
      const char *q = p + 1;
      const char *name = NULL;
      guint name_len = 0;
      char cls;

      if (*q == '%')
        {
          p = q + 1;
          continue;
        }
      if (*q == '(')
        {
          const char *close = strchr (q, ')');

          if (close == NULL)
            return NULL;
          name = q + 1;
          name_len = close - name;
          q = close + 1;
        }
      while (*q != '\0' && strchr ("#0- +", *q) != NULL)
        q++;
      for (guint part = 0; part < 2; part++)
        {
          if (part == 1)
            {
              if (*q != '.')
                break;
              q++;
            }
          if (*q == '*')
            {
              q++;
              add_directive (list, g_strdup_printf ("%u:*", ++next), p, q);
            }
          else
            while (g_ascii_isdigit (*q))
              q++;
        }
      if (*q != '\0' && strchr ("hlL", *q) != NULL)
        q++;
      switch (*q)
        {
        case 'd': case 'i': case 'o': case 'u': case 'x': case 'X':
          cls = 'i';
          break;
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
          cls = 'f';
          break;
        case 'c':
          cls = 'c';
          break;
        case 'r': case 's': case 'a':
          cls = 's';
          break;
        default:
          return NULL;
        }
      if (name != NULL)
        add_directive (list, g_strdup_printf ("(%.*s)%c", (int) name_len, name, cls), p, q + 1);
      else
        add_directive (list, g_strdup_printf ("%u:%c", ++next, cls), p, q + 1);
      p = q + 1;
    }
  return g_steal_pointer (&list);
}

/* python-brace-format: {name}, {0}, {}, {name.attr}, {name!r:>{width}} */
static GArray *
parse_brace (const char *s)
{
  g_autoptr(GArray) list = directive_array_new ();
  const char *p = s;
  guint next = 0;

  while (*p != '\0')
    {
      const char *q;
      const char *end;
      guint name_len;
      int depth;

      if (*p == '}')
        {
          if (p[1] != '}')
            return NULL;
          p += 2;
          continue;
        }
      if (*p != '{')
        {
          p++;
          continue;
        }
      if (p[1] == '{')
        {
          p += 2;
          continue;
        }
      q = p + 1;
      name_len = strcspn (q, "}!:.[{");
      /* The field's end, nested fields in its format spec included. */
      end = q + name_len;
      depth = 1;
      while (*end != '\0' && depth > 0)
        {
          if (*end == '{')
            depth++;
          else if (*end == '}')
            depth--;
          end++;
        }
      if (depth > 0)
        return NULL;
      add_directive (list,
                     name_len > 0 ? g_strndup (q, name_len) : g_strdup_printf ("%u", next++),
                     p, end);
      for (const char *r = q + name_len; r < end; r++)
        if (*r == '{')
          {
            guint inner = strcspn (r + 1, "}!:.[{");

            if (inner > 0)
              add_directive (list, g_strndup (r + 1, inner), r, MIN (r + inner + 2, end));
          }
      p = end;
    }
  return g_steal_pointer (&list);
}

/* {name} and {0} in a message without a format flag. */
static GArray *
parse_plain_brace (const char *s)
{
  GArray *list = directive_array_new ();
  const char *p = s;

  while ((p = strchr (p, '{')) != NULL)
    {
      const char *q = p + 1;

      if (*q == '{')
        {
          p = q + 1;
          continue;
        }
      if (g_ascii_isalpha (*q) || *q == '_')
        while (g_ascii_isalnum (*q) || *q == '_')
          q++;
      else
        while (g_ascii_isdigit (*q))
          q++;
      if (q > p + 1 && *q == '}')
        {
          add_directive (list, g_strndup (p + 1, q - p - 1), p, q + 1);
          p = q + 1;
        }
      else
        p = q;
    }
  return list;
}

static GArray *
parse_directives (DirectiveKind  kind,
                  const char    *s)
{
  switch (kind)
    {
    case KIND_C:
      return parse_c (s);
    case KIND_PYTHON:
      return parse_python (s);
    case KIND_BRACE:
      return parse_brace (s);
    case KIND_PLAIN_BRACE:
    default:
      return parse_plain_brace (s);
    }
}

/* Under po_lock: whether each plural form serves a single number, as
 * msgfmt decides from the header's Plural-Forms (such a form, like
 * "one file", may drop the number). Asks libgettextpo: a c-format
 * message whose form @f alone lacks the "%d" of msgid_plural passes its
 * checks only when @f is such a form. */
static void
single_forms_locked (PoCall   *call,
                     gpointer  data)
{
  GlsPoFile *self = data;
  guint n = self->nplurals > 0 ? self->nplurals : 2;

  if (self->single_forms != NULL)
    return;
  self->single_forms = g_new0 (gboolean, n);
  self->n_single_forms = n;
  for (guint f = 0; f < n; f++)
    {
      po_file_t file = po_file_create ();
      po_message_iterator_t it = po_message_iterator (file, NULL);
      po_message_t header = po_message_create ();
      po_message_t message = po_message_create ();
      guint before = call->n_problems;

      po_message_set_msgid (header, "");
      po_message_set_msgstr (header, self->header);
      po_message_insert (it, header);
      po_message_set_msgid (message, "%d thing");
      po_message_set_msgid_plural (message, "%d things");
      for (guint k = 0; k < n; k++)
        po_message_set_msgstr_plural (message, k, k == f ? "thing" : "%d things");
      po_message_set_format (message, "c-format", 1);
      po_message_insert (it, message);
      po_message_check_all (message, it, &po_handler);
      self->single_forms[f] = call->n_problems == before;
      po_message_iterator_free (it);
      po_file_free (file);
    }
}

static gboolean
form_is_single (GlsPoFile *self,
                guint      form)
{
  /* Made once (under po_lock), then only read. */
  po_call_free (po_run (single_forms_locked, self));
  return self->single_forms != NULL && form < self->n_single_forms
         && self->single_forms[form];
}

static gboolean
check_kind (GlsPoFile           *self,
            const GlsPoMessage  *msg,
            guint                form,
            DirectiveKind        kind,
            const char          *translation,
            GError             **error)
{
  const char *source = msg->msgid_plural != NULL ? msg->msgid_plural : msg->msgid;
  g_autoptr(GArray) src = parse_directives (kind, source);
  g_autoptr(GArray) singular = NULL;
  g_autoptr(GArray) tr = NULL;

  /* A source that does not parse is libgettextpo's to judge. */
  if (src == NULL)
    return TRUE;
  if (msg->msgid_plural != NULL)
    singular = parse_directives (kind, msg->msgid);
  if (kind == KIND_PLAIN_BRACE && src->len == 0 && (singular == NULL || singular->len == 0))
    return TRUE;
  tr = parse_directives (kind, translation);
  if (tr == NULL)
    return TRUE;

  /* Lost first: with unnumbered directives, one lost shifts the rest. */
  for (guint i = 0; i < src->len; i++)
    {
      const Directive *d = &g_array_index (src, Directive, i);

      if (!has_key (tr, d->key)
          && !(msg->msgid_plural != NULL && form_is_single (self, form)))
        {
          g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                       /* Translators: %s is a format directive like %s or {name} */
                       _("The translation lacks “%s”, which the source has"),
                       d->text);
          return FALSE;
        }
    }
  for (guint i = 0; i < tr->len; i++)
    {
      const Directive *d = &g_array_index (tr, Directive, i);

      if (!has_key (src, d->key) && !has_key (singular, d->key))
        {
          g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                       /* Translators: %s is a format directive like %s or {name} */
                       _("The translation adds “%s”, which the source does not have"),
                       d->text);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_directives (GlsPoFile           *self,
                  const GlsPoMessage  *msg,
                  guint                form,
                  const char          *translation,
                  GError             **error)
{
  static const struct {
    const char    *flag;
    DirectiveKind  kind;
  } kinds[] = {
    { "c-format", KIND_C },
    { "objc-format", KIND_C },
    { "python-format", KIND_PYTHON },
    { "python-brace-format", KIND_BRACE },
  };
  gboolean any_format = FALSE;

  for (guint i = 0; msg->flags[i] != NULL; i++)
    {
      const char *flag = msg->flags[i];

      if (!g_str_has_suffix (flag, "-format") || g_str_has_prefix (flag, "no-"))
        continue;
      any_format = TRUE;
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        if (strcmp (flag, kinds[k].flag) == 0
            && !check_kind (self, msg, form, kinds[k].kind, translation, error))
          return FALSE;
    }
  if (!any_format)
    return check_kind (self, msg, form, KIND_PLAIN_BRACE, translation, error);
  return TRUE;
}

typedef struct
{
  GlsPoFile          *self;
  const GlsPoMessage *msg;
  guint               form;
  const char         *translation;
} CheckJob;

static void
check_locked (PoCall   *call,
              gpointer  data)
{
  CheckJob *job = data;
  const GlsPoMessage *msg = job->msg;
  po_file_t file = po_file_create ();
  po_message_iterator_t it = po_message_iterator (file, NULL);
  po_message_t message = po_message_create ();

  if (*job->self->header != '\0')
    {
      po_message_t header = po_message_create ();

      po_message_set_msgid (header, "");
      po_message_set_msgstr (header, job->self->header);
      po_message_insert (it, header);
    }
  if (msg->msgctxt != NULL)
    po_message_set_msgctxt (message, msg->msgctxt);
  po_message_set_msgid (message, msg->msgid);
  if (msg->msgid_plural != NULL)
    {
      po_message_set_msgid_plural (message, msg->msgid_plural);
      for (guint k = 0; k < msg->n_forms; k++)
        po_message_set_msgstr_plural (message, k,
                                      k == job->form ? job->translation : msg->msgstr[k]);
    }
  else
    po_message_set_msgstr (message, job->translation);
  for (guint i = 0; msg->flags[i] != NULL; i++)
    if (g_str_has_suffix (msg->flags[i], "-format")
        && po_format_pretty_name (msg->flags[i]) != NULL)
      po_message_set_format (message, msg->flags[i], 1);
  po_message_insert (it, message);

  po_message_check_format (message, &po_handler);
  if (call->n_problems == 0)
    po_message_check_all (message, it, &po_handler);

  po_message_iterator_free (it);
  po_file_free (file);
}

gboolean
gls_po_check_translation (GlsPoFile   *self,
                          guint        index,
                          guint        form,
                          const char  *translation,
                          GError     **error)
{
  const GlsPoMessage *msg;
  g_autoptr(PoCall) call = NULL;
  const PoProblem *problem;
  CheckJob *job;
  gboolean ok;

  g_return_val_if_fail (GLS_IS_PO_FILE (self), FALSE);
  g_return_val_if_fail (translation != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (index >= self->n_messages)
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   _("The file has no message %u"), index);
      return FALSE;
    }
  msg = &self->messages[index];
  if (form >= msg->n_forms)
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   _("The message has no plural form %u"), form);
      return FALSE;
    }
  if (msg->obsolete)
    {
      g_set_error_literal (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED,
                           _("The message is obsolete: its translation is no longer used"));
      return FALSE;
    }
  if (!g_utf8_validate (translation, -1, NULL))
    {
      g_set_error_literal (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                           _("The translation is not UTF-8"));
      return FALSE;
    }
  if (strchr (translation, '\004') != NULL)
    {
      /* In MO files it separates a context from its source. */
      g_set_error_literal (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                           _("The translation has the control character U+0004, which PO files cannot hold"));
      return FALSE;
    }
  if (*translation == '\0')
    {
      if (msg->msgid_plural != NULL)
        g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                     _("Plural form %u of the translation would be empty"), form);
      else
        g_set_error_literal (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                             _("The translation would be empty"));
      return FALSE;
    }
  if (!check_directives (self, msg, form, translation, error))
    return FALSE;

  job = g_new0 (CheckJob, 1);
  job->self = self;
  job->msg = msg;
  job->form = form;
  job->translation = translation;
  call = po_run (check_locked, job);
  g_free (job);

  problem = po_call_first_problem (call);
  ok = call->n_problems == 0 && !call->fatal;
  if (!ok)
    g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                 /* Translators: %s is libgettextpo's reason */
                 _("The translation is refused: %s"),
                 problem != NULL ? problem->text : "?");
  return ok;
}

/* Applying changes */

typedef struct
{
  gsize  start;
  gsize  end;
  char  *replacement;
} Edit;

static void
clear_edit (gpointer data)
{
  Edit *edit = data;

  g_free (edit->replacement);
}

static gint
compare_edits (gconstpointer a,
               gconstpointer b)
{
  const Edit *x = a;
  const Edit *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

/* A character's columns on a terminal-like page, as msgcat counts. */
static guint
char_width (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  return g_unichar_iswide (c) ? 2 : 1;
}

/* Escaped units of @value: each an escape or a character. */
static void
append_escaped_char (GString    *out,
                     const char *p,
                     guint      *width)
{
  guchar c = *p;

  switch (c)
    {
    case '\\': g_string_append (out, "\\\\"); *width += 2; return;
    case '"': g_string_append (out, "\\\""); *width += 2; return;
    case '\n': g_string_append (out, "\\n"); *width += 2; return;
    case '\t': g_string_append (out, "\\t"); *width += 2; return;
    case '\r': g_string_append (out, "\\r"); *width += 2; return;
    case '\a': g_string_append (out, "\\a"); *width += 2; return;
    case '\b': g_string_append (out, "\\b"); *width += 2; return;
    case '\f': g_string_append (out, "\\f"); *width += 2; return;
    case '\v': g_string_append (out, "\\v"); *width += 2; return;
    default:
      break;
    }
  if (c < 0x20)
    {
      g_string_append_printf (out, "\\%03o", c);
      *width += 4;
      return;
    }
  g_string_append_len (out, p, g_utf8_skip[c]);
  *width += char_width (g_utf8_get_char (p));
}

/*
 * The string literals for @value, where the first opening quote goes at
 * @column: one "…" when it fits on the line (or @wrap is off) and has no
 * line break but at its end; else "" and a line per piece, as msgcat
 * writes them: broken after each \n and, with @wrap, after the last space
 * that keeps a line within PAGE_WIDTH.
 */
static char *
format_literals (const char *value,
                 guint       column,
                 gboolean    wrap,
                 const char *eol)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GString) whole = g_string_new (NULL);
  const char *newline = strchr (value, '\n');
  gboolean inner_newline = newline != NULL && newline[1] != '\0';
  guint width = 0;

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    append_escaped_char (whole, p, &width);
  if (!inner_newline && (!wrap || column + 2 + width <= PAGE_WIDTH))
    {
      g_string_append_printf (out, "\"%s\"", whole->str);
      return g_string_free (out, FALSE);
    }

  g_string_append (out, "\"\"");
  for (const char *p = value; *p != '\0';)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      gsize break_len = 0;       /* the line up to its last space */
      const char *break_at = NULL;
      guint line_width = 0;

      while (*p != '\0')
        {
          guint before = line_width;
          gboolean is_space = *p == ' ';
          gboolean is_newline = *p == '\n';

          if (wrap && line->len > 0 && before > 0
              && 2 + before + (*p == '\\' || *p == '"' ? 2 : char_width (g_utf8_get_char (p))) > PAGE_WIDTH
              && break_at != NULL)
            {
              /* Break after the last space: the rest starts the next line. */
              g_string_truncate (line, break_len);
              p = break_at;
              break;
            }
          append_escaped_char (line, p, &line_width);
          p = g_utf8_next_char (p);
          if (is_newline)
            break;
          if (is_space)
            {
              break_len = line->len;
              break_at = p;
            }
        }
      g_string_append_printf (out, "%s\"%s\"", eol, line->str);
    }
  return g_string_free (out, FALSE);
}

static void
add_edit (GArray     *edits,
          gsize       start,
          gsize       end,
          const char *replacement)
{
  Edit edit = { start, end, g_strdup (replacement) };

  g_array_append_val (edits, edit);
}

/* The whole line of @pos when only spaces precede it there: its start,
 * and its end after the line end. */
static gboolean
whole_line (const char *text,
            gsize       length,
            gsize       pos,
            gsize      *start,
            gsize      *end)
{
  gsize s = pos;
  const char *nl;

  while (s > 0 && text[s - 1] != '\n')
    {
      if (text[s - 1] != ' ' && text[s - 1] != '\t')
        return FALSE;
      s--;
    }
  nl = memchr (text + pos, '\n', length - pos);
  *start = s;
  *end = nl != NULL ? (gsize) (nl - text) + 1 : length;
  return TRUE;
}

/* Edits that drop a changed message's "fuzzy" flag, and the #| previous
 * strings msgmerge wrote beside it. */
static void
unfuzzy_edits (GlsPoFile          *self,
               const GlsPoMessage *msg,
               GArray             *edits)
{
  for (guint i = 0; i < msg->n_marks; i++)
    {
      const Mark *mark = &g_array_index (self->marks, Mark, msg->first_mark + i);
      gsize start, end;

      if (mark->kind == '|')
        {
          if (whole_line (self->text, self->length, mark->start, &start, &end))
            add_edit (edits, start, end, "");
        }
      else if (mark->kind == ',')
        {
          g_autofree char *body = comment_body (self->text, self->length, mark);
          g_auto(GStrv) words = g_strsplit_set (body, FLAG_SEPARATORS, -1);
          g_autoptr(GString) line = g_string_new ("#,");
          gboolean crlf = mark->end > mark->start && self->text[mark->end - 1] == '\r';
          gboolean had_fuzzy = FALSE;
          guint kept = 0;

          for (guint w = 0; words[w] != NULL; w++)
            {
              g_strstrip (words[w]);
              if (strcmp (words[w], "fuzzy") == 0)
                had_fuzzy = TRUE;
              else if (*words[w] != '\0')
                {
                  g_string_append_printf (line, "%s %s", kept > 0 ? "," : "", words[w]);
                  kept++;
                }
            }
          if (!had_fuzzy)
            continue;
          if (kept == 0 && whole_line (self->text, self->length, mark->start, &start, &end))
            add_edit (edits, start, end, "");
          else
            {
              if (crlf)
                g_string_append_c (line, '\r');
              add_edit (edits, mark->start, mark->end, line->str);
            }
        }
    }
}

/* Whether the file breaks long strings: a line of the part that runs
 * past the page says it does not (msgcat --no-wrap). */
static gboolean
part_wraps (GlsPoFile  *self,
            const Span *span,
            guint       column)
{
  const char *p = self->text + span->byte_start;
  const char *end = self->text + span->byte_end;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl != NULL ? nl : end;

      if (column + g_utf8_strlen (p, line_end - p) > PAGE_WIDTH)
        return FALSE;
      if (nl == NULL)
        break;
      p = nl + 1;
      column = 0;
    }
  return TRUE;
}

char *
gls_po_apply (GlsPoFile          *self,
              const GlsPoChange  *changes,
              guint               n_changes,
              gsize              *out_length,
              GError            **error)
{
  g_autoptr(GArray) edits = NULL;
  g_autoptr(GHashTable) changed = NULL;     /* index + 1 */
  g_autoptr(GHashTable) seen = NULL;        /* (index, form) */
  g_autoptr(GArray) checked = NULL;
  g_autoptr(GlsPoFile) result = NULL;
  g_autoptr(GString) out = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize at = 0;

  g_return_val_if_fail (GLS_IS_PO_FILE (self), NULL);
  g_return_val_if_fail (changes != NULL || n_changes == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!self->has_spans)
    {
      g_set_error_literal (error, GLS_CORE_ERROR, GLS_CORE_ERROR_UNSUPPORTED,
                           _("Glossa cannot tell where this file's messages are, so it cannot change them"));
      return NULL;
    }

  edits = g_array_new (FALSE, FALSE, sizeof (Edit));
  g_array_set_clear_func (edits, clear_edit);
  changed = g_hash_table_new (NULL, NULL);
  seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < n_changes; i++)
    {
      const GlsPoChange *change = &changes[i];
      const GlsPoMessage *msg;
      const Span *span;
      gint64 *key;
      g_autofree char *literals = NULL;
      gsize line_start;
      guint column;
      const char *nl;
      gboolean wrap;

      if (!gls_po_check_translation (self, change->index, change->form,
                                     change->translation, &local_error))
        {
          if (change->index < self->n_messages && self->messages[change->index].line > 0)
            g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                        _("Message at line %u: "),
                                        self->messages[change->index].line);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      msg = &self->messages[change->index];
      key = g_new (gint64, 1);
      *key = ((gint64) change->index << 32) | change->form;
      if (!g_hash_table_add (seen, key))
        {
          g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                       _("Message at line %u: two changes to the same translation"),
                       msg->line);
          return NULL;
        }
      span = &msg->str[change->form];

      line_start = span->byte_start;
      while (line_start > 0 && self->text[line_start - 1] != '\n')
        line_start--;
      column = g_utf8_strlen (self->text + line_start, span->byte_start - line_start);
      nl = memchr (self->text + span->byte_start, '\n', self->length - span->byte_start);
      if (nl == NULL && line_start > 0)
        nl = self->text + line_start - 1;
      wrap = !gls_po_message_has_format (msg, "no-wrap") && part_wraps (self, span, column);
      literals = format_literals (change->translation, column, wrap,
                                  nl != NULL && nl > self->text && nl[-1] == '\r' ? "\r\n" : "\n");
      add_edit (edits, span->byte_start, span->byte_end, literals);

      if (!g_hash_table_contains (changed, GUINT_TO_POINTER (change->index + 1)))
        {
          g_hash_table_add (changed, GUINT_TO_POINTER (change->index + 1));
          if (msg->fuzzy)
            unfuzzy_edits (self, msg, edits);
        }
    }

  g_array_sort (edits, compare_edits);
  out = g_string_sized_new (self->length + 256);
  for (guint i = 0; i < edits->len; i++)
    {
      const Edit *edit = &g_array_index (edits, Edit, i);

      g_assert (edit->start >= at);
      g_string_append_len (out, self->text + at, edit->start - at);
      g_string_append (out, edit->replacement);
      at = edit->end;
    }
  g_string_append_len (out, self->text + at, self->length - at);

  /* Read back and checked as msgfmt --check would. */
  checked = g_array_new (FALSE, FALSE, sizeof (CheckProblem));
  g_array_set_clear_func (checked, clear_check_problem);
  result = g_object_new (GLS_TYPE_PO_FILE, NULL);
  result->text = g_strndup (out->str, out->len);
  result->length = out->len;
  if (!parse (result, checked, &local_error))
    {
      g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                   _("The changed file does not read back: %s"), local_error->message);
      return NULL;
    }
  if (result->n_messages != self->n_messages || !result->has_spans)
    {
      g_set_error_literal (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                           _("The changed file does not read back as written"));
      return NULL;
    }
  for (guint i = 0; i < n_changes; i++)
    {
      const GlsPoMessage *now = &result->messages[changes[i].index];

      if (changes[i].form >= now->n_forms
          || strcmp (now->msgstr[changes[i].form], changes[i].translation) != 0)
        {
          g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                       _("Message at line %u: the changed file does not read back as written"),
                       self->messages[changes[i].index].line);
          return NULL;
        }
    }
  for (guint i = 0; i < checked->len; i++)
    {
      const CheckProblem *problem = &g_array_index (checked, CheckProblem, i);

      /* Problems the file had before are not this change's to fix. */
      if (problem->index >= 0
          && g_hash_table_contains (changed, GUINT_TO_POINTER (problem->index + 1)))
        {
          g_set_error (error, GLS_CORE_ERROR, GLS_CORE_ERROR_INVALID,
                       _("Message at line %u: %s"),
                       result->messages[problem->index].line, problem->text);
          return NULL;
        }
    }

  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
