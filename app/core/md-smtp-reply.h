/* md-smtp-reply.h: SMTP replies (RFC 5321 §4.2), enhanced status codes
 * (RFC 3463) and EHLO capabilities
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "md-types.h"

G_BEGIN_DECLS

/* Caps on what one reply may hold. RFC 5321 allows 512 octets a line; real
 * servers send longer ones, so the caps are generous but finite. */
#define MD_SMTP_MAX_LINE_LENGTH  4096
#define MD_SMTP_MAX_REPLY_LENGTH 65536
#define MD_SMTP_MAX_REPLY_LINES  256

/* Irregularities a parser tolerated; each one is reported as evidence. */
typedef enum /*< flags,prefix=MD_SMTP_REPLY >*/
{
  MD_SMTP_REPLY_NORMAL        = 0,      /*< nick=normal >*/
  MD_SMTP_REPLY_BARE_LF       = 1 << 0, /*< nick=bare-lf >*/
  MD_SMTP_REPLY_CONTROL_CHARS = 1 << 1, /*< nick=control-chars >*/
  MD_SMTP_REPLY_NO_SEPARATOR  = 1 << 2, /*< nick=no-separator >*/
  MD_SMTP_REPLY_NOT_UTF8      = 1 << 3, /*< nick=not-utf8 >*/
} MdSmtpReplyFlags;

struct _MdSmtpReply
{
  guint             code;       /* 200..599 */
  char             *enhanced;   /* "4.7.0", or NULL when the reply has none */
  GStrv             lines;      /* the text of each line, after "NNN-" / "NNN ",
                                 * sanitised (valid UTF-8, no control characters) */
  MdSmtpReplyFlags  flags;
};

#define MD_TYPE_SMTP_REPLY (md_smtp_reply_get_type ())

GType        md_smtp_reply_get_type  (void) G_GNUC_CONST;
MdSmtpReply *md_smtp_reply_new       (guint              code,
                                      const char * const *lines);
MdSmtpReply *md_smtp_reply_copy      (const MdSmtpReply *self);
void         md_smtp_reply_free      (MdSmtpReply       *self);
char        *md_smtp_reply_dup_text  (const MdSmtpReply *self);
char        *md_smtp_reply_to_string (const MdSmtpReply *self);
guint        md_smtp_reply_get_class (const MdSmtpReply *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSmtpReply, md_smtp_reply_free)

/* Parses RFC 3463 "class.subject.detail" at the start of @text, checking the
 * class against the reply code's first digit. */
gboolean     md_smtp_parse_enhanced_code (const char *text,
                                          guint       reply_code,
                                          char      **enhanced,
                                          gsize      *consumed);

/* An incremental, bounded reply parser: bytes in, whole replies out. */
typedef struct _MdSmtpReplyParser MdSmtpReplyParser;

MdSmtpReplyParser *md_smtp_reply_parser_new   (void);
void               md_smtp_reply_parser_free  (MdSmtpReplyParser  *self);
void               md_smtp_reply_parser_reset (MdSmtpReplyParser  *self);
gboolean           md_smtp_reply_parser_is_idle (MdSmtpReplyParser *self);
gsize              md_smtp_reply_parser_feed  (MdSmtpReplyParser  *self,
                                               const guint8       *data,
                                               gsize               len,
                                               MdSmtpReply       **reply,
                                               GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSmtpReplyParser, md_smtp_reply_parser_free)

/* EHLO capabilities (RFC 5321 §4.1.1.1 and the extensions' RFCs). */
struct _MdSmtpCaps
{
  char     *domain;               /* the server's name from the first line */
  char     *greeting;             /* the rest of the first line */
  gboolean  starttls;             /* RFC 3207 */
  gboolean  pipelining;           /* RFC 2920 */
  gboolean  eightbitmime;         /* RFC 6152 */
  gboolean  smtputf8;             /* RFC 6531 */
  gboolean  enhancedstatuscodes;  /* RFC 2034 */
  gboolean  chunking;             /* RFC 3030 */
  gboolean  dsn;                  /* RFC 3461 */
  gboolean  has_size;             /* RFC 1870 */
  guint64   size;                 /* 0 = announced without a limit */
  GStrv     auth;                 /* SASL mechanisms, upper case, no duplicates */
  GStrv     keywords;             /* every extension line, as sent (sanitised) */
};

#define MD_TYPE_SMTP_CAPS (md_smtp_caps_get_type ())

GType       md_smtp_caps_get_type  (void) G_GNUC_CONST;
MdSmtpCaps *md_smtp_caps_parse     (const MdSmtpReply *ehlo_reply);
MdSmtpCaps *md_smtp_caps_copy      (const MdSmtpCaps  *self);
void        md_smtp_caps_free      (MdSmtpCaps        *self);
gboolean    md_smtp_caps_has_auth  (const MdSmtpCaps  *self,
                                    const char        *mechanism);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSmtpCaps, md_smtp_caps_free)

G_END_DECLS
