/* md-test-resolver.c: a GResolver that answers from a table, for unit tests
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * It answers the way GIO's own resolver does on Debian 12 (measured against
 * dnsmasq, anchors-reliability.md §4): NXDOMAIN and NODATA are both
 * G_RESOLVER_ERROR_NOT_FOUND, TXT strings come apart, and answers never
 * arrive inside the call, so code under test cannot come to rely on that.
 */

#include <string.h>

#include "md-test-resolver.h"

#define N_RECORD_TYPES (G_RESOLVER_RECORD_NS + 1)

typedef struct
{
  GPtrArray *addresses;               /* GInetAddress */
  GPtrArray *records[N_RECORD_TYPES]; /* GVariant, by GResolverRecordType */
} Entry;

/* What one asynchronous lookup answers, kept until its idle runs. */
typedef struct
{
  gpointer        result;
  GDestroyNotify  result_free;
  GError         *error;
} Reply;

struct _MdTestResolver
{
  GResolver   parent_instance;

  GHashTable *entries;  /* folded name → Entry */
  GHashTable *ptrs;     /* folded address literal → name */
  GHashTable *failures; /* folded name → GResolverError */
  GHashTable *hangs;    /* folded names */
  GResolver  *previous;
  gint        n_lookups; /* atomic: sync lookups may run in worker threads */
};

G_DEFINE_FINAL_TYPE (MdTestResolver, md_test_resolver, G_TYPE_RESOLVER)

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_ptr_array_unref (entry->addresses);
  for (guint i = 0; i < N_RECORD_TYPES; i++)
    g_ptr_array_unref (entry->records[i]);
  g_free (entry);
}

static Entry *
entry_new (void)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->addresses = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < N_RECORD_TYPES; i++)
    entry->records[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  return entry;
}

static void
reply_free (gpointer data)
{
  Reply *reply = data;

  if (reply->result != NULL)
    reply->result_free (reply->result);
  g_clear_error (&reply->error);
  g_free (reply);
}

static void
free_address_list (gpointer list)
{
  g_list_free_full (list, g_object_unref);
}

static void
free_record_list (gpointer list)
{
  g_list_free_full (list, (GDestroyNotify) g_variant_unref);
}

/* DNS names are case-insensitive and "example.org." is "example.org";
 * address literals are compared in their canonical spelling. */
static char *
fold_name (const char *name)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (name);
  char *folded;
  gsize len;

  if (address != NULL)
    return g_inet_address_to_string (address);

  folded = g_ascii_strdown (name, -1);
  len = strlen (folded);
  if (len > 1 && folded[len - 1] == '.')
    folded[len - 1] = '\0';

  return folded;
}

static Entry *
ensure_entry (MdTestResolver *self,
              const char     *name)
{
  g_autofree char *key = fold_name (name);
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry == NULL)
    {
      entry = entry_new ();
      g_hash_table_insert (self->entries, g_steal_pointer (&key), entry);
    }

  return entry;
}

static void
add_record (MdTestResolver      *self,
            const char          *name,
            GResolverRecordType  type,
            GVariant            *record)
{
  Entry *entry = ensure_entry (self, name);

  g_ptr_array_add (entry->records[type], g_variant_ref_sink (record));
}

static gboolean
check_failure (MdTestResolver  *self,
               const char      *key,
               const char      *name,
               GError         **error)
{
  gpointer code;

  if (!g_hash_table_lookup_extended (self->failures, key, NULL, &code))
    return TRUE;

  g_set_error (error, G_RESOLVER_ERROR, GPOINTER_TO_INT (code),
               "Temporarily unable to resolve “%s”", name);
  return FALSE;
}

static gboolean
family_wanted (GInetAddress             *address,
               GResolverNameLookupFlags  flags)
{
  GSocketFamily family = g_inet_address_get_family (address);

  if (flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY)
    return family == G_SOCKET_FAMILY_IPV4;
  if (flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY)
    return family == G_SOCKET_FAMILY_IPV6;

  return TRUE;
}

static GList *
find_addresses (MdTestResolver            *self,
                const char                *key,
                const char                *name,
                GResolverNameLookupFlags   flags,
                GError                   **error)
{
  Entry *entry = g_hash_table_lookup (self->entries, key);
  GList *found = NULL;

  if (!check_failure (self, key, name, error))
    return NULL;

  for (guint i = 0; entry != NULL && i < entry->addresses->len; i++)
    {
      GInetAddress *address = g_ptr_array_index (entry->addresses, i);

      if (family_wanted (address, flags))
        found = g_list_prepend (found, g_object_ref (address));
    }

  if (found == NULL)
    g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                 "Error resolving “%s”: %s", name,
                 entry != NULL ? "No address of the requested family"
                               : "Name or service not known");

  return g_list_reverse (found);
}

static GList *
find_records (MdTestResolver       *self,
              const char           *key,
              const char           *name,
              GResolverRecordType   type,
              GError              **error)
{
  Entry *entry = g_hash_table_lookup (self->entries, key);
  GList *found = NULL;

  if (!check_failure (self, key, name, error))
    return NULL;

  for (guint i = 0; entry != NULL && (guint) type < N_RECORD_TYPES &&
                    i < entry->records[type]->len; i++)
    found = g_list_prepend (found, g_variant_ref (g_ptr_array_index (entry->records[type], i)));

  /* GResolver says the same for NXDOMAIN and NODATA. */
  if (found == NULL)
    g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                 "No DNS record of the requested type for “%s”", name);

  return g_list_reverse (found);
}

static char *
find_ptr (MdTestResolver  *self,
          const char      *key,
          GError         **error)
{
  const char *name;

  if (!check_failure (self, key, key, error))
    return NULL;

  name = g_hash_table_lookup (self->ptrs, key);
  if (name == NULL)
    g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                 "Error reverse-resolving “%s”: Name or service not known", key);

  return g_strdup (name);
}

static gboolean
on_reply_idle (gpointer user_data)
{
  GTask *task = user_data;
  Reply *reply = g_task_get_task_data (task);

  if (reply->error != NULL)
    g_task_return_error (task, g_steal_pointer (&reply->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&reply->result), reply->result_free);

  return G_SOURCE_REMOVE;
}

static gboolean
on_hang_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;

  g_task_return_error_if_cancelled (task);

  return G_SOURCE_REMOVE;
}

/* Sources on the task's context: the caller's thread-default one. Without
 * a cancellable a hung lookup never answers, like a silent server. */
static void
attach_to_task (GTask       *task,
                GSource     *source,
                GSourceFunc  func)
{
  g_source_set_callback (source, func, g_object_ref (task), g_object_unref);
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

/* Takes @task, @result and @error. */
static void
reply_later (MdTestResolver *self,
             const char     *key,
             GTask          *task,
             gpointer        result,
             GDestroyNotify  result_free,
             GError         *error)
{
  g_autoptr(GTask) owned = task;
  Reply *reply = g_new0 (Reply, 1);

  reply->result = result;
  reply->result_free = result_free;
  reply->error = error;
  g_task_set_task_data (task, reply, reply_free);
  g_atomic_int_inc (&self->n_lookups);

  if (g_hash_table_contains (self->hangs, key))
    attach_to_task (task, g_cancellable_source_new (g_task_get_cancellable (task)),
                    G_SOURCE_FUNC (on_hang_cancelled));
  else
    attach_to_task (task, g_idle_source_new (), on_reply_idle);
}

/* The synchronous twin of reply_later(): FALSE with @error set when a hung
 * name's wait was cancelled. */
static gboolean
answer_now (MdTestResolver  *self,
            const char      *key,
            GCancellable    *cancellable,
            GError         **error)
{
  GPollFD pollfd = { 0, };
  gboolean has_fd;

  g_atomic_int_inc (&self->n_lookups);

  if (!g_hash_table_contains (self->hangs, key))
    return !g_cancellable_set_error_if_cancelled (cancellable, error);

  has_fd = g_cancellable_make_pollfd (cancellable, &pollfd);
  while (!g_cancellable_is_cancelled (cancellable))
    g_poll (&pollfd, has_fd ? 1 : 0, -1);
  if (has_fd)
    g_cancellable_release_fd (cancellable);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static GList *
md_test_resolver_lookup_by_name_with_flags (GResolver                 *resolver,
                                            const char                *hostname,
                                            GResolverNameLookupFlags   flags,
                                            GCancellable              *cancellable,
                                            GError                   **error)
{
  MdTestResolver *self = MD_TEST_RESOLVER (resolver);
  g_autofree char *key = fold_name (hostname);

  if (!answer_now (self, key, cancellable, error))
    return NULL;

  return find_addresses (self, key, hostname, flags, error);
}

static GList *
md_test_resolver_lookup_by_name (GResolver     *resolver,
                                 const char    *hostname,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  return md_test_resolver_lookup_by_name_with_flags (resolver, hostname,
                                                     G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                                     cancellable, error);
}

static void
md_test_resolver_lookup_by_name_with_flags_async (GResolver                *resolver,
                                                  const char               *hostname,
                                                  GResolverNameLookupFlags  flags,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data)
{
  MdTestResolver *self = MD_TEST_RESOLVER (resolver);
  g_autofree char *key = fold_name (hostname);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  GList *addresses = find_addresses (self, key, hostname, flags, &error);

  g_task_set_source_tag (task, md_test_resolver_lookup_by_name_with_flags_async);
  reply_later (self, key, task, addresses, free_address_list, error);
}

static void
md_test_resolver_lookup_by_name_async (GResolver           *resolver,
                                       const char          *hostname,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  md_test_resolver_lookup_by_name_with_flags_async (resolver, hostname,
                                                    G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                                    cancellable, callback, user_data);
}

/* Every list-returning lookup finishes the same way. */
static GList *
md_test_resolver_finish_list (GResolver     *resolver,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
md_test_resolver_lookup_by_address (GResolver     *resolver,
                                    GInetAddress  *address,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  MdTestResolver *self = MD_TEST_RESOLVER (resolver);
  g_autofree char *key = g_inet_address_to_string (address);

  if (!answer_now (self, key, cancellable, error))
    return NULL;

  return find_ptr (self, key, error);
}

static void
md_test_resolver_lookup_by_address_async (GResolver           *resolver,
                                          GInetAddress        *address,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  MdTestResolver *self = MD_TEST_RESOLVER (resolver);
  g_autofree char *key = g_inet_address_to_string (address);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  char *name = find_ptr (self, key, &error);

  g_task_set_source_tag (task, md_test_resolver_lookup_by_address_async);
  reply_later (self, key, task, name, g_free, error);
}

static char *
md_test_resolver_lookup_by_address_finish (GResolver     *resolver,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
md_test_resolver_lookup_records (GResolver            *resolver,
                                 const char           *rrname,
                                 GResolverRecordType   record_type,
                                 GCancellable         *cancellable,
                                 GError              **error)
{
  MdTestResolver *self = MD_TEST_RESOLVER (resolver);
  g_autofree char *key = fold_name (rrname);

  if (!answer_now (self, key, cancellable, error))
    return NULL;

  return find_records (self, key, rrname, record_type, error);
}

static void
md_test_resolver_lookup_records_async (GResolver           *resolver,
                                       const char          *rrname,
                                       GResolverRecordType  record_type,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  MdTestResolver *self = MD_TEST_RESOLVER (resolver);
  g_autofree char *key = fold_name (rrname);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  GList *records = find_records (self, key, rrname, record_type, &error);

  g_task_set_source_tag (task, md_test_resolver_lookup_records_async);
  reply_later (self, key, task, records, free_record_list, error);
}

static void
md_test_resolver_finalize (GObject *object)
{
  MdTestResolver *self = (MdTestResolver *)object;

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->ptrs, g_hash_table_unref);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  g_clear_pointer (&self->hangs, g_hash_table_unref);
  g_clear_object (&self->previous);

  G_OBJECT_CLASS (md_test_resolver_parent_class)->finalize (object);
}

static void
md_test_resolver_class_init (MdTestResolverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  object_class->finalize = md_test_resolver_finalize;

  resolver_class->lookup_by_name = md_test_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = md_test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = md_test_resolver_finish_list;
  resolver_class->lookup_by_name_with_flags = md_test_resolver_lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async =
    md_test_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = md_test_resolver_finish_list;
  resolver_class->lookup_by_address = md_test_resolver_lookup_by_address;
  resolver_class->lookup_by_address_async = md_test_resolver_lookup_by_address_async;
  resolver_class->lookup_by_address_finish = md_test_resolver_lookup_by_address_finish;
  resolver_class->lookup_records = md_test_resolver_lookup_records;
  resolver_class->lookup_records_async = md_test_resolver_lookup_records_async;
  resolver_class->lookup_records_finish = md_test_resolver_finish_list;
}

static void
md_test_resolver_init (MdTestResolver *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  self->ptrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->hangs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

MdTestResolver *
md_test_resolver_new (void)
{
  return g_object_new (MD_TYPE_TEST_RESOLVER, NULL);
}

void
md_test_resolver_add_address (MdTestResolver *self,
                              const char     *name,
                              const char     *address)
{
  GInetAddress *parsed;

  g_return_if_fail (MD_IS_TEST_RESOLVER (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (address != NULL);

  parsed = g_inet_address_new_from_string (address);
  g_return_if_fail (parsed != NULL);
  g_ptr_array_add (ensure_entry (self, name)->addresses, parsed);
}

/**
 * md_test_resolver_add_txt:
 * @strings: the record's character-strings, as they would be split on
 *   the wire
 *
 * Each call adds one record.
 */
void
md_test_resolver_add_txt (MdTestResolver     *self,
                          const char         *name,
                          const char * const *strings)
{
  g_return_if_fail (MD_IS_TEST_RESOLVER (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (strings != NULL);

  add_record (self, name, G_RESOLVER_RECORD_TXT, g_variant_new ("(^as)", strings));
}

void
md_test_resolver_add_mx (MdTestResolver *self,
                         const char     *name,
                         guint16         preference,
                         const char     *exchange)
{
  g_return_if_fail (MD_IS_TEST_RESOLVER (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (exchange != NULL);

  add_record (self, name, G_RESOLVER_RECORD_MX, g_variant_new ("(qs)", preference, exchange));
}

void
md_test_resolver_add_srv (MdTestResolver *self,
                          const char     *name,
                          guint16         priority,
                          guint16         weight,
                          guint16         port,
                          const char     *target)
{
  g_return_if_fail (MD_IS_TEST_RESOLVER (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (target != NULL);

  add_record (self, name, G_RESOLVER_RECORD_SRV,
              g_variant_new ("(qqqs)", priority, weight, port, target));
}

/* A later call for the same address replaces the name: GResolver gives one. */
void
md_test_resolver_add_ptr (MdTestResolver *self,
                          const char     *address,
                          const char     *name)
{
  g_autoptr(GInetAddress) parsed = NULL;

  g_return_if_fail (MD_IS_TEST_RESOLVER (self));
  g_return_if_fail (address != NULL);
  g_return_if_fail (name != NULL);

  parsed = g_inet_address_new_from_string (address);
  g_return_if_fail (parsed != NULL);
  g_hash_table_insert (self->ptrs, g_inet_address_to_string (parsed), g_strdup (name));
}

/* @name may also be an address literal, to fail its PTR lookups. */
void
md_test_resolver_fail (MdTestResolver *self,
                       const char     *name,
                       GResolverError  code)
{
  g_return_if_fail (MD_IS_TEST_RESOLVER (self));
  g_return_if_fail (name != NULL);

  g_hash_table_insert (self->failures, fold_name (name), GINT_TO_POINTER (code));
}

void
md_test_resolver_hang (MdTestResolver *self,
                       const char     *name)
{
  g_return_if_fail (MD_IS_TEST_RESOLVER (self));
  g_return_if_fail (name != NULL);

  g_hash_table_add (self->hangs, fold_name (name));
}

guint
md_test_resolver_get_n_lookups (MdTestResolver *self)
{
  g_return_val_if_fail (MD_IS_TEST_RESOLVER (self), 0);

  return (guint) g_atomic_int_get (&self->n_lookups);
}

void
md_test_resolver_install (MdTestResolver *self)
{
  g_return_if_fail (MD_IS_TEST_RESOLVER (self));
  g_return_if_fail (self->previous == NULL);

  self->previous = g_resolver_get_default ();
  g_resolver_set_default (G_RESOLVER (self));
}

void
md_test_resolver_uninstall (MdTestResolver *self)
{
  g_return_if_fail (MD_IS_TEST_RESOLVER (self));
  g_return_if_fail (self->previous != NULL);

  g_resolver_set_default (self->previous);
  g_clear_object (&self->previous);
}
