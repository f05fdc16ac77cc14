/* md-mail-auth.c: readers for DMARC, DKIM key, MTA-STS and TLS-RPT records
 * (SPF's is in md-spf.c)
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The records are written by hand in DNS control panels, so the mistakes
 * are human ones: a missing "mailto:", curly quotes pasted from a web page,
 * "include :x" with a stray space, "ip4:" followed by a name. Each reader
 * names the first such mistake in words the detail view can show. Every
 * loop walks the text once, and the text is capped, so no answer from DNS
 * can make a reader slow.
 */

#include "md-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "md-mail-auth.h"
#include "md-mail-auth-private.h"

/* Shared helpers, md-spf.c's too (md-mail-auth-private.h) */

gboolean
_md_mail_auth_is_record_with_version (const char *text,
                                      const char *version)
{
  gsize len = strlen (version);

  return text != NULL && g_ascii_strncasecmp (text, version, len) == 0;
}

static gboolean
is_wsp (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Only printable ASCII belongs in these records; anything else is usually a
 * curly quote or a non-breaking space pasted from a web page. */
static gboolean
has_only_ascii_text (const char *text,
                     gboolean    allow_folding)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar)*p;

      if (c >= 0x20 && c <= 0x7e)
        continue;
      if (allow_folding && is_wsp ((char)c))
        continue;
      return FALSE;
    }

  return TRUE;
}

/* Tag lists may be folded with tabs and line breaks (RFC 6376 §3.2); SPF
 * terms are separated by spaces only (RFC 7208 §4.6.1). */
char *
_md_mail_auth_check_text (const char *text,
                          gboolean    allow_folding)
{
  if (text == NULL)
    return g_strdup (_("The record is empty."));
  if (strlen (text) > MD_MAIL_AUTH_MAX_RECORD_LENGTH)
    return g_strdup_printf (_("The record is longer than %u characters."),
                            MD_MAIL_AUTH_MAX_RECORD_LENGTH);
  if (!has_only_ascii_text (text, allow_folding))
    return g_strdup (_("The record contains characters that are not allowed, such as curly "
                       "quotes, tabs or accented letters."));
  return NULL;
}

gboolean
_md_mail_auth_is_all_digits (const char *text,
                             gsize       len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

/* A decimal number without leading zeros, at most @max. */
gboolean
_md_mail_auth_parse_number (const char *text,
                            gsize       len,
                            guint64     max,
                            guint64    *value)
{
  guint64 n = 0;

  if (!_md_mail_auth_is_all_digits (text, len) || len > 10 || (len > 1 && text[0] == '0'))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    n = n * 10 + (guint64)(text[i] - '0');
  if (n > max)
    return FALSE;

  *value = n;
  return TRUE;
}

/* Tag lists: "name=value; name=value" (RFC 6376 §3.2, RFC 7489 §6.4,
 * RFC 8461 §3.1, RFC 8460 §3) */

typedef struct
{
  char *name;
  char *value;
} Tag;

static void
tag_free (gpointer data)
{
  Tag *tag = data;

  g_free (tag->name);
  g_free (tag->value);
  g_free (tag);
}

static gboolean
is_tag_name (const char *name)
{
  if (!g_ascii_isalnum (name[0]))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
has_tag (GPtrArray  *tags,
         const char *name)
{
  for (guint i = 0; i < tags->len; i++)
    if (g_ascii_strcasecmp (((Tag *)g_ptr_array_index (tags, i))->name, name) == 0)
      return TRUE;
  return FALSE;
}

static Tag *
parse_tag (const char  *piece,
           GPtrArray   *tags,
           char       **error)
{
  const char *equals = strchr (piece, '=');
  g_autofree char *name = NULL;
  Tag *tag;

  if (equals == NULL)
    {
      *error = g_strdup_printf (_("“%s” has no “=”: each part must look like name=value."), piece);
      return NULL;
    }

  name = g_strstrip (g_strndup (piece, equals - piece));
  if (!is_tag_name (name))
    {
      *error = g_strdup_printf (_("“%s” does not start with a valid name."), piece);
      return NULL;
    }
  if (has_tag (tags, name))
    {
      *error = g_strdup_printf (_("“%s” appears more than once."), name);
      return NULL;
    }

  tag = g_new0 (Tag, 1);
  tag->name = g_steal_pointer (&name);
  tag->value = g_strstrip (g_strdup (equals + 1));
  return tag;
}

/* Returns the tags in order, or NULL with @error set. Empty parts (";;",
 * a trailing ";") are tolerated: receivers do. */
static GPtrArray *
split_tags (const char  *text,
            char       **error)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (tag_free);
  g_auto(GStrv) pieces = NULL;

  *error = _md_mail_auth_check_text (text, TRUE);
  if (*error != NULL)
    return NULL;

  pieces = g_strsplit (text, ";", -1);
  for (guint i = 0; pieces[i] != NULL; i++)
    {
      Tag *tag;

      g_strstrip (pieces[i]);
      if (pieces[i][0] == '\0')
        continue;
      tag = parse_tag (pieces[i], tags, error);
      if (tag == NULL)
        return NULL;
      g_ptr_array_add (tags, tag);
    }

  return g_steal_pointer (&tags);
}

static const char *
find_tag (GPtrArray  *tags,
          const char *name)
{
  for (guint i = 0; i < tags->len; i++)
    {
      Tag *tag = g_ptr_array_index (tags, i);

      if (g_ascii_strcasecmp (tag->name, name) == 0)
        return tag->value;
    }
  return NULL;
}

static gboolean
first_tag_is (GPtrArray  *tags,
              const char *name,
              const char *value,
              gboolean    case_sensitive)
{
  Tag *tag;

  if (tags->len == 0)
    return FALSE;
  tag = g_ptr_array_index (tags, 0);
  if (case_sensitive)
    return strcmp (tag->name, name) == 0 && strcmp (tag->value, value) == 0;
  return g_ascii_strcasecmp (tag->name, name) == 0 && g_ascii_strcasecmp (tag->value, value) == 0;
}

/* Reporting addresses: "mailto:a@example.com!10m, https://…" (RFC 7489
 * §6.4 allows a size limit after "!"; RFC 8460 does not). */
static char *
check_uri_list (const char *tag,
                const char *value,
                gboolean    allow_size,
                gboolean    https_allowed)
{
  g_auto(GStrv) uris = g_strsplit (value, ",", 64);

  if (value[0] == '\0')
    return g_strdup_printf (_("%s= is empty: it needs an address such as "
                              "mailto:reports@example.com."), tag);

  for (guint i = 0; uris[i] != NULL; i++)
    {
      char *uri = g_strstrip (uris[i]);
      char *bang = allow_size ? strrchr (uri, '!') : NULL;

      if (bang != NULL && strlen (bang + 1) > 0 && strspn (bang + 1, "0123456789") > 0)
        *bang = '\0';
      if (!g_uri_is_valid (uri, G_URI_FLAGS_NONE, NULL) ||
          (!g_str_has_prefix (uri, "mailto:") &&
           !(https_allowed && g_str_has_prefix (uri, "https:"))))
        return g_strdup_printf (_("%s= has “%s”, which is not an address receivers can use; "
                                  "write it as mailto:reports@example.com."), tag, uri);
    }

  return NULL;
}

/* DMARC (RFC 7489 §6.3, §6.4) */

/**
 * md_dmarc_is_record:
 *
 * Returns: whether @text starts with the tag v=DMARC1 (RFC 7489 §6.6.3:
 *   other TXT records at _dmarc are not DMARC's)
 */
gboolean
md_dmarc_is_record (const char *text)
{
  const char *p = text;

  if (p == NULL || g_ascii_tolower (*p) != 'v')
    return FALSE;
  for (p++; is_wsp (*p); p++)
    ;
  if (*p != '=')
    return FALSE;
  for (p++; is_wsp (*p); p++)
    ;
  return g_ascii_strncasecmp (p, "DMARC1", 6) == 0 &&
         (p[6] == '\0' || p[6] == ';' || is_wsp (p[6]));
}

/**
 * md_dmarc_mentions_version:
 *
 * Returns: whether @text carries "v=DMARC1" anywhere: a record with it in
 *   the wrong place is a broken DMARC record, not someone else's text
 */
gboolean
md_dmarc_mentions_version (const char *text)
{
  g_autofree char *lower = NULL;

  if (text == NULL || strlen (text) > MD_MAIL_AUTH_MAX_RECORD_LENGTH)
    return FALSE;
  lower = g_ascii_strdown (text, -1);
  return strstr (lower, "dmarc1") != NULL;
}

static const char *
parse_policy (const char *value)
{
  static const char * const policies[] = { "none", "quarantine", "reject" };

  for (guint i = 0; i < G_N_ELEMENTS (policies); i++)
    if (g_ascii_strcasecmp (value, policies[i]) == 0)
      return policies[i];
  return NULL;
}

static gboolean
is_alignment (const char *value)
{
  return (value[0] == 'r' || value[0] == 's' || value[0] == 'R' || value[0] == 'S') &&
         value[1] == '\0';
}

static gboolean
is_colon_list (const char *value,
               const char *allowed_tokens)
{
  g_auto(GStrv) tokens = g_strsplit (value, ":", 16);

  if (value[0] == '\0')
    return FALSE;
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      char *token = g_strstrip (tokens[i]);

      if (allowed_tokens != NULL &&
          (strlen (token) != 1 || strchr (allowed_tokens, token[0]) == NULL))
        return FALSE;
      if (allowed_tokens == NULL && (token[0] == '\0' || !is_tag_name (token)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_tag (const Tag  *tag,
        const char *name)
{
  return g_ascii_strcasecmp (tag->name, name) == 0;
}

static char *
dmarc_policy_tag (MdDmarcRecord *self,
                  const Tag     *tag)
{
  const char *policy = parse_policy (tag->value);

  if (policy == NULL)
    return g_strdup_printf (_("%s=%s is not a policy: use none, quarantine or reject."),
                            tag->name, tag->value);
  if (is_tag (tag, "p"))
    self->policy = policy;
  else
    self->subdomain_policy = policy;
  return NULL;
}

static char *
dmarc_report_tag (MdDmarcRecord *self,
                  const Tag     *tag)
{
  char *error = check_uri_list (tag->name, tag->value, TRUE, FALSE);

  if (error != NULL)
    return error;
  /* split_tags() refused duplicates, so each is set once. */
  if (is_tag (tag, "rua"))
    self->rua = g_strdup (tag->value);
  else
    self->ruf = g_strdup (tag->value);
  return NULL;
}

static char *
dmarc_alignment_tag (MdDmarcRecord *self,
                     const Tag     *tag)
{
  if (!is_alignment (tag->value))
    return g_strdup_printf (_("%s=%s must be r (relaxed) or s (strict)."),
                            tag->name, tag->value);
  if (is_tag (tag, "adkim"))
    self->adkim = g_ascii_tolower (tag->value[0]);
  else
    self->aspf = g_ascii_tolower (tag->value[0]);
  return NULL;
}

static char *
dmarc_tag (MdDmarcRecord *self,
           const Tag     *tag)
{
  const char *value = tag->value;
  guint64 number;

  if (is_tag (tag, "p") || is_tag (tag, "sp"))
    return dmarc_policy_tag (self, tag);
  if (is_tag (tag, "rua") || is_tag (tag, "ruf"))
    return dmarc_report_tag (self, tag);
  if (is_tag (tag, "adkim") || is_tag (tag, "aspf"))
    return dmarc_alignment_tag (self, tag);

  if (is_tag (tag, "pct"))
    {
      if (!_md_mail_auth_parse_number (value, strlen (value), 100, &number))
        return g_strdup_printf (_("pct=%s is not a number from 0 to 100."), value);
      self->pct = (guint)number;
    }
  else if (is_tag (tag, "fo") && !is_colon_list (value, "01ds"))
    return g_strdup_printf (_("fo=%s must be made of 0, 1, d and s, separated by colons."), value);
  else if (is_tag (tag, "rf") && !is_colon_list (value, NULL))
    return g_strdup_printf (_("rf=%s is not a list of report formats."), value);
  else if (is_tag (tag, "ri") &&
           !_md_mail_auth_parse_number (value, strlen (value), G_MAXUINT32, &number))
    return g_strdup_printf (_("ri=%s is not a number of seconds."), value);

  /* Unknown tags are ignored (RFC 7489 §6.3). */
  return NULL;
}

static char *
parse_dmarc_tags (MdDmarcRecord *self,
                  const char    *text)
{
  g_autoptr(GPtrArray) tags = NULL;
  char *error = NULL;

  tags = split_tags (text, &error);
  if (tags == NULL)
    return error;
  if (!first_tag_is (tags, "v", "DMARC1", FALSE))
    return g_strdup (_("The record must start with “v=DMARC1;”."));

  for (guint i = 1; i < tags->len; i++)
    {
      error = dmarc_tag (self, g_ptr_array_index (tags, i));
      if (error != NULL)
        return error;
    }

  if (!has_tag (tags, "p"))
    return g_strdup (_("The record has no policy: it needs p=none, p=quarantine or p=reject."));
  return NULL;
}

/**
 * md_dmarc_record_parse:
 *
 * Returns: (transfer full): the record, with its mistake in words when it
 *   is broken. Never %NULL.
 */
MdDmarcRecord *
md_dmarc_record_parse (const char *text)
{
  MdDmarcRecord *self = g_new0 (MdDmarcRecord, 1);

  self->pct = 100;
  self->adkim = self->aspf = 'r';
  self->error = parse_dmarc_tags (self, text);
  if (self->error != NULL)
    self->policy = NULL;

  return self;
}

void
md_dmarc_record_free (MdDmarcRecord *self)
{
  if (self == NULL)
    return;

  g_free (self->rua);
  g_free (self->ruf);
  g_free (self->error);
  g_free (self);
}

/* DKIM keys (RFC 6376 §3.6.1, RFC 8463) */

/**
 * md_dkim_is_key_record:
 *
 * Returns: whether @text looks like a DKIM key record: it starts with
 *   v=DKIM1 or has a k= or p= tag. Text at a selector that is neither is
 *   someone else's (a wildcard, a note).
 */
gboolean
md_dkim_is_key_record (const char *text)
{
  g_auto(GStrv) pieces = NULL;

  if (text == NULL || strlen (text) > MD_MAIL_AUTH_MAX_RECORD_LENGTH)
    return FALSE;

  pieces = g_strsplit (text, ";", 64);
  for (guint i = 0; pieces[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (pieces[i], "=", 2);

      if (parts[0] == NULL || parts[1] == NULL)
        continue;
      g_strstrip (parts[0]);
      g_strstrip (parts[1]);
      if (strcmp (parts[0], "p") == 0 || strcmp (parts[0], "k") == 0)
        return TRUE;
      if (i == 0 && strcmp (parts[0], "v") == 0 && strcmp (parts[1], "DKIM1") == 0)
        return TRUE;
    }

  return FALSE;
}

/* The base64 of p= may be folded with white space (RFC 6376 §3.2). */
static guchar *
decode_key_data (const char *value,
                 gsize      *len)
{
  g_autoptr(GString) clean = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (is_wsp (*p))
        continue;
      if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
        return NULL;
      g_string_append_c (clean, *p);
    }

  if (clean->len == 0 || clean->len % 4 != 0)
    return NULL;
  return g_base64_decode (clean->str, len);
}

static guint
rsa_key_bits (const guchar *der,
              gsize         len)
{
  gnutls_pubkey_t key = NULL;
  gnutls_datum_t datum = { (unsigned char *)der, (unsigned int)len };
  unsigned int bits = 0;
  int algorithm;

  if (len > G_MAXUINT || gnutls_pubkey_init (&key) < 0)
    return 0;

  /* The p= of an RSA key is a DER SubjectPublicKeyInfo in practice (what
   * "openssl rsa -pubout" writes), so GnuTLS reads it, not our own ASN.1. */
  algorithm = gnutls_pubkey_import (key, &datum, GNUTLS_X509_FMT_DER) < 0
              ? GNUTLS_PK_UNKNOWN
              : gnutls_pubkey_get_pk_algorithm (key, &bits);
  gnutls_pubkey_deinit (key);

  return algorithm == GNUTLS_PK_RSA ? bits : 0;
}

static char *
read_key (MdDkimKey  *self,
          const char *p)
{
  g_autofree guchar *data = NULL;
  gsize len = 0;

  if (p[strspn (p, " \t\r\n")] == '\0')
    {
      self->revoked = TRUE;
      return NULL;
    }

  data = decode_key_data (p, &len);
  if (data == NULL || len == 0)
    return g_strdup (_("The key (p=) is not valid base64 text."));

  if (strcmp (self->key_type, "ed25519") == 0)
    {
      /* RFC 8463 §4.2: the raw 32-byte public key. */
      if (len != 32)
        return g_strdup (_("The ed25519 key (p=) does not have 32 bytes."));
      self->bits = 256;
      return NULL;
    }

  self->bits = rsa_key_bits (data, len);
  if (self->bits == 0)
    return g_strdup (_("The RSA key (p=) could not be read."));
  return NULL;
}

static char *
parse_dkim_tags (MdDkimKey  *self,
                 const char *text)
{
  g_autoptr(GPtrArray) tags = NULL;
  const char *k, *t, *p;
  char *error = NULL;

  tags = split_tags (text, &error);
  if (tags == NULL)
    return error;
  if (has_tag (tags, "v") && !first_tag_is (tags, "v", "DKIM1", TRUE))
    return g_strdup (_("The record must start with “v=DKIM1;” or leave v= out."));

  k = find_tag (tags, "k");
  self->key_type = g_ascii_strdown (k != NULL ? k : "rsa", -1);
  if (strcmp (self->key_type, "rsa") != 0 && strcmp (self->key_type, "ed25519") != 0)
    return g_strdup_printf (_("k=%s is not a key type: use rsa or ed25519."), k);

  t = find_tag (tags, "t");
  if (t != NULL)
    {
      g_auto(GStrv) flags = g_strsplit (t, ":", 16);

      for (guint i = 0; flags[i] != NULL; i++)
        if (strcmp (g_strstrip (flags[i]), "y") == 0)
          self->testing = TRUE;
    }

  p = find_tag (tags, "p");
  if (p == NULL)
    return g_strdup (_("The record has no key (p=)."));
  return read_key (self, p);
}

/**
 * md_dkim_key_parse:
 *
 * Returns: (transfer full): the key's type and size; never %NULL
 */
MdDkimKey *
md_dkim_key_parse (const char *text)
{
  MdDkimKey *self = g_new0 (MdDkimKey, 1);

  self->error = parse_dkim_tags (self, text);
  if (self->key_type == NULL)
    self->key_type = g_strdup ("rsa");
  if (self->error != NULL)
    self->bits = 0;

  return self;
}

void
md_dkim_key_free (MdDkimKey *self)
{
  if (self == NULL)
    return;

  g_free (self->key_type);
  g_free (self->error);
  g_free (self);
}

/**
 * md_dkim_key_describe:
 *
 * Returns: (transfer full): "rsa 2048", "ed25519", "revoked" or "invalid",
 *   as the evidence says it
 */
char *
md_dkim_key_describe (const MdDkimKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->error != NULL)
    return g_strdup ("invalid");
  if (self->revoked)
    return g_strdup ("revoked");
  if (strcmp (self->key_type, "rsa") == 0)
    return g_strdup_printf ("rsa %u", self->bits);
  return g_strdup (self->key_type);
}

/* MTA-STS (RFC 8461 §3.1) and TLS-RPT (RFC 8460 §3) */

/* Both records are "v=...; field; field" with case-sensitive versions
 * (the RFCs write them as %s"…"). */
static GPtrArray *
split_versioned (const char  *text,
                 const char  *version,
                 char       **error)
{
  g_autoptr(GPtrArray) tags = split_tags (text, error);

  if (tags == NULL)
    return NULL;
  if (!first_tag_is (tags, "v", version, TRUE))
    {
      *error = g_strdup_printf (_("The record must start with “v=%s;”, written exactly so."),
                                version);
      return NULL;
    }
  return g_steal_pointer (&tags);
}

gboolean
md_mta_sts_is_record (const char *text)
{
  return _md_mail_auth_is_record_with_version (text, "v=STSv1");
}

/**
 * md_mta_sts_record_check:
 *
 * Returns: (transfer full) (nullable): %NULL when @text is a good
 *   "v=STSv1; id=…" record, or what is wrong with it
 */
char *
md_mta_sts_record_check (const char *text)
{
  g_autoptr(GPtrArray) tags = NULL;
  const char *id;
  char *error = NULL;

  tags = split_versioned (text, "STSv1", &error);
  if (tags == NULL)
    return error;

  id = find_tag (tags, "id");
  if (id == NULL)
    return g_strdup (_("The record has no id=, which tells senders when the policy changed."));
  if (id[0] == '\0' || strlen (id) > 32 || strspn (id, "abcdefghijklmnopqrstuvwxyz"
                                                       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                       "0123456789") != strlen (id))
    return g_strdup_printf (_("id=%s must be 1 to 32 letters and digits."), id);
  return NULL;
}

gboolean
md_tls_rpt_is_record (const char *text)
{
  return _md_mail_auth_is_record_with_version (text, "v=TLSRPTv1");
}

/**
 * md_tls_rpt_record_check:
 *
 * Returns: (transfer full) (nullable): %NULL when @text is a good
 *   "v=TLSRPTv1; rua=…" record, or what is wrong with it
 */
char *
md_tls_rpt_record_check (const char *text)
{
  g_autoptr(GPtrArray) tags = NULL;
  const char *rua;
  char *error = NULL;

  tags = split_versioned (text, "TLSRPTv1", &error);
  if (tags == NULL)
    return error;

  rua = find_tag (tags, "rua");
  if (rua == NULL)
    return g_strdup (_("The record has no rua=, the address that receives the reports."));
  return check_uri_list ("rua", rua, FALSE, TRUE);
}
