/* md-page.c: one page of the wizard
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every page has a title for the header bar and a moment when it comes into
 * view; the rest is each page's own business.
 */

#include "md-config.h"

#include "md-compat.h"
#include "md-page.h"

typedef struct
{
  char *title;
} MdPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (MdPage, md_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
md_page_finalize (GObject *object)
{
  MdPage *self = (MdPage *)object;
  MdPagePrivate *priv = md_page_get_instance_private (self);

  g_clear_pointer (&priv->title, g_free);

  G_OBJECT_CLASS (md_page_parent_class)->finalize (object);
}

static void
md_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  MdPage *self = MD_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, md_page_get_title (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  MdPage *self = MD_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      md_page_set_title (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_page_real_shown (MdPage *self)
{
  gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

static void
md_page_class_init (MdPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = md_page_finalize;
  object_class->get_property = md_page_get_property;
  object_class->set_property = md_page_set_property;

  klass->shown = md_page_real_shown;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
md_page_init (MdPage *self)
{
}

const char *
md_page_get_title (MdPage *self)
{
  MdPagePrivate *priv = md_page_get_instance_private (self);

  g_return_val_if_fail (MD_IS_PAGE (self), NULL);

  return priv->title;
}

void
md_page_set_title (MdPage     *self,
                   const char *title)
{
  MdPagePrivate *priv = md_page_get_instance_private (self);

  g_return_if_fail (MD_IS_PAGE (self));

  if (md_set_str (&priv->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/**
 * md_page_shown:
 *
 * Tells the page it has come into view.
 */
void
md_page_shown (MdPage *self)
{
  g_return_if_fail (MD_IS_PAGE (self));

  MD_PAGE_GET_CLASS (self)->shown (self);
}
