/* md-test-widgets.c: finding widgets in a page, for the page tests
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pages keep their widgets private; the tests look at them as a user
 * would, by type and by the words they show.
 */

#include <adwaita.h>

#include "md-page.h"
#include "md-test-gui.h"
#include "md-test-widgets.h"

MdReport *
md_test_load_report (const char *single_quoted)
{
  g_autofree char *json = g_strdelimit (g_strdup (single_quoted), "'", '"');
  g_autoptr(GError) error = NULL;
  MdReport *report = md_report_new_from_json (json, -1, &error);

  g_assert_no_error (error);

  return report;
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (out, child);
      collect (child, type, out);
    }
}

GPtrArray *
md_test_find_all (gpointer root,
                  GType    type)
{
  GPtrArray *out = g_ptr_array_new ();

  collect (GTK_WIDGET (root), type, out);

  return out;
}

GtkWidget *
md_test_find_button (gpointer    root,
                     const char *label)
{
  g_autoptr(GPtrArray) buttons = md_test_find_all (root, GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    {
      if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0)
        return buttons->pdata[i];
    }

  return NULL;
}

GtkWidget *
md_test_find_label (gpointer    root,
                    const char *text)
{
  g_autoptr(GPtrArray) labels = md_test_find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
        return labels->pdata[i];
    }

  return NULL;
}

gboolean
md_test_is_shown (GtkWidget *widget,
                  gpointer   root)
{
  g_assert_nonnull (widget);

  for (; widget != NULL && widget != root; widget = gtk_widget_get_parent (widget))
    {
      if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
        return FALSE;
    }

  return widget == root;
}

gboolean
md_test_button_shown (gpointer    root,
                      const char *label)
{
  return md_test_is_shown (md_test_find_button (root, label), root);
}

gboolean
md_test_label_shown (gpointer    root,
                     const char *text)
{
  return md_test_is_shown (md_test_find_label (root, text), root);
}

GPtrArray *
md_test_tab_through (GtkWidget *window)
{
  GPtrArray *reached = g_ptr_array_new ();

  /* A page has a few dozen stops at most: more means a focus loop. */
  for (guint i = 0; i < 200; i++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD);
      focus = gtk_window_get_focus (GTK_WINDOW (window));
      if (focus == NULL)
        continue;
      if (reached->len > 0 && focus == reached->pdata[0])
        return reached;
      g_ptr_array_add (reached, focus);
    }

  g_assert_not_reached ();
}

gboolean
md_test_reaches (GPtrArray *reached,
                 gpointer   widget)
{
  g_assert_nonnull (widget);

  for (guint i = 0; i < reached->len; i++)
    {
      if (reached->pdata[i] == widget || gtk_widget_is_ancestor (reached->pdata[i], widget))
        return TRUE;
    }

  return FALSE;
}

GtkWidget *
md_test_present (gpointer child)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (child));
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

GtkWidget *
md_test_present_sized (gpointer    child,
                       const char *title,
                       int         width,
                       int         height)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *header = adw_header_bar_new ();

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, NULL));
  gtk_window_set_titlebar (GTK_WINDOW (window), header);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (child));
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

void
md_test_close_window (GtkWidget *window,
                      gpointer   child)
{
  gpointer weak = child;

  g_object_add_weak_pointer (G_OBJECT (child), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (weak);
}

static void
record_activation (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  GPtrArray *activated = user_data;

  g_ptr_array_add (activated, g_strdup (g_action_get_name (G_ACTION (action))));
}

void
md_test_record_actions (GtkWidget          *window,
                        const GActionEntry *entries,
                        gsize               n_entries,
                        GPtrArray          *activated)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autofree GActionEntry *recording = g_memdup2 (entries, n_entries * sizeof *entries);

  for (gsize i = 0; i < n_entries; i++)
    recording[i].activate = record_activation;

  g_action_map_add_action_entries (G_ACTION_MAP (group), recording, (int) n_entries, activated);
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (group));
}

/* The window's actions that the pages' buttons name, doing nothing, so
 * that the buttons look as they do in the app. */
static void
add_window_actions (GtkWidget *window)
{
  static const GActionEntry entries[] = {
    { .name = "fix" },
    { .name = "save-report" },
    { .name = "check-again", .parameter_type = "s" },
    { .name = "done" },
    { .name = "watch" },
    { .name = "copy-for-provider" },
    { .name = "check" },
    { .name = "start" },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), NULL);
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (group));
}

void
md_test_shoot_page (const char        *name,
                    MdTestPageFactory  make_page,
                    gconstpointer      data)
{
  static const struct {
    const char     *suffix;
    AdwColorScheme  scheme;
    int             width;
    int             height;
  } looks[] = {
    { "light", ADW_COLOR_SCHEME_FORCE_LIGHT, 800, 900 },
    { "dark", ADW_COLOR_SCHEME_FORCE_DARK, 800, 900 },
    { "narrow", ADW_COLOR_SCHEME_FORCE_LIGHT, 360, 900 },
  };
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (looks); i++)
    {
      GtkWidget *page = make_page (data);
      g_autofree char *file = g_strdup_printf ("%s-%s", name, looks[i].suffix);
      GtkWidget *window;

      adw_style_manager_set_color_scheme (style, looks[i].scheme);
      window = md_test_present_sized (page, md_page_get_title (MD_PAGE (page)),
                                      looks[i].width, looks[i].height);
      add_window_actions (window);
      md_test_save_screenshot (window, file);
      md_test_close_window (window, page);
    }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}
