/* md-test-gui.c: start-up, waiting and screenshots for the GUI tests
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "md-config.h"

#include <locale.h>

#include "md-settings.h"
#include "md-test-gui.h"
#include "md-test-utils.h"
#include "md-test-widgets.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>

/* LeakSanitizer (tools/test's sanitizer run): what the shared libraries'
 * constructors allocate, before main(), is theirs, not ours. GLib's makes its
 * quark table there; when GTK's file chooser takes it past 2048 quarks, GLib
 * replaces the table and leaks the old one on purpose (gquark.c: "This leaks
 * the old quarks array", for lookups without a lock). GLib has no frame
 * pointers, so that block's stack is one frame deep (g_malloc), which no
 * suppression could tell from a leak of ours. So leak checking is off for the
 * libraries' constructors only: from the executable's .preinit_array, which
 * runs before them (and after ASan's own), to its constructors, which run
 * after them. Blocks allocated in between are never reported, and are
 * scanned as roots. */
static void
lsan_off_for_library_constructors (void)
{
  __lsan_disable ();
}

__attribute__((section (".preinit_array"), used))
static void (*const lsan_preinit) (void) = lsan_off_for_library_constructors;

__attribute__((constructor))
static void
lsan_on_after_library_constructors (void)
{
  __lsan_enable ();
}
#endif

/* What MdApplication adds from its resources, for pages shown without
 * it: the app's icons and style. */
static void
add_app_resources (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    "/io/github/maildoctor/MailDoctor/icons");
  gtk_css_provider_load_from_resource (css, "/io/github/maildoctor/MailDoctor/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

gboolean
md_test_gui_init (int    *argc,
                  char ***argv)
{
  setlocale (LC_ALL, "C.UTF-8");

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display (tools/test runs these under Xvfb)\n");
      return FALSE;
    }

  gtk_test_init (argc, argv, NULL);
  adw_init ();
  add_app_resources ();

  return TRUE;
}

void
md_test_reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (MD_SETTINGS_SCHEMA_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

void
md_test_flush (GtkWidget *widget)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;

  if (gtk_widget_get_mapped (widget))
    gtk_test_widget_wait_for_draw (widget);
}

static gboolean
transitions_done (gpointer data)
{
  g_autoptr(GPtrArray) stacks = md_test_find_all (data, GTK_TYPE_STACK);
  g_autoptr(GPtrArray) revealers = md_test_find_all (data, GTK_TYPE_REVEALER);

  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_transition_running (stacks->pdata[i]))
      return FALSE;

  for (guint i = 0; i < revealers->len; i++)
    if (gtk_revealer_get_reveal_child (revealers->pdata[i]) !=
        gtk_revealer_get_child_revealed (revealers->pdata[i]))
      return FALSE;

  return TRUE;
}

typedef struct
{
  GtkWidget     *widget;
  GskRenderNode *node;
} Shot;

/* A widget that is not drawn yet (on a busy machine the first frame can
 * come late) snapshots to nothing: try again until it draws. */
static gboolean
take_shot (gpointer data)
{
  Shot *shot = data;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  int width = gtk_widget_get_width (shot->widget);
  int height = gtk_widget_get_height (shot->widget);

  md_test_flush (shot->widget);
  if (!gtk_widget_get_mapped (shot->widget) || width <= 0 || height <= 0)
    return FALSE;

  paintable = gtk_widget_paintable_new (shot->widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  shot->node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  return shot->node != NULL;
}

void
md_test_save_screenshot (GtkWidget  *widget,
                         const char *name)
{
  Shot shot = { widget, NULL };
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  int width, height;

  /* A picture of the page, not of the page sliding in. */
  md_test_wait_for (transitions_done, widget, 5000);
  md_test_wait_for (take_shot, &shot, 5000);
  node = shot.node;

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  dir = g_build_filename (g_getenv ("MD_TEST_BUILDDIR") ? g_getenv ("MD_TEST_BUILDDIR") : ".",
                          "gui", "screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  file = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, file));
  g_test_message ("screenshot: %s", file);
}

AdwEntryRow *
md_test_find_entry_row (gpointer    root,
                        const char *title)
{
  g_autoptr(GPtrArray) rows = md_test_find_all (root, ADW_TYPE_ENTRY_ROW);

  for (guint i = 0; i < rows->len; i++)
    {
      if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
        return rows->pdata[i];
    }

  g_assert_not_reached ();
}

void
md_test_type (AdwEntryRow *row,
              const char  *text)
{
  GtkEditable *editable = GTK_EDITABLE (row);
  int position = 0;

  /* Letter by letter, so that every change is seen as typing is. */
  gtk_editable_delete_text (editable, 0, -1);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    gtk_editable_insert_text (editable, p, g_utf8_next_char (p) - p, &position);
}
