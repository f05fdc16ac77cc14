/* test-fix.c
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <string.h>

#include "md-check.h"
#include "md-fix-private.h"

/* The fix ids of the design: the plan, the report and the CLI use them. */
static const char * const fix_ids[] = {
  "check-server-status", "slow-down", "verify-settings", "check-blocklists",
  "clear-outbox", "setup-sender-auth", "retry-later", "check-network",
  "update-mail-program", "app-password", "antivirus-tls", "contact-provider",
  NULL
};

static const char * const mail_programs[] = {
  "thunderbird", "outlook", "apple-mail", "evolution", "phone", NULL
};

/* Test data is written with single quotes, which read better inside C
 * strings; parse() turns them into JSON's double quotes. */
#define FIX(id, extra) \
  "{'id': '" id "', 'title': 'Do it', 'why': 'It helps.', 'effort': 'low', " \
  "'steps': ['One.', 'Two.'], 'verify': 'smtp.auth'" extra "}"
#define CATALOGUE(fixes) "{'version': 1, 'fixes': [" fixes "]}"

static GListModel *
parse (const char  *text,
       GError     **error)
{
  g_autofree char *copy = g_strdup (text);

  g_strdelimit (copy, "'", '"');

  return _md_fix_parse_catalogue (copy, strlen (copy), error);
}

static GListModel *
load_catalogue (void)
{
  g_autoptr(GError) error = NULL;
  GListModel *catalogue = md_fix_load_catalogue (&error);

  g_assert_no_error (error);
  g_assert_nonnull (catalogue);

  return catalogue;
}

static void
assert_steps (GStrv steps)
{
  g_assert_nonnull (steps);
  g_assert_cmpuint (g_strv_length (steps), >=, 2);

  for (guint i = 0; steps[i] != NULL; i++)
    g_assert_cmpstr (steps[i], !=, "");
}

static void
test_catalogue_ids (void)
{
  g_autoptr(GListModel) catalogue = load_catalogue ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_true (g_list_model_get_item_type (catalogue) == MD_TYPE_FIX);
  g_assert_cmpuint (g_list_model_get_n_items (catalogue), ==, g_strv_length ((GStrv)fix_ids));

  for (guint i = 0; i < g_list_model_get_n_items (catalogue); i++)
    {
      g_autoptr(MdFix) fix = g_list_model_get_item (catalogue, i);
      const char *id = md_fix_get_id (fix);

      g_assert_true (g_strv_contains (fix_ids, id));
      g_assert_true (g_hash_table_add (seen, (gpointer)id));
    }

  for (guint i = 0; fix_ids[i] != NULL; i++)
    {
      g_autoptr(MdFix) fix = md_fix_catalogue_find (catalogue, fix_ids[i]);

      g_assert_nonnull (fix);
      g_assert_cmpstr (md_fix_get_id (fix), ==, fix_ids[i]);
    }
}

static void
assert_complete (MdFix *fix)
{
  g_auto(GStrv) steps = md_fix_dup_steps (fix, NULL);
  const char *verify = md_check_id_to_string (md_fix_get_verify (fix));
  MdCheckId parsed;

  g_assert_nonnull (md_fix_get_title (fix));
  g_assert_cmpuint (strlen (md_fix_get_title (fix)), >, 0);
  g_assert_nonnull (md_fix_get_why (fix));
  g_assert_cmpuint (strlen (md_fix_get_why (fix)), >, 0);
  g_assert_cmpint (md_fix_get_effort (fix), >=, MD_FIX_EFFORT_LOW);
  g_assert_cmpint (md_fix_get_effort (fix), <=, MD_FIX_EFFORT_HIGH);
  assert_steps (steps);

  g_assert_true (md_check_id_from_string (verify, &parsed));
  g_assert_cmpint (parsed, ==, md_fix_get_verify (fix));
  g_assert_cmpint (parsed, !=, MD_CHECK_INPUT);

  /* Every program gets usable steps, its own or the general ones. */
  for (guint i = 0; mail_programs[i] != NULL; i++)
    {
      g_auto(GStrv) variant = md_fix_dup_steps (fix, mail_programs[i]);

      assert_steps (variant);
    }
}

static void
test_catalogue_complete (void)
{
  g_autoptr(GListModel) catalogue = load_catalogue ();

  for (guint i = 0; i < g_list_model_get_n_items (catalogue); i++)
    {
      g_autoptr(MdFix) fix = g_list_model_get_item (catalogue, i);

      g_test_message ("fix %s", md_fix_get_id (fix));
      assert_complete (fix);
    }
}

static void
test_catalogue_verify (void)
{
  g_autoptr(GListModel) catalogue = load_catalogue ();
  g_autoptr(MdFix) blocklists = md_fix_catalogue_find (catalogue, "check-blocklists");
  g_autoptr(MdFix) network = md_fix_catalogue_find (catalogue, "check-network");
  g_autoptr(MdFix) update = md_fix_catalogue_find (catalogue, "update-mail-program");
  g_autoptr(MdFix) password = md_fix_catalogue_find (catalogue, "app-password");

  g_assert_cmpint (md_fix_get_verify (blocklists), ==, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_fix_get_verify (network), ==, MD_CHECK_NET_PORTS);
  g_assert_cmpint (md_fix_get_verify (update), ==, MD_CHECK_TLS_VERSIONS);
  g_assert_cmpint (md_fix_get_verify (password), ==, MD_CHECK_SMTP_AUTH);
}

static void
test_catalogue_variants (void)
{
  g_autoptr(GListModel) catalogue = load_catalogue ();
  g_autoptr(MdFix) settings = md_fix_catalogue_find (catalogue, "verify-settings");
  g_autoptr(MdFix) retry = md_fix_catalogue_find (catalogue, "retry-later");
  g_auto(GStrv) general = md_fix_dup_steps (settings, NULL);
  g_auto(GStrv) unknown = md_fix_dup_steps (settings, "mutt");
  g_auto(GStrv) retry_general = md_fix_dup_steps (retry, NULL);

  /* Where to find the SMTP settings differs in every program. */
  for (guint i = 0; mail_programs[i] != NULL; i++)
    {
      g_auto(GStrv) variant = md_fix_dup_steps (settings, mail_programs[i]);

      g_assert_false (g_strv_equal ((const char * const *)variant,
                                    (const char * const *)general));
    }

  /* An unknown program, and a fix without variants, fall back. */
  g_assert_true (g_strv_equal ((const char * const *)unknown, (const char * const *)general));

  for (guint i = 0; mail_programs[i] != NULL; i++)
    {
      g_auto(GStrv) variant = md_fix_dup_steps (retry, mail_programs[i]);

      g_assert_true (g_strv_equal ((const char * const *)variant,
                                   (const char * const *)retry_general));
    }
}

static void
test_catalogue_unknown (void)
{
  g_autoptr(GListModel) catalogue = load_catalogue ();
  g_autoptr(MdFix) none = md_fix_catalogue_find (catalogue, "no-such-fix");
  g_autoptr(MdFix) empty = md_fix_catalogue_find (catalogue, "");

  g_assert_null (none);
  g_assert_null (empty);
}

static void
test_catalogue_finalize (void)
{
  GListModel *catalogue = load_catalogue ();
  MdFix *fix = md_fix_catalogue_find (catalogue, "slow-down");

  g_assert_finalize_object (catalogue);
  g_assert_finalize_object (fix);
}

static void
test_parse_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) catalogue =
    parse (CATALOGUE (FIX ("a", ", 'variants': {'phone': ['Tap.', 'Tap again.']}") ", "
                      FIX ("b", "")),
           &error);
  g_autoptr(MdFix) a = NULL;
  g_auto(GStrv) general = NULL;
  g_auto(GStrv) phone = NULL;
  g_autofree char *title = NULL;
  MdFixEffort effort;
  MdCheckId verify;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (catalogue), ==, 2);

  a = md_fix_catalogue_find (catalogue, "a");
  general = md_fix_dup_steps (a, "thunderbird");
  phone = md_fix_dup_steps (a, "phone");
  g_assert_cmpstrv (general, ((const char * const []) { "One.", "Two.", NULL }));
  g_assert_cmpstrv (phone, ((const char * const []) { "Tap.", "Tap again.", NULL }));

  g_object_get (a, "title", &title, "effort", &effort, "verify", &verify, NULL);
  g_assert_cmpstr (title, ==, "Do it");
  g_assert_cmpint (effort, ==, MD_FIX_EFFORT_LOW);
  g_assert_cmpint (verify, ==, MD_CHECK_SMTP_AUTH);
}

typedef struct
{
  const char *json;
  const char *words;  /* what the message must say */
} Broken;

static const Broken broken[] = {
  { "{'version': 1, 'fixes': [", "fixes.json" },
  { "['not', 'an', 'object']", "not a JSON object" },
  { "{'fixes': []}", "“version” must be 1" },
  { "{'version': 2, 'fixes': []}", "“version” must be 1" },
  { "{'version': 1, 'fixes': {}}", "“fixes” must be a list" },
  { "{'version': 1, 'fixes': [], 'extra': 1}", "unknown member “extra”" },
  { CATALOGUE ("'a'"), "entry 1: the entry is not an object" },
  { CATALOGUE (FIX ("a", ", 'colour': 'red'")), "entry 1: unknown member “colour”" },
  { CATALOGUE ("{'title': 'Do it'}"), "entry 1: “id” is missing" },
  { CATALOGUE (FIX ("Bad id", "")), "(Bad id): “id” must be lower-case" },
  { CATALOGUE (FIX ("a", "") ", " FIX ("a", "")), "entry 2 (a): the id is used twice" },
  { CATALOGUE ("{'id': 'a', 'why': 'x', 'effort': 'low', 'steps': ['x'], 'verify': 'smtp.auth'}"),
    "entry 1 (a): “title” is missing" },
  { CATALOGUE ("{'id': 'a', 'title': 'x', 'why': '', 'effort': 'low', 'steps': ['x'], "
               "'verify': 'smtp.auth'}"),
    "(a): “why” must be text" },
  { CATALOGUE ("{'id': 'a', 'title': 'x', 'why': 'x', 'effort': 'easy', 'steps': ['x'], "
               "'verify': 'smtp.auth'}"),
    "(a): “effort” must be low, medium or high, not “easy”" },
  { CATALOGUE ("{'id': 'a', 'title': 'x', 'why': 'x', 'effort': 'low', 'steps': [], "
               "'verify': 'smtp.auth'}"),
    "(a): “steps” must be a list of steps" },
  { CATALOGUE ("{'id': 'a', 'title': 'x', 'why': 'x', 'effort': 'low', 'steps': ['x', 2], "
               "'verify': 'smtp.auth'}"),
    "(a): step 2 of “steps” must be text" },
  { CATALOGUE ("{'id': 'a', 'title': 'x', 'why': 'x', 'effort': 'low', 'verify': 'smtp.auth'}"),
    "(a): “steps” is missing" },
  { CATALOGUE (FIX ("a", ", 'variants': ['x']")), "(a): “variants” must be an object" },
  { CATALOGUE (FIX ("a", ", 'variants': {'mutt': ['x']}")), "(a): unknown mail program “mutt”" },
  { CATALOGUE (FIX ("a", ", 'variants': {'phone': 'x'}")), "(a): “phone” must be a list" },
  { CATALOGUE ("{'id': 'a', 'title': 'x', 'why': 'x', 'effort': 'low', 'steps': ['x'], "
               "'verify': 'smtp.magic'}"),
    "(a): “verify” must be a check id, not “smtp.magic”" },
};

static void
test_parse_broken (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) catalogue = parse (broken[i].json, &error);

      g_test_message ("case %u: %s", i, broken[i].json);
      g_assert_null (catalogue);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_test_message ("→ %s", error->message);
      g_assert_nonnull (strstr (error->message, "fix catalogue is damaged"));
      if (strstr (error->message, broken[i].words) == NULL)
        g_error ("“%s” does not say “%s”", error->message, broken[i].words);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/md/core/fix/catalogue/ids", test_catalogue_ids);
  g_test_add_func ("/md/core/fix/catalogue/complete", test_catalogue_complete);
  g_test_add_func ("/md/core/fix/catalogue/verify", test_catalogue_verify);
  g_test_add_func ("/md/core/fix/catalogue/variants", test_catalogue_variants);
  g_test_add_func ("/md/core/fix/catalogue/unknown", test_catalogue_unknown);
  g_test_add_func ("/md/core/fix/catalogue/finalize", test_catalogue_finalize);
  g_test_add_func ("/md/core/fix/parse/good", test_parse_good);
  g_test_add_func ("/md/core/fix/parse/broken", test_parse_broken);

  return g_test_run ();
}
