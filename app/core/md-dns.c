/* md-dns.c: DNS lookups on GResolver, each under a deadline
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GResolver waits 10 s on a silent server (resolv.conf's timeout:5 times
 * attempts:2), so every lookup runs under its own deadline. Its errors are
 * turned into a status, because the checks built on top must tell "there
 * is no such record" from "the question could not be asked": a blocklist
 * that could not be asked says nothing about whether it lists you.
 *
 * Answers are capped: a name can carry hundreds of records, and nothing we
 * check needs more than a few.
 */

#include "md-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "md-deadline.h"
#include "md-dns.h"
#include "md-dns-private.h"

#define MAX_ANSWERS     64
#define MAX_TXT_BYTES   8192
#define MAX_NAME_LENGTH 253 /* RFC 1035 §2.3.4, in its dotted text form */
#define MAX_LABEL_LENGTH 63

typedef struct
{
  MdDnsAnswer *answer;
  MdDeadline  *deadline;
  gint64       started_us;
  GSource     *cancelled_source; /* answers at once when the deadline or caller cancels */
  gboolean     done;
} LookupData;

/* One blocking GResolver call, run on the lookup pool; what it found is
 * handed back to the caller's main context. */
typedef struct
{
  GTask        *task;
  GResolver    *resolver;
  GCancellable *cancellable;
  GMainContext *context;
  char         *name;
  MdDnsType     type;
  GInetAddress *address;    /* PTR */

  GList        *addresses;
  GList        *records;
  char         *ptr_name;
  GError       *error;
} Job;

/* GLib 2.74 runs every asynchronous GResolver lookup on GIO's shared pool
 * of ten threads, which grows only when no task started for 100 ms: 25
 * blocklist questions came back in waves of ten (3.15 times one lookup),
 * and a silent zone held threads for glibc's whole timeout while good
 * lookups queued behind it and timed out. MdDns therefore runs its lookups
 * on a pool of its own, wide enough for a diagnosis's questions at once. */
#define MAX_LOOKUP_THREADS 64

G_DEFINE_BOXED_TYPE (MdDnsAnswer, md_dns_answer, md_dns_answer_copy, md_dns_answer_free)

void
md_dns_host_free (MdDnsHost *self)
{
  if (self == NULL)
    return;

  g_free (self->host);
  g_free (self);
}

/* "." stays as "": the domain says it has no such service (RFC 7505 for
 * MX, RFC 2782 for SRV). */
static char *
strip_root_dot (const char *name)
{
  gsize len = strlen (name);

  if (len > 0 && name[len - 1] == '.')
    len--;

  return g_strndup (name, len);
}

static MdDnsHost *
host_new (guint16     priority,
          guint16     weight,
          guint16     port,
          const char *host)
{
  MdDnsHost *self = g_new0 (MdDnsHost, 1);

  self->priority = priority;
  self->weight = weight;
  self->port = port;
  self->host = strip_root_dot (host);

  return self;
}

static gpointer
host_copy (gconstpointer src,
           gpointer      user_data)
{
  const MdDnsHost *host = src;

  return host_new (host->priority, host->weight, host->port, host->host);
}

/* Both lists are always there, empty when the answer has none, so that
 * callers can walk them without checking the type and status first. */
static MdDnsAnswer *
answer_new (const char *name,
            MdDnsType   type)
{
  MdDnsAnswer *self = g_new0 (MdDnsAnswer, 1);

  self->name = g_strdup (name);
  self->type = type;
  self->status = MD_DNS_STATUS_FAILED;
  self->values = g_new0 (char *, 1);
  self->hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) md_dns_host_free);

  return self;
}

MdDnsAnswer *
md_dns_answer_copy (const MdDnsAnswer *self)
{
  MdDnsAnswer *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (MdDnsAnswer, 1);
  copy->name = g_strdup (self->name);
  copy->type = self->type;
  copy->status = self->status;
  copy->values = g_strdupv (self->values);
  if (self->hosts != NULL)
    copy->hosts = g_ptr_array_copy (self->hosts, host_copy, NULL);
  copy->detail = g_strdup (self->detail);
  copy->duration_ms = self->duration_ms;

  return copy;
}

void
md_dns_answer_free (MdDnsAnswer *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_strfreev (self->values);
  g_clear_pointer (&self->hosts, g_ptr_array_unref);
  g_free (self->detail);
  g_free (self);
}

static void
lookup_data_free (gpointer user_data)
{
  LookupData *data = user_data;

  g_clear_pointer (&data->answer, md_dns_answer_free);
  g_clear_pointer (&data->deadline, md_deadline_free);
  if (data->cancelled_source != NULL)
    g_source_destroy (data->cancelled_source);
  g_clear_pointer (&data->cancelled_source, g_source_unref);
  g_free (data);
}

/* Several notes can pile up (records left out, answers cut off). */
static void
add_detail (MdDnsAnswer *answer,
            const char  *text)
{
  char *joined = answer->detail == NULL ? g_strdup (text)
                                        : g_strconcat (answer->detail, " ", text, NULL);

  g_free (answer->detail);
  answer->detail = joined;
}

static void
note_cut_off (MdDnsAnswer *answer,
              guint        n_total)
{
  g_autofree char *note = NULL;

  if (n_total <= MAX_ANSWERS)
    return;

  note = g_strdup_printf (_("Kept the first %u of %u answers."), MAX_ANSWERS, n_total);
  add_detail (answer, note);
}

/* Takes @values, a NULL-terminated GPtrArray of strings. */
static void
set_values (MdDnsAnswer *answer,
            GPtrArray   *values)
{
  g_strfreev (answer->values);
  answer->values = (char **) g_ptr_array_free (values, FALSE);
}

static void
take_addresses (MdDnsAnswer *answer,
                GList       *addresses)
{
  GPtrArray *values = g_ptr_array_new ();

  for (const GList *l = addresses; l != NULL && values->len < MAX_ANSWERS; l = l->next)
    g_ptr_array_add (values, g_inet_address_to_string (l->data));
  g_ptr_array_add (values, NULL);

  set_values (answer, values);
  note_cut_off (answer, g_list_length (addresses));
}

/* A TXT record comes as the character-strings it was split into on the
 * wire (at most 255 bytes each); they mean one string with no separator
 * (RFC 7208 §3.3). NULL when it is too long to keep. */
static char *
join_txt (MdDnsAnswer *answer,
          GVariant    *record)
{
  g_autoptr(GVariant) strings = g_variant_get_child_value (record, 0);
  g_autofree const char **parts = g_variant_get_strv (strings, NULL);
  g_autofree char *note = NULL;
  gsize len = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    len += strlen (parts[i]);

  if (len <= MAX_TXT_BYTES)
    return g_strjoinv ("", (char **) parts);

  /* A DNS answer is under 64 KiB, so the length fits a guint; a plain
   * %u also keeps the message whole for translators. */
  note = g_strdup_printf (_("Left out a text record of %u bytes: records longer than %u bytes "
                            "are not read."),
                          (guint)len, MAX_TXT_BYTES);
  add_detail (answer, note);
  return NULL;
}

static void
take_txt (MdDnsAnswer *answer,
          GList       *records)
{
  GPtrArray *values = g_ptr_array_new ();
  guint n_kept = 0;

  for (const GList *l = records; l != NULL; l = l->next)
    {
      char *joined = join_txt (answer, l->data);

      if (joined == NULL)
        continue;

      n_kept++;
      if (values->len < MAX_ANSWERS)
        g_ptr_array_add (values, joined);
      else
        g_free (joined);
    }
  g_ptr_array_add (values, NULL);

  set_values (answer, values);
  note_cut_off (answer, n_kept);
}

/* Lowest priority first, as senders try them; among equals the heaviest
 * first, as the one that gets most of the traffic (RFC 2782); then by
 * name, so that the order does not depend on the server's. */
static int
compare_hosts (gconstpointer a,
               gconstpointer b)
{
  const MdDnsHost *host_a = *(const MdDnsHost * const *) a;
  const MdDnsHost *host_b = *(const MdDnsHost * const *) b;

  if (host_a->priority != host_b->priority)
    return host_a->priority < host_b->priority ? -1 : 1;
  if (host_a->weight != host_b->weight)
    return host_a->weight > host_b->weight ? -1 : 1;

  return strcmp (host_a->host, host_b->host);
}

static MdDnsHost *
host_from_record (MdDnsType  type,
                  GVariant  *record)
{
  guint16 priority = 0, weight = 0, port = 0;
  const char *target = NULL;

  if (type == MD_DNS_MX)
    g_variant_get (record, "(q&s)", &priority, &target);
  else
    g_variant_get (record, "(qqq&s)", &priority, &weight, &port, &target);

  return host_new (priority, weight, port, target);
}

static void
take_hosts (MdDnsAnswer *answer,
            GList       *records)
{
  guint n_total = 0;

  for (const GList *l = records; l != NULL; l = l->next, n_total++)
    g_ptr_array_add (answer->hosts, host_from_record (answer->type, l->data));

  /* Sorted before the cut, so that the preferred hosts are the ones kept. */
  g_ptr_array_sort (answer->hosts, compare_hosts);
  if (answer->hosts->len > MAX_ANSWERS)
    g_ptr_array_set_size (answer->hosts, MAX_ANSWERS);

  note_cut_off (answer, n_total);
}

static MdDnsStatus
status_for_error (const GError *error)
{
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    return MD_DNS_STATUS_NOT_FOUND;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return MD_DNS_STATUS_TIMED_OUT;

  /* TEMPORARY_FAILURE (SERVFAIL, REFUSED, no server), INTERNAL, the rest. */
  return MD_DNS_STATUS_FAILED;
}

static void
return_answer (GTask *task)
{
  LookupData *data = g_task_get_task_data (task);
  gint64 elapsed_us = g_get_monotonic_time () - data->started_us;

  data->answer->duration_ms = (guint) MIN (elapsed_us / 1000, G_MAXUINT);
  /* Stops the timer now rather than when the task goes. */
  g_clear_pointer (&data->deadline, md_deadline_free);
  g_task_return_pointer (task, g_steal_pointer (&data->answer),
                         (GDestroyNotify) md_dns_answer_free);
}

/* A question we do not send: the answer is FAILED, with @detail. */
static void
return_not_asked (GTask      *task,
                  const char *detail)
{
  LookupData *data = g_task_get_task_data (task);

  add_detail (data->answer, detail);
  return_answer (task);
}

static void
finish_lookup (GTask   *task,
               GError **error)
{
  LookupData *data = g_task_get_task_data (task);
  MdDnsAnswer *answer = data->answer;

  /* The worker's result, the deadline and the caller's cancellation race;
   * the first one answers. */
  if (data->done)
    return;
  data->done = TRUE;
  if (data->cancelled_source != NULL)
    g_source_destroy (data->cancelled_source);

  /* Only the caller's own cancellation is an error; the deadline's is not. */
  if (g_task_return_error_if_cancelled (task))
    return;

  md_deadline_fix_error (data->deadline, error);

  if (*error != NULL)
    {
      answer->status = status_for_error (*error);
      add_detail (answer, (*error)->message);
    }
  else if (answer->values[0] != NULL || answer->hosts->len > 0)
    answer->status = MD_DNS_STATUS_FOUND;
  else
    /* Every record was left out (the detail says why): nothing usable came. */
    answer->status = MD_DNS_STATUS_FAILED;

  return_answer (task);
}

static void
job_free (gpointer user_data)
{
  Job *job = user_data;

  g_clear_object (&job->task);
  g_clear_object (&job->resolver);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_pointer (&job->name, g_free);
  g_clear_object (&job->address);
  g_list_free_full (job->addresses, g_object_unref);
  g_list_free_full (job->records, (GDestroyNotify) g_variant_unref);
  g_clear_pointer (&job->ptr_name, g_free);
  g_clear_error (&job->error);
  g_free (job);
}

/* On the caller's context: takes what the worker found, unless the
 * deadline or the caller has answered already. */
static gboolean
deliver_job (gpointer user_data)
{
  Job *job = user_data;
  LookupData *data = g_task_get_task_data (job->task);

  if (data->done)
    return G_SOURCE_REMOVE;

  if (job->addresses != NULL)
    take_addresses (data->answer, job->addresses);
  else if (job->records != NULL && job->type == MD_DNS_TXT)
    take_txt (data->answer, job->records);
  else if (job->records != NULL)
    take_hosts (data->answer, job->records);
  else if (job->ptr_name != NULL)
    {
      g_autoptr(GPtrArray) values = g_ptr_array_new ();

      g_ptr_array_add (values, strip_root_dot (job->ptr_name));
      g_ptr_array_add (values, NULL);
      set_values (data->answer, g_steal_pointer (&values));
    }

  finish_lookup (job->task, &job->error);
  return G_SOURCE_REMOVE;
}

static GResolverRecordType
record_type (MdDnsType type)
{
  switch (type)
    {
    case MD_DNS_MX:
      return G_RESOLVER_RECORD_MX;
    case MD_DNS_SRV:
      return G_RESOLVER_RECORD_SRV;
    case MD_DNS_TXT:
    case MD_DNS_ADDRESS:
    case MD_DNS_IPV4:
    case MD_DNS_PTR:
    default:
      return G_RESOLVER_RECORD_TXT;
    }
}

/* GLib's own resolver, as opposed to one an application (or a test)
 * installed with g_resolver_set_default(). Its type is private. Its
 * lookups are made here instead, on our own pool (md-dns-system.c). */
static gboolean
is_system_resolver (GResolver *resolver)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (resolver), "GThreadedResolver");
}

/* Always through a source, never g_main_context_invoke(): when the
 * caller's context is the global default and nobody iterates it at that
 * moment, invoke acquires it and runs deliver_job() here in the worker,
 * and the task's callback with it, racing the caller's thread. Tests that
 * iterate by hand hit it about one run in fifty: a lookup's resolver was
 * then never released. */
static void
deliver_on_context (Job *job)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_job, job, job_free);
  g_source_set_static_name (source, "[md] DNS answer");
  g_source_attach (source, job->context);
}

/* In a worker thread: the blocking call, then back to the caller. */
static void
run_job (gpointer job_data,
         gpointer pool_data)
{
  Job *job = job_data;

  switch (job->type)
    {
    case MD_DNS_ADDRESS:
    case MD_DNS_IPV4:
      if (is_system_resolver (job->resolver))
        {
          job->addresses = _md_dns_system_lookup_addresses (job->name,
                                                            job->type == MD_DNS_IPV4,
                                                            &job->error);
          break;
        }
      job->addresses =
        g_resolver_lookup_by_name_with_flags (job->resolver, job->name,
                                              job->type == MD_DNS_IPV4
                                              ? G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY
                                              : G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                              job->cancellable, &job->error);
      break;

    case MD_DNS_PTR:
      if (is_system_resolver (job->resolver))
        job->ptr_name = _md_dns_system_lookup_name (job->address, &job->error);
      else
        job->ptr_name = g_resolver_lookup_by_address (job->resolver, job->address,
                                                      job->cancellable, &job->error);
      break;

    case MD_DNS_MX:
    case MD_DNS_TXT:
    case MD_DNS_SRV:
    default:
      if (is_system_resolver (job->resolver))
        job->records = _md_dns_system_lookup_records (job->name, record_type (job->type),
                                                      &job->error);
      else
        job->records = g_resolver_lookup_records (job->resolver, job->name,
                                                  record_type (job->type),
                                                  job->cancellable, &job->error);
      break;
    }

  deliver_on_context (job);
}

static GThreadPool *
lookup_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (run_job, NULL, MAX_LOOKUP_THREADS,
                                                 FALSE, NULL));

  return pool;
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  finish_lookup (task, &error);

  return G_SOURCE_REMOVE;
}

/* Takes @task. */
static void
start_job (GTask        *task,
           GResolver    *resolver,
           GInetAddress *address)
{
  LookupData *data = g_task_get_task_data (task);
  GCancellable *cancellable = md_deadline_get_cancellable (data->deadline);
  Job *job = g_new0 (Job, 1);

  job->task = task;
  job->resolver = g_object_ref (resolver);
  job->cancellable = g_object_ref (cancellable);
  job->context = g_main_context_ref_thread_default ();
  job->name = g_strdup (data->answer->name);
  job->type = data->answer->type;
  job->address = address != NULL ? g_object_ref (address) : NULL;

  data->cancelled_source = g_cancellable_source_new (cancellable);
  g_source_set_callback (data->cancelled_source, G_SOURCE_FUNC (on_cancelled),
                         g_object_ref (task), g_object_unref);
  g_source_attach (data->cancelled_source, job->context);

  g_thread_pool_push (lookup_pool (), job, NULL);
}

/* Takes @task. */
static void
lookup_address (GTask     *task,
                GResolver *resolver)
{
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (data->answer->name);
  g_autofree char *detail = NULL;

  if (address == NULL)
    {
      g_autoptr(GTask) owned = task;

      detail = g_strdup_printf (_("“%s” is not an IP address."), data->answer->name);
      return_not_asked (task, detail);
      return;
    }

  start_job (task, resolver, address);
}

/* Only what the resolver would refuse or misread: a DNS name is otherwise
 * any bytes, and TXT names such as "_dmarc" or DKIM selectors are no host
 * names. */
static gboolean
name_is_valid (const char *name)
{
  gsize len = strlen (name);
  gsize label = 0;

  /* The root's dot does not count towards the length. */
  if (len > 0 && name[len - 1] == '.')
    len--;

  if (len == 0 || len > MAX_NAME_LENGTH)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (g_ascii_isspace (name[i]) || g_ascii_iscntrl (name[i]))
        return FALSE;

      if (name[i] != '.')
        label++;
      else if (label == 0)
        return FALSE;
      else
        label = 0;

      if (label > MAX_LABEL_LENGTH)
        return FALSE;
    }

  return label > 0;
}

/* Takes @task. */
static void
start_lookup (GTask     *task,
              GResolver *resolver)
{
  LookupData *data = g_task_get_task_data (task);

  if (data->answer->type == MD_DNS_PTR)
    lookup_address (task, resolver);
  else
    start_job (task, resolver, NULL);
}

/**
 * md_dns_lookup_async:
 * @resolver: (nullable): the resolver, or %NULL for the default one
 * @name: the name to ask about; for %MD_DNS_PTR an IP address literal
 * @timeout_ms: the lookup's own time limit; 0 means none of its own
 * @cancellable: (nullable): the caller's cancellable
 *
 * The answer's lists are never %NULL: empty when there is nothing in them.
 */
void
md_dns_lookup_async (GResolver           *resolver,
                     const char          *name,
                     MdDnsType            type,
                     guint                timeout_ms,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GResolver) owned_resolver = NULL;
  LookupData *data;

  g_return_if_fail (resolver == NULL || G_IS_RESOLVER (resolver));
  g_return_if_fail (name != NULL);
  g_return_if_fail ((guint) type <= MD_DNS_PTR);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_dns_lookup_async);

  data = g_new0 (LookupData, 1);
  data->answer = answer_new (name, type);
  data->deadline = md_deadline_new (cancellable, timeout_ms);
  data->started_us = g_get_monotonic_time ();
  g_task_set_task_data (task, data, lookup_data_free);

  if (!name_is_valid (name))
    {
      return_not_asked (task, _("This is not a name that can be looked up: it is empty, "
                                "too long or has spaces in it."));
      return;
    }

  owned_resolver = resolver != NULL ? g_object_ref (resolver) : g_resolver_get_default ();
  start_lookup (g_steal_pointer (&task), owned_resolver);
}

/**
 * md_dns_lookup_finish:
 *
 * Returns: (transfer full): the answer, or %NULL with @error set to
 *   %G_IO_ERROR_CANCELLED when the caller cancelled
 */
MdDnsAnswer *
md_dns_lookup_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == md_dns_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
md_dns_reverse_name (GInetAddress *address,
                     const char   *zone)
{
  const guint8 *bytes;
  gsize size;
  GString *name;
  gboolean ipv4;

  g_return_val_if_fail (G_IS_INET_ADDRESS (address), NULL);

  bytes = g_inet_address_to_bytes (address);
  size = g_inet_address_get_native_size (address);
  ipv4 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4;
  name = g_string_new (NULL);

  /* Least significant first: by octet for IPv4, by nibble for IPv6. */
  for (gsize i = size; i-- > 0;)
    {
      if (ipv4)
        g_string_append_printf (name, "%u.", bytes[i]);
      else
        g_string_append_printf (name, "%x.%x.", bytes[i] & 0xfu, (guint) bytes[i] >> 4);
    }

  if (zone == NULL)
    zone = ipv4 ? "in-addr.arpa" : "ip6.arpa";
  g_string_append (name, zone);

  return g_string_free (name, FALSE);
}
