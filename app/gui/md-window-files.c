/* md-window-files.c: opening, saving and copying reports
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files go through GtkFileChooserNative, which uses the portal inside
 * Flatpak, so the sandbox needs no access to the user's files. Whatever
 * goes wrong is said in a toast, in words, never as GIO's message.
 */

#include "md-config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "md-window-private.h"

typedef enum
{
  FORMAT_JSON,
  FORMAT_TEXT,
  FORMAT_HTML,
} Format;

#define FORMAT_KEY "md-format"

/* Opening */

/* Stops reading a file too large to be a report, before it fills memory. */
static gboolean
read_more_cb (const char *contents,
              goffset     size,
              gpointer    user_data)
{
  return size <= MD_REPORT_MAX_BYTES;
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MdWindow) self = user_data;
  g_autoptr(MdReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_partial_contents_finish (G_FILE (source), result, &contents, &length,
                                            NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _md_window_toast (self, _("The file could not be opened"));
      return;
    }

  if (length > MD_REPORT_MAX_BYTES)
    {
      _md_window_toast (self, _("This file is too large to be a Mail Doctor report"));
      return;
    }

  report = md_report_new_from_json (contents, length, &error);
  if (report == NULL)
    {
      g_debug ("Not a report: %s", error->message);
      _md_window_toast (self, _("This file is not a Mail Doctor report"));
      return;
    }

  _md_window_show_opened_report (self, report);
}

void
md_window_open_file (MdWindow *self,
                     GFile    *file)
{
  g_return_if_fail (MD_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_file_load_partial_contents_async (file, self->cancellable, read_more_cb, load_cb,
                                      g_object_ref (self));
}

static void
on_open_response_cb (MdWindow        *self,
                     int              response,
                     GtkNativeDialog *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      md_window_open_file (self, file);
    }

  g_clear_object (&self->chooser);
}

static GtkFileFilter *
new_filter (const char *name,
            const char *pattern,
            const char *mime_type,
            Format      format)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_filter_add_mime_type (filter, mime_type);
  g_object_set_data (G_OBJECT (filter), FORMAT_KEY, GINT_TO_POINTER (format));

  return filter;
}

/* One chooser at a time, kept until it answers. */
static GtkFileChooser *
new_chooser (MdWindow             *self,
             const char           *title,
             GtkFileChooserAction  action,
             const char           *accept_label)
{
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action,
                                         accept_label, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->chooser = GTK_NATIVE_DIALOG (chooser);

  return GTK_FILE_CHOOSER (chooser);
}

void
_md_window_open_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  MdWindow *self = MD_WINDOW (widget);
  GtkFileChooser *chooser;
  g_autoptr(GtkFileFilter) filter = NULL;

  chooser = new_chooser (self, _("Open a Report"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"));
  filter = new_filter (_("Mail Doctor reports"), "*.json", "application/json", FORMAT_JSON);
  gtk_file_chooser_add_filter (chooser, filter);

  g_signal_connect_object (chooser, "response", G_CALLBACK (on_open_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

/* Saving */

static Format
chosen_format (GtkFileChooser *chooser,
               GFile          *file)
{
  g_autofree char *name = g_file_get_basename (file);
  GtkFileFilter *filter;

  /* The name the user typed decides; the filter only when it does not. */
  if (g_str_has_suffix (name, ".json"))
    return FORMAT_JSON;
  if (g_str_has_suffix (name, ".txt"))
    return FORMAT_TEXT;
  if (g_str_has_suffix (name, ".html") || g_str_has_suffix (name, ".htm"))
    return FORMAT_HTML;

  filter = gtk_file_chooser_get_filter (chooser);
  return filter != NULL ? GPOINTER_TO_INT (g_object_get_data (G_OBJECT (filter), FORMAT_KEY))
                        : FORMAT_JSON;
}

static char *
report_in (MdReport *report,
           Format    format)
{
  switch (format)
    {
    case FORMAT_TEXT:
      return md_report_to_text (report, TRUE);
    case FORMAT_HTML:
      return md_report_to_html (report);
    case FORMAT_JSON:
    default:
      return md_report_to_json (report);
    }
}

static void
save_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MdWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    _md_window_toast (self, C_("toast", "Report saved"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _md_window_toast (self, _("The report could not be saved. Try another folder."));
}

static void
on_save_response_cb (MdWindow        *self,
                     int              response,
                     GtkNativeDialog *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  if (response != GTK_RESPONSE_ACCEPT || self->report == NULL)
    {
      g_clear_object (&self->chooser);
      return;
    }

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  text = report_in (self->report, chosen_format (GTK_FILE_CHOOSER (chooser), file));
  bytes = g_bytes_new_take (text, strlen (text));
  g_clear_object (&self->chooser);

  /* Readable by its owner only, as the CLI writes it. */
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable,
                                       save_cb, g_object_ref (self));
}

static char *
suggested_name (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");

  /* Translators: the file name a saved report gets; %s is the date. */
  return g_strdup_printf (_("mail-doctor-report-%s.json"), date);
}

void
_md_window_save_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  MdWindow *self = MD_WINDOW (widget);
  GtkFileChooser *chooser;
  g_autofree char *name = suggested_name ();
  g_autoptr(GtkFileFilter) json = NULL;
  g_autoptr(GtkFileFilter) text = NULL;
  g_autoptr(GtkFileFilter) html = NULL;

  if (self->report == NULL)
    return;

  chooser = new_chooser (self, _("Save Report"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));
  json = new_filter (_("Report to open in Mail Doctor (JSON)"), "*.json", "application/json",
                     FORMAT_JSON);
  text = new_filter (_("Plain text"), "*.txt", "text/plain", FORMAT_TEXT);
  html = new_filter (_("Web page (HTML)"), "*.html", "text/html", FORMAT_HTML);
  gtk_file_chooser_add_filter (chooser, json);
  gtk_file_chooser_add_filter (chooser, text);
  gtk_file_chooser_add_filter (chooser, html);
  gtk_file_chooser_set_current_name (chooser, name);

  g_signal_connect_object (chooser, "response", G_CALLBACK (on_save_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

/* Copying */

void
_md_window_copy_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  MdWindow *self = MD_WINDOW (widget);
  g_autofree char *message = NULL;

  if (self->report == NULL)
    return;

  message = md_report_to_provider_message (self->report);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), message);
  _md_window_toast (self, C_("toast", "Copied"));
}
