/* md-test-widgets.h: finding widgets in a page, for the page tests
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "md-report.h"

G_BEGIN_DECLS

/* Reads a report from JSON written with single quotes for double ones,
 * which keeps the tests' JSON readable; the test fails if it is invalid. */
MdReport  *md_test_load_report  (const char *single_quoted);

/* Stands in for the window's "win.*" actions of @entries (their activate
 * is ignored) on @window, appending the name of each one activated to
 * @activated (a GPtrArray of strings that owns them). */
void       md_test_record_actions (GtkWidget          *window,
                                   const GActionEntry *entries,
                                   gsize               n_entries,
                                   GPtrArray          *activated);

/* Every descendant of @root of @type, in tree order. */
GPtrArray *md_test_find_all     (gpointer    root,
                                 GType       type);
GtkWidget *md_test_find_button  (gpointer    root,
                                 const char *label);
GtkWidget *md_test_find_label   (gpointer    root,
                                 const char *text);
/* Whether @widget would be seen: it and every parent up to @root are
 * visible, and no stack or revealer keeps them out of view. */
gboolean   md_test_is_shown     (GtkWidget  *widget,
                                 gpointer    root);
/* The same, for the button or the label that shows these words. */
gboolean   md_test_button_shown (gpointer    root,
                                 const char *label);
gboolean   md_test_label_shown  (gpointer    root,
                                 const char *text);
/* Moves the keyboard focus with Tab until it comes round again, and
 * returns each widget that got it, in order: what a keyboard reaches. */
GPtrArray *md_test_tab_through  (GtkWidget  *window);
/* Whether one of @reached is @widget or inside it. */
gboolean   md_test_reaches      (GPtrArray  *reached,
                                 gpointer    widget);
/* Presents @child in a new window; md_test_close_window() destroys the
 * window and fails if @child outlives it. */
GtkWidget *md_test_present      (gpointer    child);
/* The same in a window of the given size under a header bar titled
 * @title, as the app shows a page: for screenshots. */
GtkWidget *md_test_present_sized (gpointer    child,
                                  const char *title,
                                  int         width,
                                  int         height);
void       md_test_close_window (GtkWidget  *window,
                                 gpointer    child);

/* Makes a new page with @data; the page is an MdPage. */
typedef GtkWidget *(*MdTestPageFactory) (gconstpointer data);
/* Saves screenshots of fresh pages in light style, dark style and 360
 * pixels wide, as NAME-light, NAME-dark and NAME-narrow. */
void       md_test_shoot_page   (const char        *name,
                                 MdTestPageFactory  make_page,
                                 gconstpointer      data);

G_END_DECLS
