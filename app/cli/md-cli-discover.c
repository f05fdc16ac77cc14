/* md-cli-discover.c: placeholder until implemented */

#include "md-config.h"

#include "md-cli.h"

int
md_cli_discover (int    argc,
                 char **argv)
{
  return MD_EXIT_INTERNAL;
}
