/* md-discover.h: suggested outgoing-server settings for an email address
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-kb.h"

G_BEGIN_DECLS

typedef enum /*< prefix=MD_DISCOVER_SOURCE >*/
{
  MD_DISCOVER_SOURCE_PROVIDER,    /*< nick=provider >*/     /* the bundled provider table */
  MD_DISCOVER_SOURCE_SUBMISSIONS, /*< nick=srv-submissions >*/ /* SRV _submissions._tcp, RFC 8314 */
  MD_DISCOVER_SOURCE_SUBMISSION,  /*< nick=srv-submission >*/  /* SRV _submission._tcp, RFC 6186 */
  MD_DISCOVER_SOURCE_MX,          /*< nick=mx >*/           /* the domain's MX names a known host */
  MD_DISCOVER_SOURCE_GUESS,       /*< nick=guess >*/        /* smtp./mail./the domain, answered EHLO */
} MdDiscoverSource;

typedef struct
{
  char             *host;
  guint             port;
  MdSecurity        security;
  MdDiscoverSource  source;
  char             *source_detail;       /* plain words: where this came from */
  gboolean          needs_confirmation;  /* RFC 6186 §6: an SRV target outside the domain */
  gboolean          answered;            /* a probe got an SMTP greeting and EHLO */
  char             *notes;               /* the provider's notes, or NULL */
  gboolean          app_password;
  char             *app_password_url;    /* where to make one, or NULL */
  gboolean          oauth_only;
} MdSuggestion;

void       md_suggestion_free       (MdSuggestion        *self);

/* All sources in parallel; the result is ranked best first, without
 * duplicates. Bounded by @timeout_ms whatever DNS and servers do. */
void       md_discover_async        (MdKb                *kb,
                                     const char          *email,
                                     guint                timeout_ms,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
GPtrArray *md_discover_finish       (GAsyncResult        *result,
                                     GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSuggestion, md_suggestion_free)

G_END_DECLS
