/* md-tls.c: placeholder until implemented */

#include "md-config.h"
#include "md-tls.h"
