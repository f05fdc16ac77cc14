/* md-page.h: one page of the wizard
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MD_TYPE_PAGE (md_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (MdPage, md_page, MD, PAGE, AdwBin)

struct _MdPageClass
{
  AdwBinClass parent_class;

  /* The window calls this each time the page comes into view, so that the
   * page can put the keyboard focus where the user starts. */
  void (*shown) (MdPage *self);
};

const char *md_page_get_title (MdPage     *self);
void        md_page_set_title (MdPage     *self,
                               const char *title);
void        md_page_shown     (MdPage     *self);

G_END_DECLS
