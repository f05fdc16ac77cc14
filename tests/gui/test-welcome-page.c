/* test-welcome-page.c: the pasted error, explained as it is typed
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gtk/gtk.h>

#include "md-finding.h"
#include "md-interpret.h"
#include "md-test-gui.h"
#include "md-test-widgets.h"
#include "md-welcome-page.h"

#define TSS04 "421 4.7.0 Try again later, closing connection. (TSS04)"

typedef struct
{
  MdWelcomePage *page;
  GtkWidget     *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->page = g_object_new (MD_TYPE_WELCOME_PAGE, NULL);
  f->window = md_test_present (f->page);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  md_test_close_window (f->window, f->page);
}

static MdInterpretation *
interpret (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdInterpretCatalogue) catalogue = md_interpret_catalogue_new (&error);

  g_assert_no_error (error);
  return md_interpret_error_text (catalogue, text);
}

static GtkTextView *
error_view (Fixture *f)
{
  g_autoptr(GPtrArray) views = md_test_find_all (f->page, GTK_TYPE_TEXT_VIEW);

  g_assert_cmpuint (views->len, ==, 1);
  return views->pdata[0];
}

static void
test_paste_explains (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(MdInterpretation) expected = interpret (TSS04);
  g_autofree char *text = NULL;

  g_assert_null (md_welcome_page_get_meaning (f->page));

  md_welcome_page_set_error_text (f->page, TSS04);
  md_test_flush (f->window);

  /* The cause's title and the explanation, in the catalogue's words. */
  g_assert_cmpstr (md_welcome_page_get_meaning (f->page), ==,
                   md_cause_get_title (expected->cause));
  g_assert_true (md_test_label_shown (f->window, md_cause_get_title (expected->cause)));
  g_assert_true (md_test_label_shown (f->window, expected->explanation));

  text = md_welcome_page_dup_error_text (f->page);
  g_assert_cmpstr (text, ==, TSS04);

  md_test_save_screenshot (f->window, "welcome-interpreted");
}

static void
test_typing_explains (Fixture       *f,
                      gconstpointer  data)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (error_view (f));

  /* Typed a letter at a time: the answer is there as soon as it can be. */
  for (const char *p = TSS04; *p != '\0'; p++)
    gtk_text_buffer_insert_at_cursor (buffer, p, 1);

  g_assert_nonnull (md_welcome_page_get_meaning (f->page));
}

static void
test_empty_says_nothing (Fixture       *f,
                         gconstpointer  data)
{
  md_welcome_page_set_error_text (f->page, TSS04);
  g_assert_nonnull (md_welcome_page_get_meaning (f->page));

  /* Blank space is no message: the explanation goes away. */
  md_welcome_page_set_error_text (f->page, "  \n\t ");
  g_assert_null (md_welcome_page_get_meaning (f->page));
  g_assert_null (md_welcome_page_dup_error_text (f->page));
}

static void
test_unknown_text (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MdInterpretation) expected = interpret ("my printer is out of paper");

  md_welcome_page_set_error_text (f->page, "my printer is out of paper");

  /* Something is always said, in plain words, even when nothing matched. */
  g_assert_nonnull (md_welcome_page_get_meaning (f->page));
  if (expected->cause == MD_CAUSE_UNKNOWN && expected->code == 0)
    g_assert_cmpstr (md_welcome_page_get_meaning (f->page), ==,
                     "We don’t recognise this message yet");
}

/* A reply that gives no reason says so, and names no cause. */
static void
test_no_reason (Fixture       *f,
                gconstpointer  data)
{
  md_welcome_page_set_error_text (f->page, "421 4.7.0 Try again later, closing connection.");
  md_test_flush (f->window);

  g_assert_cmpstr (md_welcome_page_get_meaning (f->page), ==, "The message gives no reason");
  g_assert_nonnull (md_test_find_label (f->page, "The server asked to try again later and gave "
                                        "no reason. Checking your server now will tell more."));
  /* Scrolled to the answer, which sits below the paste box. */
  {
    g_autoptr(GPtrArray) scrolled = md_test_find_all (f->window, GTK_TYPE_SCROLLED_WINDOW);

    for (guint i = 0; i < scrolled->len; i++)
      {
        GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (scrolled->pdata[i]);

        gtk_adjustment_set_value (v, gtk_adjustment_get_upper (v));
      }
    md_test_flush (f->window);
  }
  md_test_save_screenshot (f->window, "welcome-no-reason");
}

static void
test_accessible (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *open = gtk_widget_get_parent (md_test_find_label (f->page, "Open a Report…"));

  gtk_test_accessible_assert_property (error_view (f), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Error message");
  g_assert_nonnull (md_test_find_button (f->page, "Start"));
  /* Said without the ellipsis that only means something on screen. */
  gtk_test_accessible_assert_property (open, GTK_ACCESSIBLE_PROPERTY_LABEL, "Open a report");
}

#define HINT "For example: “421 Too many connections, try again later”"

/* The hint shows while the box is empty, for the eyes only: a screen
 * reader hears it as the box's placeholder, not as its text. */
static void
test_placeholder (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *hint = md_test_find_label (f->page, HINT);

  g_assert_true (md_test_is_shown (hint, f->page));
  gtk_test_accessible_assert_state (hint, GTK_ACCESSIBLE_STATE_HIDDEN, TRUE);
  gtk_test_accessible_assert_property (error_view (f), GTK_ACCESSIBLE_PROPERTY_PLACEHOLDER,
                                       HINT);
  g_assert_false (gtk_widget_get_can_target (hint));

  md_welcome_page_set_error_text (f->page, TSS04);
  g_assert_false (md_test_is_shown (hint, f->page));

  md_welcome_page_set_error_text (f->page, NULL);
  g_assert_true (md_test_is_shown (hint, f->page));
}

int
main (int   argc,
      char *argv[])
{
  if (!md_test_gui_init (&argc, &argv))
    return 0;

#define ADD(path, func) \
  g_test_add ("/md/gui/welcome/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("paste-explains", test_paste_explains);
  ADD ("typing-explains", test_typing_explains);
  ADD ("empty-says-nothing", test_empty_says_nothing);
  ADD ("unknown-text", test_unknown_text);
  ADD ("no-reason", test_no_reason);
  ADD ("accessible", test_accessible);
  ADD ("placeholder", test_placeholder);

#undef ADD

  return g_test_run ();
}
