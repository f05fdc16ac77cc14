/* test-password-guard.c: a typed password stays out of the accessibility tree
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What GTK's accessibility bridge reads of an entry is its text
 * (gtk_editable_get_text()) and the text of each insertion, from a handler
 * connected after everyone else's: both are watched here, and must hold
 * placeholders only while the password is hidden.
 */

#include "md-config.h"

#include <string.h>

#include <adwaita.h>

#include "md-password-guard.h"
#include "md-test-gui.h"
#include "md-test-widgets.h"

#define CANARY   "Canary-Pa55-Guard-QWX"
#define BULLET   "\u25CF"

typedef struct
{
  GtkWidget       *window;
  GtkWidget       *list;
  AdwEntryRow     *row;
  GtkText         *text;
  MdPasswordGuard *guard;
  GString         *seen;     /* every insertion the bridge would see */
} Fixture;

static void
on_insert_after (GtkEditable *editable,
                 const char  *text,
                 int          length,
                 int         *position,
                 Fixture     *f)
{
  g_string_append_len (f->seen, text, length);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->list = gtk_list_box_new ();
  f->row = ADW_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->row), "Password");
  gtk_list_box_append (GTK_LIST_BOX (f->list), GTK_WIDGET (f->row));
  f->window = md_test_present (f->list);
  f->guard = md_password_guard_new (GTK_EDITABLE (f->row));
  f->text = GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (f->row)));
  f->seen = g_string_new (NULL);
  g_signal_connect_after (f->text, "insert-text", G_CALLBACK (on_insert_after), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->text, f);
  g_clear_object (&f->guard);
  md_test_close_window (f->window, f->list);
  g_string_free (f->seen, TRUE);
}

/* The entry's text: as many placeholders as @password has characters. */
static void
assert_masked (Fixture    *f,
               const char *password)
{
  const char *shown = gtk_editable_get_text (GTK_EDITABLE (f->row));
  glong n = g_utf8_strlen (password, -1);

  g_assert_cmpstr (md_password_guard_get_text (f->guard), ==, password);
  g_assert_cmpint (g_utf8_strlen (shown, -1), ==, n);
  for (const char *p = shown; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_true (g_str_has_prefix (p, BULLET));
  g_assert_null (strstr (f->seen->str, "Pa55"));
}

static void
test_typed (Fixture       *f,
            gconstpointer  data)
{
  md_test_type (f->row, CANARY);
  assert_masked (f, CANARY);
  g_assert_cmpint (g_utf8_strlen (f->seen->str, -1), ==, strlen (CANARY));
}

static void
test_edited (Fixture       *f,
             gconstpointer  data)
{
  GtkEditable *editable = GTK_EDITABLE (f->row);
  int position;

  md_test_type (f->row, CANARY);
  /* "Canary-" gone from the front, "é!" typed in the middle, the last
   * letter erased: the guard follows each, by characters. */
  gtk_editable_delete_text (editable, 0, 7);
  position = 4;
  gtk_editable_insert_text (editable, "\u00e9!", -1, &position);
  g_assert_cmpint (position, ==, 6);
  gtk_editable_delete_text (editable, -1 + g_utf8_strlen (gtk_editable_get_text (editable), -1), -1);
  assert_masked (f, "Pa55\u00e9!-Guard-QW");

  gtk_editable_set_text (editable, "");
  assert_masked (f, "");
}

/* Set from code, as a remembered password is put back from the keyring. */
static void
test_set (Fixture       *f,
          gconstpointer  data)
{
  gtk_editable_set_text (GTK_EDITABLE (f->row), CANARY);
  assert_masked (f, CANARY);
}

/* Shown with the reveal button, the entry holds the password for the user
 * to read (and type into); hidden again, placeholders. */
static void
test_revealed (Fixture       *f,
               gconstpointer  data)
{
  int position;

  md_test_type (f->row, "abc");
  gtk_text_set_visibility (f->text, TRUE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->row)), ==, "abc");

  position = 3;
  gtk_editable_insert_text (GTK_EDITABLE (f->row), "d", -1, &position);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->row)), ==, "abcd");
  g_assert_cmpstr (md_password_guard_get_text (f->guard), ==, "abcd");

  gtk_text_set_visibility (f->text, FALSE);
  g_string_truncate (f->seen, 0);
  assert_masked (f, "abcd");
}

int
main (int   argc,
      char *argv[])
{
  if (!md_test_gui_init (&argc, &argv))
    return 0;

  g_test_add ("/md/gui/password-guard/typed", Fixture, NULL,
              fixture_set_up, test_typed, fixture_tear_down);
  g_test_add ("/md/gui/password-guard/edited", Fixture, NULL,
              fixture_set_up, test_edited, fixture_tear_down);
  g_test_add ("/md/gui/password-guard/set", Fixture, NULL,
              fixture_set_up, test_set, fixture_tear_down);
  g_test_add ("/md/gui/password-guard/revealed", Fixture, NULL,
              fixture_set_up, test_revealed, fixture_tear_down);

  return g_test_run ();
}
