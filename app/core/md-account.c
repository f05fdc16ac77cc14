/* md-account.c: placeholder until implemented */

#include "md-config.h"
#include "md-account.h"
