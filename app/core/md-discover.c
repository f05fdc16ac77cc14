/* md-discover.c: suggested outgoing-server settings for an email address
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Four sources run at once under one deadline: the bundled provider table,
 * the domain's SRV records (RFC 8314, RFC 6186), its MX records matched
 * against the providers that host mail for other domains, and guessed
 * names probed with a real SMTP hello. Guesses are the weakest evidence and
 * cost connections to servers nobody named, so they start one at a time
 * and stop as soon as a better source or one guess answers.
 *
 * The call returns when every source is done or the deadline passes,
 * whichever comes first: what has been found by then is the answer, so a
 * silent resolver never hides what the provider table already knows.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-account.h"
#include "md-deadline.h"
#include "md-discover-private.h"
#include "md-dns.h"
#include "md-error.h"
#include "md-smtp-client.h"
#include "md-validate.h"

#define GUESS_STAGGER_MS      250
#define GUESS_STEP_TIMEOUT_MS 5000
#define SUBMISSIONS_PREFIX    "_submissions._tcp."
#define SUBMISSION_PREFIX     "_submission._tcp."

/* Each name is tried on the STARTTLS port, then on the implicit-TLS one. */
static const char * const guess_prefixes[] = { "smtp.", "mail.", "" };
#define N_GUESSES (G_N_ELEMENTS (guess_prefixes) * 2)

typedef struct
{
  MdKb       *kb;
  char       *domain;          /* ASCII, lower case */
  guint       timeout_ms;
  gint64      started_us;
  MdDeadline *deadline;        /* the whole call */
  MdDeadline *guessing;        /* chained to it; cancelled to stop guessing */
  GSource    *expired_source;  /* fires when the whole call must end */
  GSource    *stagger_source;  /* starts the next guess */
  GPtrArray  *found;           /* MdSuggestion, in the order they came */
  guint       guess_ports[2];  /* STARTTLS, implicit TLS */
  guint       next_guess;
  guint       n_active;        /* sources and guesses still running */
  gboolean    done;
} Discover;

void
md_suggestion_free (MdSuggestion *self)
{
  if (self == NULL)
    return;

  g_free (self->host);
  g_free (self->source_detail);
  g_free (self->notes);
  g_free (self->app_password_url);
  g_free (self);
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;

  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
discover_free (gpointer data)
{
  Discover *d = data;

  /* Both sources hold the task, so they are gone by now. The guessing
   * deadline hangs off the main one: it goes first. */
  g_clear_pointer (&d->guessing, md_deadline_free);
  g_clear_pointer (&d->deadline, md_deadline_free);
  g_clear_object (&d->kb);
  g_clear_pointer (&d->domain, g_free);
  g_clear_pointer (&d->found, g_ptr_array_unref);
  g_free (d);
}

static guint
remaining_ms (Discover *d)
{
  gint64 elapsed_ms = (g_get_monotonic_time () - d->started_us) / 1000;

  return elapsed_ms >= d->timeout_ms ? 1 : d->timeout_ms - (guint)elapsed_ms;
}

static GCancellable *
guessing_cancellable (Discover *d)
{
  return md_deadline_get_cancellable (d->guessing);
}

/* Ranking */

static gboolean
same_server (const MdSuggestion *a,
             const MdSuggestion *b)
{
  return a->port == b->port && a->security == b->security &&
         g_ascii_strcasecmp (a->host, b->host) == 0;
}

/* What a weaker source adds to a stronger one naming the same server. */
static void
merge_into (MdSuggestion       *best,
            const MdSuggestion *other)
{
  best->answered |= other->answered;
  best->app_password |= other->app_password;
  if (best->app_password_url == NULL)
    best->app_password_url = g_strdup (other->app_password_url);
  best->oauth_only |= other->oauth_only;

  if (other->notes == NULL || (best->notes != NULL && strstr (best->notes, other->notes) != NULL))
    return;

  if (best->notes == NULL)
    best->notes = g_strdup (other->notes);
  else
    {
      char *notes = g_strconcat (best->notes, "\n", other->notes, NULL);

      g_free (best->notes);
      best->notes = notes;
    }
}

static MdSuggestion *
find_same_server (GPtrArray          *ranked,
                  const MdSuggestion *suggestion)
{
  for (guint i = 0; i < ranked->len; i++)
    {
      MdSuggestion *other = g_ptr_array_index (ranked, i);

      if (same_server (other, suggestion))
        return other;
    }

  return NULL;
}

static gint
compare_source (gconstpointer a,
                gconstpointer b)
{
  const MdSuggestion *x = *(const MdSuggestion * const *)a;
  const MdSuggestion *y = *(const MdSuggestion * const *)b;

  return (gint)x->source - (gint)y->source;
}

/* Best source first; within a source, the order the source gave (the
 * provider's main port first, SRV by priority and weight). */
static GPtrArray *
rank (GPtrArray *found)
{
  GPtrArray *ranked = g_ptr_array_new_with_free_func ((GDestroyNotify)md_suggestion_free);
  g_autofree MdSuggestion **all = NULL;
  gsize n = 0;

  /* Stable since GLib 2.32, which keeps each source's own order. */
  g_ptr_array_sort (found, compare_source);
  all = (MdSuggestion **)g_ptr_array_steal (found, &n);

  for (gsize i = 0; i < n; i++)
    {
      MdSuggestion *same = find_same_server (ranked, all[i]);

      if (same == NULL)
        {
          g_ptr_array_add (ranked, all[i]);
          continue;
        }

      merge_into (same, all[i]);
      md_suggestion_free (all[i]);
    }

  return ranked;
}

/* Completion */

static void
stop_guessing (Discover *d)
{
  g_cancellable_cancel (guessing_cancellable (d));

  if (d->stagger_source == NULL)
    return;

  /* Whoever stops the stagger is itself still counted as running, so the
   * count only reaches zero here when the call is ending anyway. */
  clear_source (&d->stagger_source);
  d->n_active--;
}

static void
discover_complete (GTask *task)
{
  Discover *d = g_task_get_task_data (task);

  if (d->done)
    return;

  d->done = TRUE;
  stop_guessing (d);
  clear_source (&d->expired_source);

  g_task_return_pointer (task, rank (d->found), (GDestroyNotify)g_ptr_array_unref);
}

static void
source_done (GTask *task)
{
  Discover *d = g_task_get_task_data (task);

  if (--d->n_active == 0)
    discover_complete (task);
}

static gboolean
on_expired (GCancellable *cancellable,
            gpointer      user_data)
{
  discover_complete (G_TASK (user_data));

  return G_SOURCE_REMOVE;
}

static void
add_suggestion (Discover     *d,
                MdSuggestion *suggestion)
{
  g_ptr_array_add (d->found, suggestion);

  /* A server the domain or its provider names beats any guess. */
  if (suggestion->source != MD_DISCOVER_SOURCE_GUESS)
    stop_guessing (d);
}

static MdSuggestion *
suggestion_new (const char       *host,
                guint             port,
                MdSecurity        security,
                MdDiscoverSource  source,
                const char       *source_detail)
{
  MdSuggestion *suggestion = g_new0 (MdSuggestion, 1);

  suggestion->host = g_strdup (host);
  suggestion->port = port;
  suggestion->security = security;
  suggestion->source = source;
  suggestion->source_detail = g_strdup (source_detail);

  return suggestion;
}

/* Provider table, also used for MX recognition */

static MdSuggestion *
provider_suggestion (const MdProvider *provider,
                     guint             port,
                     MdSecurity        security,
                     MdDiscoverSource  source,
                     const char       *source_detail)
{
  MdSuggestion *suggestion = suggestion_new (provider->host, port, security, source,
                                             source_detail);

  suggestion->notes = g_strdup (provider->notes);
  suggestion->app_password = provider->app_password;
  suggestion->app_password_url = g_strdup (provider->app_password_url);
  suggestion->oauth_only = provider->oauth_only;

  return suggestion;
}

static void
add_provider (Discover         *d,
              const MdProvider *provider,
              MdDiscoverSource  source,
              const char       *source_detail)
{
  add_suggestion (d, provider_suggestion (provider, provider->port, provider->security, source,
                                          source_detail));
  if (provider->alt_port != 0)
    add_suggestion (d, provider_suggestion (provider, provider->alt_port, provider->alt_security,
                                            source, source_detail));
}

static void
start_provider (Discover *d)
{
  const MdProvider *provider = md_kb_find_provider_by_domain (d->kb, d->domain);
  g_autofree char *detail = NULL;

  if (provider == NULL)
    return;

  /* Translators: %s is a mail provider, like "Gmail". */
  detail = g_strdup_printf (_("The published settings of %s"), provider->name);
  add_provider (d, provider, MD_DISCOVER_SOURCE_PROVIDER, detail);
}

/* SRV (RFC 6186, RFC 8314) */

static gboolean
host_in_domain (const char *host,
                const char *domain)
{
  gsize host_len = strlen (host);
  gsize domain_len = strlen (domain);

  if (g_ascii_strcasecmp (host, domain) == 0)
    return TRUE;

  return host_len > domain_len + 1 && host[host_len - domain_len - 1] == '.' &&
         g_ascii_strcasecmp (host + host_len - domain_len, domain) == 0;
}

static char *
srv_detail (const char       *domain,
            MdDiscoverSource  source,
            gboolean          outside)
{
  g_autofree char *base = NULL;

  if (source == MD_DISCOVER_SOURCE_SUBMISSIONS)
    base = g_strdup_printf (_("Your domain's DNS names this server for sending mail, encrypted "
                              "from the start (record %s%s)"), SUBMISSIONS_PREFIX, domain);
  else
    base = g_strdup_printf (_("Your domain's DNS names this server for sending mail (record "
                              "%s%s)"), SUBMISSION_PREFIX, domain);

  if (!outside)
    return g_steal_pointer (&base);

  /* Translators: the first %s is a sentence, the second a domain. */
  return g_strdup_printf (_("%s. The server is outside %s, so make sure with your provider "
                            "that it is really theirs before you use it."), base, domain);
}

static void
add_srv_target (Discover         *d,
                const MdDnsHost  *target,
                MdDiscoverSource  source)
{
  MdSecurity security;
  MdSuggestion *suggestion;
  g_autofree char *detail = NULL;
  gboolean outside;

  /* RFC 2782: a target of "." means the service is decidedly not offered. */
  if (target->host == NULL || target->host[0] == '\0' || g_str_equal (target->host, ".") ||
      target->port == 0)
    return;

  security = source == MD_DISCOVER_SOURCE_SUBMISSIONS ? MD_SECURITY_TLS : MD_SECURITY_STARTTLS;
  /* RFC 6186 §6: anyone who can forge the answer can name their own server. */
  outside = !host_in_domain (target->host, d->domain);
  detail = srv_detail (d->domain, source, outside);

  suggestion = suggestion_new (target->host, target->port, security, source, detail);
  suggestion->needs_confirmation = outside;
  add_suggestion (d, suggestion);
}

static void
srv_done (GTask            *task,
          GAsyncResult     *result,
          MdDiscoverSource  source)
{
  Discover *d = g_task_get_task_data (task);
  g_autoptr(MdDnsAnswer) answer = md_dns_lookup_finish (result, NULL);

  if (answer != NULL && answer->status == MD_DNS_STATUS_FOUND && !d->done)
    {
      for (guint i = 0; answer->hosts != NULL && i < answer->hosts->len; i++)
        add_srv_target (d, g_ptr_array_index (answer->hosts, i), source);
    }

  source_done (task);
}

static void
submissions_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  srv_done (task, result, MD_DISCOVER_SOURCE_SUBMISSIONS);
}

static void
submission_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  srv_done (task, result, MD_DISCOVER_SOURCE_SUBMISSION);
}

static void
start_lookup (GTask               *task,
              const char          *prefix,
              MdDnsType            type,
              GAsyncReadyCallback  callback)
{
  Discover *d = g_task_get_task_data (task);
  g_autofree char *name = g_strconcat (prefix, d->domain, NULL);

  d->n_active++;
  md_dns_lookup_async (NULL, name, type, remaining_ms (d),
                       md_deadline_get_cancellable (d->deadline), callback, g_object_ref (task));
}

/* MX */

static void
mx_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Discover *d = g_task_get_task_data (task);
  g_autoptr(MdDnsAnswer) answer = md_dns_lookup_finish (result, NULL);

  if (answer == NULL || answer->status != MD_DNS_STATUS_FOUND || d->done)
    {
      source_done (task);
      return;
    }

  /* The most preferred exchange that a known provider runs decides. */
  for (guint i = 0; answer->hosts != NULL && i < answer->hosts->len; i++)
    {
      const MdDnsHost *mx = g_ptr_array_index (answer->hosts, i);
      const MdProvider *provider = md_kb_find_provider_by_mx (d->kb, mx->host);
      g_autofree char *detail = NULL;

      if (provider == NULL)
        continue;

      /* Translators: %s is a mail provider, like "Microsoft 365". */
      detail = g_strdup_printf (_("Your domain's mail is handled by %s"), provider->name);
      add_provider (d, provider, MD_DISCOVER_SOURCE_MX, detail);
      break;
    }

  source_done (task);
}

/* Guesses: resolve, connect, (TLS), greeting, EHLO, QUIT */

typedef struct
{
  GTask        *task;
  char         *host;
  guint         port;
  MdSecurity    security;
  GStrv         addresses;  /* the name's addresses, tried in turn */
  guint         next_address;
  MdSmtpClient *client;
} Guess;

static void
guess_finish (Guess *guess)
{
  g_autoptr(GTask) task = guess->task;

  if (guess->client != NULL)
    md_smtp_client_close (guess->client);
  g_clear_object (&guess->client);
  g_strfreev (guess->addresses);
  g_free (guess->host);
  g_free (guess);

  source_done (task);
}

static void
quit_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MdSmtpReply) reply = NULL;

  /* Only politeness: the guess has already answered. */
  reply = md_smtp_client_command_finish (MD_SMTP_CLIENT (object), result, NULL);
  guess_finish (user_data);
}

static void
guess_answered (Guess *guess)
{
  Discover *d = g_task_get_task_data (guess->task);
  g_autofree char *detail = NULL;
  MdSuggestion *suggestion;

  /* Another guess won, a better source turned up, or time is up. */
  if (d->done || g_cancellable_is_cancelled (guessing_cancellable (d)))
    return;

  /* Translators: %u is a port number. */
  detail = g_strdup_printf (_("A guess: a mail server answered at this name on port %u"),
                            guess->port);
  suggestion = suggestion_new (guess->host, guess->port, guess->security,
                               MD_DISCOVER_SOURCE_GUESS, detail);
  suggestion->answered = TRUE;
  add_suggestion (d, suggestion);
  stop_guessing (d);
}

static void
ehlo_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Guess *guess = user_data;
  Discover *d = g_task_get_task_data (guess->task);
  g_autoptr(MdSmtpReply) reply = NULL;

  reply = md_smtp_client_command_finish (MD_SMTP_CLIENT (object), result, NULL);
  if (reply == NULL || reply->code != 250)
    {
      guess_finish (guess);
      return;
    }

  guess_answered (guess);
  /* Under the whole call's deadline: stopping the guesses must not cut
   * the goodbye short. */
  md_smtp_client_command_async (guess->client, MD_SMTP_STAGE_QUIT, "QUIT", NULL,
                                md_deadline_get_cancellable (d->deadline), quit_cb, guess);
}

static void
greeting_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Guess *guess = user_data;
  Discover *d = g_task_get_task_data (guess->task);
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autofree char *name = NULL;
  g_autofree char *ehlo = NULL;

  reply = md_smtp_client_read_greeting_finish (MD_SMTP_CLIENT (object), result, NULL);
  if (reply == NULL || md_smtp_reply_get_class (reply) != 2)
    {
      guess_finish (guess);
      return;
    }

  name = md_smtp_client_dup_hello_name (guess->client);
  ehlo = g_strconcat ("EHLO ", name, NULL);
  md_smtp_client_command_async (guess->client, MD_SMTP_STAGE_EHLO, ehlo, NULL,
                                guessing_cancellable (d), ehlo_cb, guess);
}

static void
read_greeting (Guess *guess)
{
  Discover *d = g_task_get_task_data (guess->task);

  md_smtp_client_read_greeting_async (guess->client, guessing_cancellable (d),
                                      greeting_cb, guess);
}

static void
tls_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Guess *guess = user_data;

  if (!md_smtp_client_start_tls_finish (MD_SMTP_CLIENT (object), result, NULL))
    guess_finish (guess);
  else
    read_greeting (guess);
}

static void connect_next (Guess *guess);

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Guess *guess = user_data;
  Discover *d = g_task_get_task_data (guess->task);

  if (!md_smtp_client_connect_finish (MD_SMTP_CLIENT (object), result, NULL))
    connect_next (guess);
  /* The certificate is not judged here: the question is only whether a
   * mail server answers; the diagnosis checks the certificate later. */
  else if (guess->security == MD_SECURITY_TLS)
    md_smtp_client_start_tls_async (guess->client, guess->host, guessing_cancellable (d),
                                    tls_cb, guess);
  else
    read_greeting (guess);
}

/* A name often has an IPv6 address first that this machine cannot reach;
 * the next address may still answer. */
static void
connect_next (Guess *guess)
{
  Discover *d = g_task_get_task_data (guess->task);
  g_autoptr(GSocketAddress) address = NULL;
  const char *ip = guess->addresses[guess->next_address];

  if (ip == NULL || g_cancellable_is_cancelled (guessing_cancellable (d)))
    {
      guess_finish (guess);
      return;
    }

  guess->next_address++;
  address = g_inet_socket_address_new_from_string (ip, guess->port);
  if (address == NULL)
    {
      connect_next (guess);
      return;
    }

  md_smtp_client_set_step_timeout (guess->client, MIN (GUESS_STEP_TIMEOUT_MS, remaining_ms (d)));
  md_smtp_client_connect_async (guess->client, address, guessing_cancellable (d),
                                connect_cb, guess);
}

static void
resolved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Guess *guess = user_data;
  g_autoptr(MdDnsAnswer) answer = md_dns_lookup_finish (result, NULL);

  if (answer == NULL || answer->status != MD_DNS_STATUS_FOUND || answer->values == NULL)
    {
      guess_finish (guess);
      return;
    }

  guess->addresses = g_steal_pointer (&answer->values);
  /* Each guess has a transcript of its own, which nobody reads but which
   * keeps guesses out of the conversation the report shows. */
  guess->client = md_smtp_client_new (NULL);
  connect_next (guess);
}

static void
start_next_guess (GTask *task)
{
  Discover *d = g_task_get_task_data (task);
  Guess *guess = g_new0 (Guess, 1);
  guint n = d->next_guess++;

  guess->task = g_object_ref (task);
  guess->host = g_strconcat (guess_prefixes[n / 2], d->domain, NULL);
  guess->port = d->guess_ports[n % 2];
  guess->security = n % 2 == 0 ? MD_SECURITY_STARTTLS : MD_SECURITY_TLS;
  d->n_active++;

  md_dns_lookup_async (NULL, guess->host, MD_DNS_ADDRESS, remaining_ms (d),
                       guessing_cancellable (d), resolved_cb, guess);
}

static gboolean
on_stagger (gpointer user_data)
{
  GTask *task = user_data;
  Discover *d = g_task_get_task_data (task);

  start_next_guess (task);
  if (d->next_guess < N_GUESSES)
    return G_SOURCE_CONTINUE;

  /* The guess just started keeps the count above zero. */
  g_clear_pointer (&d->stagger_source, g_source_unref);
  d->n_active--;

  return G_SOURCE_REMOVE;
}

static void
start_guessing (GTask *task)
{
  Discover *d = g_task_get_task_data (task);

  start_next_guess (task);

  d->stagger_source = g_timeout_source_new (GUESS_STAGGER_MS);
  g_source_set_callback (d->stagger_source, on_stagger, g_object_ref (task), g_object_unref);
  g_source_set_static_name (d->stagger_source, "[md] discover guesses");
  g_source_attach (d->stagger_source, g_main_context_get_thread_default ());
  d->n_active++;
}

/* Setup */

static Discover *
discover_new (MdKb         *kb,
              char         *domain,
              guint         timeout_ms,
              guint         starttls_port,
              guint         tls_port,
              GCancellable *cancellable)
{
  Discover *d = g_new0 (Discover, 1);

  d->kb = g_object_ref (kb);
  d->domain = domain;
  d->timeout_ms = timeout_ms;
  d->started_us = g_get_monotonic_time ();
  d->deadline = md_deadline_new (cancellable, timeout_ms);
  d->guessing = md_deadline_new (md_deadline_get_cancellable (d->deadline), 0);
  d->found = g_ptr_array_new_with_free_func ((GDestroyNotify)md_suggestion_free);
  d->guess_ports[0] = starttls_port;
  d->guess_ports[1] = tls_port;

  return d;
}

/* The timer of the deadline cancels its cancellable; this source turns that
 * into the end of the call, even if a lookup ignored the cancellation. */
static void
watch_deadline (GTask *task)
{
  Discover *d = g_task_get_task_data (task);

  d->expired_source = g_cancellable_source_new (md_deadline_get_cancellable (d->deadline));
  g_source_set_callback (d->expired_source, G_SOURCE_FUNC (on_expired),
                         g_object_ref (task), g_object_unref);
  g_source_set_static_name (d->expired_source, "[md] discover deadline");
  g_source_attach (d->expired_source, g_main_context_get_thread_default ());
}

void
_md_discover_with_ports_async (MdKb                *kb,
                               const char          *email,
                               guint                timeout_ms,
                               guint                starttls_port,
                               guint                tls_port,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Discover *d;
  char *domain;

  g_return_if_fail (MD_IS_KB (kb));
  g_return_if_fail (email != NULL);
  g_return_if_fail (timeout_ms > 0);
  g_return_if_fail (starttls_port > 0 && starttls_port <= G_MAXUINT16);
  g_return_if_fail (tls_port > 0 && tls_port <= G_MAXUINT16);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_discover_async);

  if (!md_validate_email (email, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  domain = md_email_dup_domain (email);
  if (domain == NULL)
    {
      g_task_return_new_error (task, MD_ERROR, MD_ERROR_INVALID_INPUT,
                               _("The part of the email address after the @ is not a valid "
                                 "domain"));
      return;
    }

  d = discover_new (kb, domain, timeout_ms, starttls_port, tls_port, cancellable);
  g_task_set_task_data (task, d, discover_free);
  watch_deadline (task);

  /* Counted up front, so that a source finishing at once cannot end the
   * call before the others have started. */
  d->n_active = 1;
  start_provider (d);
  start_lookup (task, SUBMISSIONS_PREFIX, MD_DNS_SRV, submissions_cb);
  start_lookup (task, SUBMISSION_PREFIX, MD_DNS_SRV, submission_cb);
  start_lookup (task, "", MD_DNS_MX, mx_cb);
  if (d->found->len == 0)
    start_guessing (task);
  source_done (task);
}

/**
 * md_discover_async:
 * @kb: the knowledge base, for the provider table
 * @email: the user's email address
 * @timeout_ms: the time limit of the whole call
 *
 * Looks for the outgoing-server settings of @email in the provider table,
 * the domain's SRV and MX records, and by probing likely names. An invalid
 * address fails with %MD_ERROR_INVALID_INPUT; finding nothing is not an
 * error but an empty array.
 */
void
md_discover_async (MdKb                *kb,
                   const char          *email,
                   guint                timeout_ms,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  _md_discover_with_ports_async (kb, email, timeout_ms, 587, 465, cancellable,
                                 callback, user_data);
}

/**
 * md_discover_finish:
 *
 * Returns: (transfer container) (element-type MdSuggestion): the
 *   suggestions, best first, or %NULL with @error set
 */
GPtrArray *
md_discover_finish (GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == md_discover_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
