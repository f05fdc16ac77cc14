/* md-mail-auth.c: placeholder until implemented */

#include "md-config.h"
