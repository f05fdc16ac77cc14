/* bench-dns.c: one blocklist lookup against many at once, through MdDns
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-dns [--runs N] [--timeout-ms MS] NAME...
 *
 * Times, RUNS times each, (a) one md_dns_lookup_async (MD_DNS_IPV4) of the
 * first NAME and (b) one lookup of every NAME started at once, and prints
 * each run and the medians. It goes through the app's own MdDns and the
 * default GResolver, so it measures the path the blocklist checks take,
 * thread pool and deadlines included. bench-dnsbl.py runs it inside a
 * network namespace whose resolver is slow on purpose.
 *
 * Each run also says how the answers came out, so that a lab that answers
 * "not found" without asking (or not at all) shows in the figures instead
 * of passing for a fast resolver, and how long the fastest and the slowest
 * lookup of the batch took: lookups that queue behind one another show as
 * a slowest lookup several round trips long.
 */

#include <locale.h>

#include <gio/gio.h>

#include "md-dns.h"

#define N_STATUSES (MD_DNS_STATUS_TIMED_OUT + 1)

typedef struct
{
  guint   outstanding;
  guint   counts[N_STATUSES];
  guint   fastest_ms;
  guint   slowest_ms;
} Batch;

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(MdDnsAnswer) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = md_dns_lookup_finish (result, &error);
  /* Nothing here cancels a lookup, so an error is a broken core. */
  g_assert_no_error (error);

  batch->counts[answer->status]++;
  batch->fastest_ms = MIN (batch->fastest_ms, answer->duration_ms);
  batch->slowest_ms = MAX (batch->slowest_ms, answer->duration_ms);
  batch->outstanding--;
}

/* Starts every lookup before iterating once, as the blocklist check does,
 * and returns the wall time until the last answer, in milliseconds. The
 * wait ends because every lookup ends by its own deadline. */
static double
run_batch (char  **names,
           guint   n_names,
           guint   timeout_ms,
           Batch  *batch)
{
  gint64 started_us;

  *batch = (Batch) { .outstanding = n_names, .fastest_ms = G_MAXUINT };
  started_us = g_get_monotonic_time ();

  for (guint i = 0; i < n_names; i++)
    md_dns_lookup_async (NULL, names[i], MD_DNS_IPV4, timeout_ms, NULL,
                         on_lookup_done, batch);

  while (batch->outstanding > 0)
    g_main_context_iteration (NULL, TRUE);

  return (g_get_monotonic_time () - started_us) / 1000.0;
}

static void
print_batch (const Batch *batch)
{
  g_print ("lookups %u-%u ms; found %u, not found %u, failed %u, timed out %u",
           batch->fastest_ms, batch->slowest_ms,
           batch->counts[MD_DNS_STATUS_FOUND], batch->counts[MD_DNS_STATUS_NOT_FOUND],
           batch->counts[MD_DNS_STATUS_FAILED], batch->counts[MD_DNS_STATUS_TIMED_OUT]);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Sorts @values. */
static double
median (GArray *values)
{
  guint mid = values->len / 2;

  g_array_sort (values, compare_doubles);
  if (values->len % 2 == 1)
    return g_array_index (values, double, mid);

  return (g_array_index (values, double, mid - 1) + g_array_index (values, double, mid)) / 2;
}

static void
run_all (char  **names,
         guint   n_names,
         guint   runs,
         guint   timeout_ms)
{
  g_autoptr(GArray) one = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  Batch batch;

  /* Not counted: a process's first lookup also loads glibc's NSS modules
   * and reads resolv.conf, which the app pays once, not per blocklist. */
  run_batch (names, 1, timeout_ms, &batch);

  for (guint run = 1; run <= runs; run++)
    {
      double one_ms = run_batch (names, 1, timeout_ms, &batch);
      double all_ms;

      g_print ("run %u: one %.1f ms (", run, one_ms);
      print_batch (&batch);
      all_ms = run_batch (names, n_names, timeout_ms, &batch);
      g_print (")\nrun %u: concurrent-%u %.1f ms (", run, n_names, all_ms);
      print_batch (&batch);
      g_print (")\n");

      g_array_append_val (one, one_ms);
      g_array_append_val (all, all_ms);
    }

  g_print ("median one %.1f ms\n", median (one));
  g_print ("median concurrent-%u %.1f ms\n", n_names, median (all));
}

int
main (int   argc,
      char *argv[])
{
  gint runs = 5;
  gint timeout_ms = 5000;
  g_auto(GStrv) names = NULL;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs of each kind (5)", "N" },
    { "timeout-ms", 0, 0, G_OPTION_ARG_INT, &timeout_ms,
      "Each lookup's deadline (5000)", "MS" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &names, NULL, "NAME…" },
    { NULL, 0, 0, G_OPTION_ARG_NONE, NULL, NULL, NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("NAME… — time MdDns lookups");
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "C.UTF-8");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-dns: %s\n", error->message);
      return 2;
    }
  if (names == NULL || runs < 1 || timeout_ms < 1)
    {
      g_printerr ("bench-dns: give at least one name, --runs ≥ 1, --timeout-ms ≥ 1\n");
      return 2;
    }

  run_all (names, g_strv_length (names), (guint) runs, (guint) timeout_ms);

  return 0;
}
