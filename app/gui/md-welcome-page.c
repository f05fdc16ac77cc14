/* md-welcome-page.c: what the app does, and the error the user saw
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pasted message is explained as the user types, from the core's
 * catalogue, so that the first thing the user learns comes before any
 * check: often "this is the provider limiting you, not your settings".
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-finding.h"
#include "md-interpret.h"
#include "md-welcome-page.h"

struct _MdWelcomePage
{
  MdPage                parent_instance;

  MdInterpretCatalogue *catalogue;

  GtkLabel             *cause_label;
  GtkTextView          *error_view;
  GtkLabel             *explanation_label;
  GtkRevealer          *meaning_revealer;
  GtkWidget            *placeholder_label;
  GtkButton            *start_button;
};

G_DEFINE_FINAL_TYPE (MdWelcomePage, md_welcome_page, MD_TYPE_PAGE)

static void
md_welcome_page_finalize (GObject *object)
{
  MdWelcomePage *self = (MdWelcomePage *)object;

  g_clear_pointer (&self->catalogue, md_interpret_catalogue_free);

  G_OBJECT_CLASS (md_welcome_page_parent_class)->finalize (object);
}

static void
md_welcome_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), MD_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (md_welcome_page_parent_class)->dispose (object);
}

/* Loaded on the first paste: most users never paste anything. */
static const MdInterpretCatalogue *
get_catalogue (MdWelcomePage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->catalogue == NULL)
    self->catalogue = md_interpret_catalogue_new (&error);

  /* The catalogue is compiled in; failing to read it is a bug. */
  if (error != NULL)
    g_critical ("Cannot load the error catalogue: %s", error->message);

  return self->catalogue;
}

static void
show_meaning (MdWelcomePage          *self,
              const MdInterpretation *meaning)
{
  gboolean known = meaning->cause != MD_CAUSE_UNKNOWN || meaning->code != 0;

  if (known)
    {
      /* A reply without a reason names no cause: no title may suggest one. */
      gtk_label_set_text (self->cause_label,
                          meaning->cause == MD_CAUSE_UNKNOWN
                          ? _("The message gives no reason")
                          : md_cause_get_title (meaning->cause));
      gtk_label_set_text (self->explanation_label, meaning->explanation);
    }
  else
    {
      gtk_label_set_text (self->cause_label, _("We don’t recognise this message yet"));
      gtk_label_set_text (self->explanation_label,
                          _("That is all right: the check will find out what is wrong."));
    }

  gtk_revealer_set_reveal_child (self->meaning_revealer, TRUE);
}

static void
interpret (MdWelcomePage *self)
{
  g_autofree char *text = md_welcome_page_dup_error_text (self);
  const MdInterpretCatalogue *catalogue;
  g_autoptr(MdInterpretation) meaning = NULL;

  catalogue = text != NULL ? get_catalogue (self) : NULL;
  if (catalogue == NULL)
    {
      gtk_revealer_set_reveal_child (self->meaning_revealer, FALSE);
      gtk_label_set_text (self->cause_label, "");
      return;
    }

  meaning = md_interpret_error_text (catalogue, text);
  show_meaning (self, meaning);
}

static void
on_buffer_changed_cb (MdWelcomePage *self,
                      GtkTextBuffer *buffer)
{
  g_assert (MD_IS_WELCOME_PAGE (self));

  /* The hint stands where the text starts, so it goes with the first
   * character, even a blank one. */
  gtk_widget_set_visible (self->placeholder_label,
                          gtk_text_buffer_get_char_count (buffer) == 0);
  interpret (self);
}

static void
md_welcome_page_shown (MdPage *page)
{
  MdWelcomePage *self = MD_WELCOME_PAGE (page);

  /* Start is what most people press; the paste box is optional. */
  gtk_widget_grab_focus (GTK_WIDGET (self->start_button));
}

static void
md_welcome_page_class_init (MdWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MdPageClass *page_class = MD_PAGE_CLASS (klass);

  object_class->dispose = md_welcome_page_dispose;
  object_class->finalize = md_welcome_page_finalize;
  page_class->shown = md_welcome_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/md-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MdWelcomePage, cause_label);
  gtk_widget_class_bind_template_child (widget_class, MdWelcomePage, error_view);
  gtk_widget_class_bind_template_child (widget_class, MdWelcomePage, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, MdWelcomePage, meaning_revealer);
  gtk_widget_class_bind_template_child (widget_class, MdWelcomePage, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, MdWelcomePage, start_button);
}

static void
md_welcome_page_init (MdWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (gtk_text_view_get_buffer (self->error_view), "changed",
                           G_CALLBACK (on_buffer_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * md_welcome_page_dup_error_text:
 *
 * Returns: (transfer full) (nullable): the pasted text, without the blank
 *   space around it, or %NULL when there is none
 */
char *
md_welcome_page_dup_error_text (MdWelcomePage *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  g_return_val_if_fail (MD_IS_WELCOME_PAGE (self), NULL);

  buffer = gtk_text_view_get_buffer (self->error_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));

  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

void
md_welcome_page_set_error_text (MdWelcomePage *self,
                                const char    *text)
{
  g_return_if_fail (MD_IS_WELCOME_PAGE (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->error_view),
                            text != NULL ? text : "", -1);
}

const char *
md_welcome_page_get_meaning (MdWelcomePage *self)
{
  const char *text;

  g_return_val_if_fail (MD_IS_WELCOME_PAGE (self), NULL);

  text = gtk_label_get_text (self->cause_label);
  return gtk_revealer_get_reveal_child (self->meaning_revealer) && text[0] != '\0'
         ? text : NULL;
}
